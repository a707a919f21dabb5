/**
 * Packer's StepTempDir: a host folder mounted in the container at `container_dir`,
 * also the communicator's staging area. Made under `PACKER_TMP_DIR` when set, else
 * the OS temp folder; removed at cleanup whatever happened.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE } from '../../../../sdk/multistep/step.js';
import { haltWith, type DockerState } from '../state.js';

export function stepTempDir(): Step<DockerState> {
  let dir: string | undefined;
  return {
    name: 'StepTempDir',
    async run(state) {
      state.ui.say('Creating a temporary directory for sharing data...');
      const envDir = process.env['PACKER_TMP_DIR'];
      const parent = envDir !== undefined && envDir !== '' ? path.resolve(envDir) : os.tmpdir();
      try {
        dir = await mkdtemp(path.join(parent, 'kiln-docker-'));
      } catch (err) {
        return haltWith(state, `Error making temp dir: ${(err as Error).message}`);
      }
      state.tempDir = dir;
      return CONTINUE;
    },
    async cleanup() {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      dir = undefined;
    },
  };
}
