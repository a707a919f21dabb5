/**
 * Runs steps with Packer's multistep rules, including `-on-error` and `-debug`:
 * - steps run in order until one halts or the signal aborts;
 * - every step whose `run` started gets its cleanup, in reverse order;
 * - `abort` keeps everything (no cleanups after a failure or cancellation);
 *   `run-cleanup-provisioner` is the same except the provisioning step's cleanup runs;
 *   `ask` asks after a failed step whether to clean up, abort or retry it.
 */
import type { Ui } from '../ui.js';
import type { RunOutcome, Step, StepAction } from './step.js';

export type OnError = 'cleanup' | 'abort' | 'ask' | 'run-cleanup-provisioner';

export interface RunOptions {
  readonly signal: AbortSignal;
  readonly ui: Ui;
  /** Default `cleanup`. */
  readonly onError?: OnError;
  /** With `-debug`: awaited before each step and after the last; resolves to go on. */
  readonly debugPause?: (stepName: string, state: 'before' | 'after') => Promise<void>;
  /** Called when a cleanup throws; the runner goes on with the other cleanups. */
  readonly onCleanupError?: (stepName: string, error: unknown) => void;
}

export type RunResult =
  | { readonly kind: 'completed' }
  | { readonly kind: 'halted'; readonly step: string; readonly error: Error }
  | { readonly kind: 'cancelled' };

type AskAnswer = 'cleanup' | 'abort' | 'retry';

export async function runSteps<S>(steps: readonly Step<S>[], state: S, opts: RunOptions): Promise<RunResult> {
  const onError = opts.onError ?? 'cleanup';
  const started: Step<S>[] = [];
  let result: RunResult = { kind: 'completed' };
  let aborted = false;
  for (const step of steps) {
    if (opts.signal.aborted) {
      result = { kind: 'cancelled' };
      break;
    }
    if (opts.debugPause) await opts.debugPause(step.name, 'before');
    started.push(step);
    let action = await runGuarded(step, state, opts.signal);
    while (action.kind === 'halt' && onError === 'ask' && !opts.signal.aborted) {
      opts.ui.error(action.error.message);
      const answer = await ask(opts.ui, step.name, opts.signal);
      if (answer === 'retry') {
        action = await runGuarded(step, state, opts.signal);
        continue;
      }
      aborted = answer === 'abort';
      break;
    }
    if (opts.signal.aborted) {
      result = { kind: 'cancelled' };
      break;
    }
    if (action.kind === 'halt') {
      result = { kind: 'halted', step: step.name, error: action.error };
      break;
    }
  }
  if (result.kind === 'completed' && opts.debugPause) await opts.debugPause('', 'after');
  const outcome: RunOutcome = { cancelled: result.kind === 'cancelled', halted: result.kind === 'halted' };
  const keep = result.kind !== 'completed' && (onError === 'abort' || onError === 'run-cleanup-provisioner' || aborted);
  let explained = false;
  for (const step of started.reverse()) {
    if (keep && !(onError === 'run-cleanup-provisioner' && step.provisions)) {
      if (!explained) {
        opts.ui.error(result.kind === 'cancelled' ? 'Interrupted, aborting...' : `Step "${step.name}" failed, aborting...`);
        explained = true;
      } else {
        opts.ui.error(`aborted: skipping cleanup of step "${step.name}"`);
      }
      continue;
    }
    try {
      await step.cleanup?.(state, outcome);
    } catch (err) {
      opts.onCleanupError?.(step.name, err);
    }
  }
  return result;
}

/** A step that throws is a bug in that step; it halts the build rather than the process. */
async function runGuarded<S>(step: Step<S>, state: S, signal: AbortSignal): Promise<StepAction> {
  try {
    return await step.run(state, signal);
  } catch (err) {
    return { kind: 'halt', error: err instanceof Error ? err : new Error(String(err)) };
  }
}

/** Asks until the answer is valid; a cancellation while waiting means clean up, as in Packer. */
async function ask(ui: Ui, stepName: string, signal: AbortSignal): Promise<AskAnswer> {
  ui.say(`Step "${stepName}" failed`);
  const cancelled = new Promise<undefined>((resolve) => signal.addEventListener('abort', () => resolve(undefined), { once: true }));
  for (;;) {
    let line: string | undefined;
    try {
      line = await Promise.race([cancelled, ui.ask('[c] Clean up and exit, [a] abort without cleanup, or [r] retry step (build may fail even if retry succeeds)?')]);
    } catch {
      return 'cleanup';
    }
    if (line === undefined) return 'cleanup';
    const first = (line.toLowerCase() + 'c')[0];
    if (first === 'c') return 'cleanup';
    if (first === 'a') return 'abort';
    if (first === 'r') return 'retry';
    ui.say(`Incorrect input: "${line}"`);
  }
}
