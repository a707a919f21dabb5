/**
 * The artifact Packer's checksum and artifice post-processors return: a list of local
 * files, no id, and a `destroy` that removes every one of them.
 */
import { rm } from 'node:fs/promises';
import type { Artifact } from '../../sdk/artifact.js';

/** The artifice post-processor's builder ID; docker-import accepts its artifacts. */
export const ARTIFICE_BUILDER_ID = 'packer.post-processor.artifice';

export class FilesArtifact implements Artifact {
  constructor(
    readonly builderId: string,
    readonly files: readonly string[],
  ) {}

  readonly id = '';

  describe(): string {
    return `Created artifact from files: ${this.files.join(', ')}`;
  }

  /** Packer's checksum and artifice artifacts carry no state, generated data included. */
  state(_name: string): unknown {
    return undefined;
  }

  async destroy(): Promise<void> {
    for (const f of this.files) await rm(f, { recursive: true, force: true });
  }
}
