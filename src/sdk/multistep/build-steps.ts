/**
 * The one way a builder runs its steps (Packer's `commonsteps.NewRunner` plus the
 * wrap-up every builder's Run ends with): the build's cancellation, UI, `-on-error`
 * mode and `-debug` pauses come from its BuildContext, and the outcome becomes the
 * builder's Result — the halting step's error (as its cleanups left it), `Build was
 * cancelled.`, or the artifact `finish` makes from the final state. When cleanups were
 * skipped on purpose (`-on-error=abort`, or `ask` answered abort), what the build
 * recorded in the ledger and did not undo is marked kept, so `kiln gc` leaves it.
 *
 *     return runBuildSteps(ctx, steps, state, (s) => new MyArtifact(s.outputDir));
 */
import type { BuildContext } from '../component.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import { askingDebugPause, runSteps } from './runner.js';
import type { Step } from './step.js';

export const BUILD_CANCELLED = 'Build was cancelled.';

export async function runBuildSteps<S, A>(ctx: BuildContext, steps: readonly Step<S>[], state: S, finish: (state: S) => A): Promise<Result<A>> {
  const result = await runSteps(steps, state, {
    signal: ctx.signal,
    ui: ctx.ui,
    onError: ctx.packer.onError,
    ...(ctx.steps ? { observer: ctx.steps } : {}),
    ...(ctx.packer.debug ? { debugPause: askingDebugPause(ctx.ui, ctx.signal) } : {}),
  });
  if (result.kind !== 'completed' && result.kept === true) ctx.ledger?.keepPending();
  if (result.kind === 'halted') return fail(result.error);
  if (result.kind === 'cancelled') return fail(BUILD_CANCELLED);
  return ok(finish(state));
}
