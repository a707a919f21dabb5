/**
 * The `docker-tag` post-processor (packer-plugin-docker): tags the image of a docker
 * builder (`commit = true`) or docker-import artifact as `repository:tag` for each of
 * `tags` (or as `repository` alone). The input image is always kept.
 */
import type { PostProcessContext, PostProcessOutput, Prepared } from '../../../sdk/component.js';
import { definePostProcessor, preparedFromMessages } from '../../../sdk/component.js';
import { generatedDataOf } from '../../../sdk/artifact.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { bool, list, str } from '../../../sdk/schema/index.js';
import { DOCKER_IMPORT_ID, DOCKER_TAG_ID, ImageArtifact } from '../../../sdk/docker/artifact.js';
import { DockerDriver } from '../../../sdk/docker/driver.js';
import { imageRefProblem } from '../../../sdk/docker/image-ref.js';

const schema = {
  repository: str().doc('The repository to tag into, e.g. `127.0.0.1:5000/app`. Required.'),
  tags: list(str()).doc('Tags to give the image; none tags `repository` as given (Docker adds `latest`).'),
  tag: list(str()).deprecated('use tags').doc('Old name of `tags`.'),
  force: bool().doc('Accepted for compatibility; Docker ≥ 1.12 always replaces an existing tag.'),
  docker_path: str().default('docker').doc('The docker client to run.'),
  keep_input_artifact: bool().doc('Core applies it; docker-tag always keeps its input.'),
};

export type DockerTagConfig = Infer<typeof schema>;

/** The references to tag, in order: `repository:tag` per tag, or `repository`. */
export function tagReferences(c: DockerTagConfig): string[] {
  const repo = c.repository ?? '';
  const tags = [...(c.tags ?? []), ...(c.tag ?? [])];
  return tags.length > 0 ? tags.map((t) => `${repo}:${t}`) : [repo];
}

async function prepare(c: DockerTagConfig): Promise<Prepared<DockerTagConfig>> {
  if ((c.repository ?? '') === '') return preparedFromMessages(c, ['repository is required: the repository to tag the image into']);
  const errors: string[] = [];
  for (const ref of tagReferences(c)) {
    const problem = imageRefProblem(ref);
    if (problem !== undefined) errors.push(`"${ref}" is not a valid image reference: ${problem}`);
  }
  return preparedFromMessages(c, errors);
}

async function postProcess(c: DockerTagConfig, ctx: PostProcessContext): Promise<Result<PostProcessOutput>> {
  const input = ctx.artifact;
  if (input.builderId !== DOCKER_TAG_ID && input.builderId !== DOCKER_IMPORT_ID) {
    return fail(`Unknown artifact type: ${input.builderId}\nCan only tag from Docker builder artifacts.`);
  }
  const driver = new DockerDriver({ executable: c.docker_path });
  const tagged: string[] = [];
  for (const ref of tagReferences(c)) {
    ctx.ui.message(`Tagging image: ${input.id}`);
    ctx.ui.message(`Repository: ${ref}`);
    const r = await driver.tagImage(input.id, ref, ctx.signal);
    if (r.kind === 'error') return fail(r.message);
    tagged.push(ref);
  }
  const hasTags = (c.tags ?? []).length + (c.tag ?? []).length > 0;
  const artifact = new ImageArtifact({
    builderId: DOCKER_TAG_ID,
    id: tagged.at(-1) ?? input.id,
    driver,
    tags: hasTags ? tagged : [],
    generatedData: await generatedDataOf(input),
  });
  return ok({ artifact, keep: true, forceOverride: true });
}

export default definePostProcessor({ name: 'docker-tag', schema, prepare, postProcess });
