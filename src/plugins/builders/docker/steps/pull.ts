/**
 * Packer's StepPull: logs in when asked (with a private client configuration, so the
 * credentials live only for the pull), pulls the image unless `pull = false`, and
 * records the base image's ID and digest as generated data.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE } from '../../../../sdk/multistep/step.js';
import { DockerDriver } from '../../../../sdk/docker/driver.js';
import { haltWith, type DockerState } from '../state.js';

export function stepPull(): Step<DockerState> {
  return {
    name: 'StepPull',
    async run(state, signal) {
      const { config, ui } = state;
      const image = config.image ?? '';
      if (config.pull) {
        ui.say(`Pulling Docker image: ${image}`);
        const pulled = config.login === true ? await pullWithLogin(state, image, signal) : await state.driver.pull(image, config.platform, signal);
        if (pulled.kind === 'error') return haltWith(state, pulled.message);
      }
      const info = await state.driver.imageInfo(image, signal);
      if (info.kind === 'error') {
        return haltWith(state, config.pull ? `Error determining source Docker image Id: ${info.message}` : `${info.message} (pull = false: the image must already be in the engine)`);
      }
      state.source = info.value;
      state.generatedData['SourceImageSha256'] = info.value.id;
      const digest = info.value.repoDigests[0];
      if (digest !== undefined) state.generatedData['SourceImageDigest'] = digest;
      else ui.message('The source image has no distribution digest (it was never pushed or pulled); SourceImageDigest is not set.');
      return CONTINUE;
    },
  };
}

async function pullWithLogin(state: DockerState, image: string, signal: AbortSignal): ReturnType<DockerDriver['pull']> {
  const { config, ui } = state;
  const configDir = await mkdtemp(path.join(state.tempDir ?? os.tmpdir(), 'docker-config-'));
  const driver = new DockerDriver({ executable: config.docker_path, configDir, ...hostOf(state.driver), output: (l) => ui.message(l) });
  try {
    ui.message('Logging in...');
    const login = await driver.login({ server: config.login_server, username: config.login_username, password: config.login_password }, signal);
    if (login.kind === 'error') return { ...login, message: `Error logging in: ${login.message}` };
    try {
      return await driver.pull(image, config.platform, signal);
    } finally {
      ui.message('Logging out...');
      const out = await driver.logout(config.login_server);
      if (out.kind === 'error') ui.error(`Error logging out: ${out.message}`);
    }
  } finally {
    await rm(configDir, { recursive: true, force: true });
  }
}

/** The engine the builder's driver talks to, for a second driver with its own configuration. */
function hostOf(driver: DockerDriver): { host?: string } {
  const host = driver.cli.env['DOCKER_HOST'];
  return host !== undefined && host !== '' ? { host } : {};
}
