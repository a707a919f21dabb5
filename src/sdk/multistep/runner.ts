/**
 * Runs steps with Packer's multistep rules, including `-on-error` and `-debug`:
 * - steps run in order until one halts or the signal aborts;
 * - every step whose `run` started gets its cleanup, in reverse order;
 * - a cleanup may replace the halting step's error (`CleanupResult`);
 * - `abort` keeps everything (no cleanups after a failure or cancellation);
 *   `run-cleanup-provisioner` is the same except the provisioning step's cleanup runs;
 *   `ask` asks after a failed step whether to clean up, abort or retry it.
 */
import type { Ui } from '../ui.js';
import type { RunOutcome, Step, StepAction, StepObserver } from './step.js';

export type OnError = 'cleanup' | 'abort' | 'ask' | 'run-cleanup-provisioner';

/** Where a `-debug` pause happens, in Packer's words. */
export type DebugLocation = 'after run of' | 'before cleanup of';

export interface RunOptions {
  readonly signal: AbortSignal;
  readonly ui: Ui;
  /** Default `cleanup`. */
  readonly onError?: OnError;
  /**
   * With `-debug` (Packer's DebugRunner): awaited after each step that ran through,
   * and before the cleanup of each such step; resolves to go on.
   */
  readonly debugPause?: (location: DebugLocation, stepName: string) => Promise<void>;
  /** Called when a cleanup throws; the runner goes on with the other cleanups. */
  readonly onCleanupError?: (stepName: string, error: unknown) => void;
  /** Told when each step's run starts and ends. */
  readonly observer?: StepObserver;
}

/** `kept`: cleanups were skipped on purpose (`abort`, `run-cleanup-provisioner`, or `ask` answered abort). */
export type RunResult =
  | { readonly kind: 'completed' }
  | { readonly kind: 'halted'; readonly step: string; readonly error: Error; readonly kept?: boolean }
  | { readonly kind: 'cancelled'; readonly kept?: boolean };

type AskAnswer = 'cleanup' | 'abort' | 'retry';

export async function runSteps<S>(steps: readonly Step<S>[], state: S, opts: RunOptions): Promise<RunResult> {
  const onError = opts.onError ?? 'cleanup';
  const started: Step<S>[] = [];
  const paused = new Set<Step<S>>();
  let result: RunResult = { kind: 'completed' };
  let aborted = false;
  for (const step of steps) {
    if (opts.signal.aborted) {
      result = { kind: 'cancelled' };
      break;
    }
    started.push(step);
    let action = await runObserved(step, state, opts);
    while (action.kind === 'halt' && onError === 'ask' && !opts.signal.aborted) {
      opts.ui.error(action.error.message);
      const answer = await ask(opts.ui, step.name, opts.signal);
      if (answer === 'retry') {
        action = await runObserved(step, state, opts);
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
    if (opts.debugPause) {
      await opts.debugPause('after run of', step.name);
      paused.add(step);
    }
  }
  const outcome: RunOutcome = {
    cancelled: result.kind === 'cancelled',
    halted: result.kind === 'halted',
    ...(result.kind === 'halted' ? { failed: { step: result.step, error: result.error } } : {}),
  };
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
    if (paused.has(step)) await opts.debugPause?.('before cleanup of', step.name);
    try {
      const cleaned = await step.cleanup?.(state, outcome);
      if (cleaned && result.kind === 'halted') result = { ...result, error: cleaned.error };
    } catch (err) {
      opts.onCleanupError?.(step.name, err);
    }
  }
  return keep && result.kind !== 'completed' ? { ...result, kept: true } : result;
}

/** Runs the step and tells the observer when it started and how it ended. */
async function runObserved<S>(step: Step<S>, state: S, opts: RunOptions): Promise<StepAction> {
  const observer = opts.observer;
  if (!observer) return runGuarded(step, state, opts.signal);
  const start = performance.now();
  observer.started(step.name);
  const action = await runGuarded(step, state, opts.signal);
  const took = performance.now() - start;
  if (action.kind === 'halt') observer.finished(step.name, opts.signal.aborted ? 'cancelled' : 'failed', took, action.error.message);
  else observer.finished(step.name, opts.signal.aborted ? 'cancelled' : 'ok', took);
  return action;
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

/**
 * The `-debug` pause Packer uses: asks "Pausing after run of step 'X'. Press enter to
 * continue." and returns on an answer, when there is no terminal to ask on, or when
 * the build is cancelled.
 */
export function askingDebugPause(ui: Ui, signal: AbortSignal): (location: DebugLocation, stepName: string) => Promise<void> {
  return async (location, stepName) => {
    const cancelled = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    try {
      await Promise.race([cancelled, ui.ask(`Pausing ${location} step '${stepName}'. Press enter to continue.`)]);
    } catch {
      // No terminal: nothing to wait for.
    }
  };
}
