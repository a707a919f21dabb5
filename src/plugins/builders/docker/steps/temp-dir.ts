/**
 * Packer's StepTempDir: a host folder mounted in the container at `container_dir`,
 * also the communicator's staging area. Made under `PACKER_TMP_DIR` when set, else
 * the OS temp folder; recorded in the run's ledger before it is made, removed at
 * cleanup whatever happened.
 */
import os from 'node:os';
import path from 'node:path';
import type { Ledger } from '../../../../sdk/ledger/ledger.js';
import { makeRecordedTempDir, type RecordedDir } from '../../../../sdk/ledger/temp-dir.js';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE } from '../../../../sdk/multistep/step.js';
import { haltWith, type DockerState } from '../state.js';

/** `drop`: removes the folder now (a build resumed in a kept container uses that container's). */
export function stepTempDir(ledger: Ledger): Step<DockerState> & { drop(): Promise<void> } {
  let dir: RecordedDir | undefined;
  return {
    async drop() {
      await dir?.remove();
      dir = undefined;
    },
    name: 'StepTempDir',
    async run(state) {
      state.ui.say('Creating a temporary directory for sharing data...');
      const envDir = process.env['PACKER_TMP_DIR'];
      const parent = envDir !== undefined && envDir !== '' ? path.resolve(envDir) : os.tmpdir();
      try {
        dir = await makeRecordedTempDir(ledger, parent, 'kiln-docker-');
      } catch (err) {
        return haltWith(state, `Error making temp dir: ${(err as Error).message}`);
      }
      state.tempDir = dir.path;
      return CONTINUE;
    },
    async cleanup() {
      await dir?.remove();
      dir = undefined;
    },
  };
}
