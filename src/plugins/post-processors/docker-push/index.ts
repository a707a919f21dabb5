/**
 * The `docker-push` post-processor (packer-plugin-docker): pushes the image a
 * docker-tag or docker-import artifact names, and every tag docker-tag gave it,
 * optionally logging in first. Credentials go to a private client configuration that
 * is removed afterwards, so they never reach `~/.docker`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PostProcessContext, PostProcessOutput, Prepared } from '../../../sdk/component.js';
import { definePostProcessor, preparedFromMessages } from '../../../sdk/component.js';
import { generatedDataOf } from '../../../sdk/artifact.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { bool, str } from '../../../sdk/schema/index.js';
import { DOCKER_IMPORT_ID, DOCKER_TAG_ID, ImageArtifact, dockerTagsOf } from '../../../sdk/docker/artifact.js';
import { DockerDriver } from '../../../sdk/docker/driver.js';
import { registryProblem } from '../../../sdk/docker/image-ref.js';

const schema = {
  login: bool().doc('Log in to `login_server` before pushing.'),
  login_server: str().doc('The registry to log in to, e.g. `127.0.0.1:5000`; none is Docker Hub.'),
  login_username: str().doc('The user name for `login`.'),
  login_password: str().doc('The password for `login`.'),
  platform: str().doc('Push only this platform of a multi-platform image (`--platform`).'),
  docker_path: str().default('docker').doc('The docker client to run.'),
  keep_input_artifact: bool().doc('Core applies it; docker-push keeps its input by default.'),
};

export type DockerPushConfig = Infer<typeof schema>;

async function prepare(c: DockerPushConfig): Promise<Prepared<DockerPushConfig>> {
  const errors: string[] = [];
  const server = c.login_server ?? '';
  if (server !== '') {
    const problem = registryProblem(server);
    if (problem !== undefined) errors.push(`login_server is not a registry address: ${problem}`);
  }
  if (c.login === true && (c.login_password ?? '') !== '' && (c.login_username ?? '') === '') errors.push('login_password is set but login_username is not');
  return preparedFromMessages(c, errors);
}

async function postProcess(c: DockerPushConfig, ctx: PostProcessContext): Promise<Result<PostProcessOutput>> {
  const input = ctx.artifact;
  if (input.builderId !== DOCKER_IMPORT_ID && input.builderId !== DOCKER_TAG_ID) {
    return fail(`Unknown artifact type: ${input.builderId}\nCan only import from docker-import and docker-tag artifacts.`);
  }
  const { ui, signal } = ctx;
  const configDir = c.login === true ? await mkdtemp(path.join(os.tmpdir(), 'kiln-docker-config-')) : undefined;
  const driver = new DockerDriver({ executable: c.docker_path, output: (l) => ui.message(l), ...(configDir !== undefined ? { configDir } : {}) });
  try {
    if (c.login === true) {
      ui.message('Logging in...');
      const login = await driver.login({ server: c.login_server, username: c.login_username, password: c.login_password }, signal);
      if (login.kind === 'error') return fail(`Error logging in to Docker: ${login.message}`);
    }
    const tags = dockerTagsOf(input);
    // The artifact's ID is usually also its last tag: push each reference once.
    const names = [...new Set([input.id, ...tags])];
    for (const name of names) {
      ui.message(`Pushing: ${name}`);
      const pushed = await driver.push(name, c.platform, signal);
      if (pushed.kind === 'error') return fail(pushed.message);
    }
    const digest = await driver.imageDigest(input.id, signal);
    if (digest.kind === 'error') ui.message('Unable to determine digest for source image, ignoring it for now');
    const generatedData = { ...await generatedDataOf(input), Digest: digest.kind === 'ok' ? digest.value : '' };
    const artifact = new ImageArtifact({ builderId: DOCKER_IMPORT_ID, id: input.id, driver: new DockerDriver({ executable: c.docker_path }), tags, generatedData });
    return ok({ artifact, keep: true, forceOverride: false });
  } finally {
    if (c.login === true) {
      ui.message('Logging out...');
      const out = await driver.logout(c.login_server);
      if (out.kind === 'error') ui.error(`Error logging out: ${out.message}`);
    }
    if (configDir !== undefined) await rm(configDir, { recursive: true, force: true });
  }
}

export default definePostProcessor({ name: 'docker-push', schema, prepare, postProcess });
