/**
 * Packer's StepOutputDir: creates the build's output directory, refusing an existing
 * one unless `-force` was given (which deletes it first), and removes it again when
 * the build fails or is cancelled.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { Step } from '../multistep/step.js';
import { CONTINUE, halt } from '../multistep/step.js';
import type { CommonState } from './common-state.js';

/** Packer's message for an existing output directory without `-force`. */
export function outputDirExists(dir: string): string {
  return `Output directory exists: ${dir}\n\nUse the force flag to delete it prior to building.`;
}

export function stepOutputDir<S extends CommonState>(opts: { readonly path: string; readonly force: boolean }): Step<S> {
  let created = false;
  return {
    name: 'StepOutputDir',
    async run(state) {
      if (existsSync(opts.path)) {
        if (!opts.force) return halt(outputDirExists(opts.path));
        state.ui.say('Deleting previous output directory...');
        await rm(opts.path, { recursive: true, force: true });
      }
      await mkdir(opts.path, { recursive: true });
      created = true;
      return CONTINUE;
    },
    async cleanup(state, outcome) {
      if (!created || !(outcome.cancelled || outcome.halted)) return;
      state.ui.say('Deleting output directory...');
      // A VM that just exited may still be closing its files: retry briefly.
      await rm(opts.path, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}
