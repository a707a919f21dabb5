/**
 * The `docker-import` post-processor (packer-plugin-docker): `docker import` of the
 * tar a docker builder exported (or artifice named) as `repository[:tag]`.
 */
import type { PostProcessContext, PostProcessOutput, Prepared } from '../../../sdk/component.js';
import { definePostProcessor, preparedFromMessages } from '../../../sdk/component.js';
import { generatedDataOf } from '../../../sdk/artifact.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { bool, list, str } from '../../../sdk/schema/index.js';
import { DOCKER_BUILDER_ID, DOCKER_IMPORT_ID, ImageArtifact } from '../../../sdk/docker/artifact.js';
import { DockerDriver } from '../../../sdk/docker/driver.js';
import { ARTIFICE_BUILDER_ID } from '../files-artifact.js';
import { imageRefProblem } from '../../../sdk/docker/image-ref.js';

const schema = {
  repository: str().doc('The repository of the imported image, e.g. `127.0.0.1:5000/app`.'),
  tag: str().doc('Its tag; none leaves Docker\'s `latest`.'),
  changes: list(str()).doc('Dockerfile instructions applied on import (`--change`).'),
  platform: str().doc('The platform of the imported image (`--platform`).'),
  docker_path: str().default('docker').doc('The docker client to run.'),
  keep_input_artifact: bool().doc('Keep the exported tar (default: it is removed). Core applies it.'),
};

export type DockerImportConfig = Infer<typeof schema>;

function reference(c: DockerImportConfig): string {
  const repo = c.repository ?? '';
  return c.tag !== undefined && c.tag !== '' ? `${repo}:${c.tag}` : repo;
}

async function prepare(c: DockerImportConfig): Promise<Prepared<DockerImportConfig>> {
  const ref = reference(c);
  const problem = ref !== '' ? imageRefProblem(ref) : undefined;
  return preparedFromMessages(c, problem !== undefined ? [`"${ref}" is not a valid image reference: ${problem}`] : []);
}

async function postProcess(c: DockerImportConfig, ctx: PostProcessContext): Promise<Result<PostProcessOutput>> {
  const input = ctx.artifact;
  if (input.builderId !== DOCKER_BUILDER_ID && input.builderId !== ARTIFICE_BUILDER_ID) {
    return fail(
      `Unknown artifact type: ${input.builderId}\nCan only import from Docker builder and Artifice post-processor artifacts. ` +
        'If you are getting this error after having run the docker builder, it may be because you set commit: true in your Docker builder, so the image is already imported. ',
    );
  }
  const file = input.files[0];
  if (file === undefined) return fail('The artifact has no file to import (was the container discarded?)');
  const ref = reference(c);
  const driver = new DockerDriver({ executable: c.docker_path });
  ctx.ui.message(`Importing image: ${input.id}`);
  ctx.ui.message(`Repository: ${ref}`);
  const imported = await driver.importImage(
    file,
    { repository: ref, ...(c.changes ? { changes: c.changes } : {}), ...(c.platform !== undefined ? { platform: c.platform } : {}) },
    ctx.signal,
  );
  if (imported.kind === 'error') return fail(imported.message);
  ctx.ui.message(`Imported ID: ${imported.value}`);
  // Unnamed imports are known by their ID (Packer's artifact would have an empty ID).
  const id = ref !== '' ? ref : imported.value;
  const artifact = new ImageArtifact({ builderId: DOCKER_IMPORT_ID, id, driver, generatedData: { ...await generatedDataOf(input), ImageSha256: imported.value } });
  return ok({ artifact, keep: false, forceOverride: false });
}

export default definePostProcessor({ name: 'docker-import', schema, prepare, postProcess });
