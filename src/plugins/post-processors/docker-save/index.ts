/**
 * The `docker-save` post-processor (packer-plugin-docker): `docker save` of the
 * artifact's image into the tar at `path` (loadable with `docker load`).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { PostProcessContext, PostProcessOutput, Prepared } from '../../../sdk/component.js';
import { definePostProcessor, preparedFromMessages } from '../../../sdk/component.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { bool, str } from '../../../sdk/schema/index.js';
import { DOCKER_IMPORT_ID, DOCKER_TAG_ID } from '../../../sdk/docker/artifact.js';
import { DockerDriver } from '../../../sdk/docker/driver.js';

const schema = {
  path: str().doc('The tar file to write. Required.'),
  docker_path: str().default('docker').doc('The docker client to run.'),
  keep_input_artifact: bool().doc('Core applies it; docker-save keeps its input by default.'),
};

export type DockerSaveConfig = Infer<typeof schema>;

async function prepare(c: DockerSaveConfig): Promise<Prepared<DockerSaveConfig>> {
  return preparedFromMessages(c, (c.path ?? '') === '' ? ['path is required: the tar file to save the image to'] : []);
}

async function postProcess(c: DockerSaveConfig, ctx: PostProcessContext): Promise<Result<PostProcessOutput>> {
  const input = ctx.artifact;
  if (input.builderId !== DOCKER_IMPORT_ID && input.builderId !== DOCKER_TAG_ID) {
    return fail(`Unknown artifact type: ${input.builderId}\nCan only save Docker builder artifacts.`);
  }
  const file = c.path ?? '';
  try {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  } catch (err) {
    return fail(`Error creating output file: ${(err as Error).message}`);
  }
  const sink = createWriteStream(file);
  const openError = await new Promise<Error | undefined>((resolve) => {
    sink.once('open', () => resolve(undefined));
    sink.once('error', resolve);
  });
  if (openError) return fail(`Error creating output file: ${openError.message}`);
  const driver = new DockerDriver({ executable: c.docker_path });
  ctx.ui.message(`Saving image: ${input.id}`);
  let message: string | undefined;
  try {
    const r = await driver.saveImage(input.id, sink, ctx.signal);
    if (r.kind === 'error') message = r.message;
  } catch (err) {
    message = (err as Error).message;
  }
  sink.end();
  await finished(sink).catch((e: unknown) => (message ??= `Error writing ${file}: ${(e as Error).message}`));
  if (message !== undefined) {
    await rm(file, { force: true });
    return fail(message);
  }
  ctx.ui.message(`Saved to: ${file}`);
  return ok({ artifact: input, keep: true, forceOverride: false });
}

export default definePostProcessor({ name: 'docker-save', schema, prepare, postProcess });
