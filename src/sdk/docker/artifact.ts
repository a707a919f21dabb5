/**
 * The docker plugin's artifacts (packer-plugin-docker `artifact_import.go`,
 * `artifact_export.go`): an image in the engine, named by its ID or a repository
 * reference, or a tar of a container's filesystem on disk.
 */
import { rm } from 'node:fs/promises';
import type { Artifact } from '../artifact.js';
import type { DockerDriver } from './driver.js';

/** The builder's ID, carried by its export (and discard) artifacts. */
export const DOCKER_BUILDER_ID = 'packer.docker';
/** The ID of a committed or imported image (the builder with `commit`, docker-import, docker-push). */
export const DOCKER_IMPORT_ID = 'packer.post-processor.docker-import';
export const DOCKER_TAG_ID = 'packer.post-processor.docker-tag';
export const DOCKER_SAVE_ID = 'packer.post-processor.docker-save';

export interface ImageArtifactInit {
  readonly builderId: string;
  /** The image: `sha256:...`, or the `repository:tag` it was tagged or pushed as. */
  readonly id: string;
  readonly driver: DockerDriver;
  /** The references this image was tagged with (`docker_tags`), for docker-push. */
  readonly tags?: readonly string[];
  readonly generatedData?: Readonly<Record<string, unknown>>;
}

/** An image in the Docker engine. Destroying it removes the reference (`docker rmi`). */
export class ImageArtifact implements Artifact {
  readonly builderId: string;
  readonly files: readonly string[] = [];
  readonly id: string;
  readonly tags: readonly string[];
  readonly #driver: DockerDriver;
  readonly #generated: Readonly<Record<string, unknown>> | undefined;

  constructor(init: ImageArtifactInit) {
    this.builderId = init.builderId;
    this.id = init.id;
    this.tags = init.tags ?? [];
    this.#driver = init.driver;
    this.#generated = init.generatedData;
  }

  describe(): string {
    return this.tags.length > 0 ? `Imported Docker image: ${this.id} with tags ${this.tags.join(' ')}` : `Imported Docker image: ${this.id}`;
  }

  state(name: string): unknown {
    if (name === 'docker_tags') return [...this.tags];
    if (name === 'generated_data') return this.#generated;
    return undefined;
  }

  async destroy(): Promise<void> {
    const r = await this.#driver.deleteImage(this.id);
    if (r.kind === 'error') throw new Error(r.message);
  }
}

/** A `docker export` tar; with `discard` there is no file, and nothing to destroy. */
export class ExportArtifact implements Artifact {
  readonly builderId = DOCKER_BUILDER_ID;
  readonly id = 'Container';
  readonly files: readonly string[];
  readonly #path: string | undefined;
  readonly #generated: Readonly<Record<string, unknown>> | undefined;

  /** `path` undefined: the container was discarded. */
  constructor(path: string | undefined, generatedData?: Readonly<Record<string, unknown>>) {
    this.#path = path;
    this.files = path !== undefined ? [path] : [];
    this.#generated = generatedData;
  }

  describe(): string {
    return this.#path !== undefined ? `Exported Docker file: ${this.#path}` : 'Discarded the container (discard = true): nothing was kept';
  }

  state(name: string): unknown {
    return name === 'generated_data' ? this.#generated : undefined;
  }

  async destroy(): Promise<void> {
    if (this.#path !== undefined) await rm(this.#path, { force: true });
  }
}

/** The artifact's `docker_tags`, whatever array shape a producer gave. */
export function dockerTagsOf(artifact: Artifact): string[] {
  const tags = artifact.state('docker_tags');
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}
