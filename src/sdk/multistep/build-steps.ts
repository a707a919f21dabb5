/**
 * How a builder runs its steps: Packer's `commonsteps.NewRunner` — the build's
 * cancellation, UI, `-on-error` mode and `-debug` pauses, all from its BuildContext.
 */
import type { BuildContext } from '../component.js';
import type { RunResult } from './runner.js';
import { askingDebugPause, runSteps } from './runner.js';
import type { Step } from './step.js';

export function runBuildSteps<S>(steps: readonly Step<S>[], state: S, ctx: BuildContext): Promise<RunResult> {
  return runSteps(steps, state, {
    signal: ctx.signal,
    ui: ctx.ui,
    onError: ctx.packer.onError,
    ...(ctx.packer.debug ? { debugPause: askingDebugPause(ctx.ui, ctx.signal) } : {}),
  });
}
