/**
 * Packer's StepOutputDir: creates the build's output directory, refusing an existing
 * one unless `-force` was given (which deletes it first), and removes it again when
 * the build fails or is cancelled.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Ledger, LedgerHandle } from '../ledger/ledger.js';
import type { Step } from '../multistep/step.js';
import { CONTINUE, halt } from '../multistep/step.js';
import type { CommonState } from './common-state.js';

/** Packer's message for an existing output directory without `-force`. */
export function outputDirExists(dir: string): string {
  return `Output directory exists: ${dir}\n\nUse the force flag to delete it prior to building.`;
}

/**
 * `ledger`: the folder is recorded before it is made, so `kiln gc` removes a partial
 * one a killed run left; a finished build's folder is the artifact (record done).
 */
export function stepOutputDir<S extends CommonState>(opts: { readonly path: string; readonly force: boolean; readonly ledger?: Ledger }): Step<S> {
  let created = false;
  let record: LedgerHandle | undefined;
  return {
    name: 'StepOutputDir',
    async run(state) {
      if (existsSync(opts.path)) {
        if (!opts.force) return halt(outputDirExists(opts.path));
        state.ui.say('Deleting previous output directory...');
        await rm(opts.path, { recursive: true, force: true });
      }
      record = opts.ledger?.intent({ kind: 'path', path: path.resolve(opts.path) });
      await mkdir(opts.path, { recursive: true });
      created = true;
      return CONTINUE;
    },
    async cleanup(state, outcome) {
      if (!created || !(outcome.cancelled || outcome.halted)) {
        record?.done();
        return;
      }
      state.ui.say('Deleting output directory...');
      // A VM that just exited may still be closing its files: retry briefly.
      await rm(opts.path, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      record?.done();
    },
  };
}
