/**
 * Steps: the unit a builder is made of (Packer's multistep). Each step gets the
 * builder's typed state; a step that started always gets its cleanup, in reverse
 * order, whether the run succeeded, failed or was cancelled.
 */

/** What a step's run decides: go on, or stop the build with an error. */
export type StepAction =
  | { readonly kind: 'continue' }
  | { readonly kind: 'halt'; readonly error: Error };

export const CONTINUE: StepAction = { kind: 'continue' };

export function halt(error: Error | string): StepAction {
  return { kind: 'halt', error: typeof error === 'string' ? new Error(error) : error };
}

/**
 * How the run ended, as a cleanup sees it: cleanups may behave differently after a
 * failure (keep a VM for debugging) or a cancellation.
 */
export interface RunOutcome {
  readonly cancelled: boolean;
  readonly halted: boolean;
  /** When halted: the step that halted and its error. */
  readonly failed?: { readonly step: string; readonly error: Error };
}

/**
 * What a cleanup may answer: `error` replaces the build's error (the provision step's
 * cleanup reports a failed error-cleanup provisioner together with the original error).
 */
export interface CleanupResult {
  readonly error: Error;
}

export interface Step<S> {
  /** Shown by `-debug` pauses and `-on-error` messages, e.g. `StepCreateVM`. */
  readonly name: string;
  /**
   * Marks the provisioning step: `-on-error=run-cleanup-provisioner` still runs
   * its cleanup (the error-cleanup-provisioner) while skipping the others.
   */
  readonly provisions?: boolean;
  run(state: S, signal: AbortSignal): Promise<StepAction>;
  cleanup?(state: S, outcome: RunOutcome): Promise<void | CleanupResult>;
}

/**
 * Told when each step of a build starts and finishes (core turns these into
 * `step-started` / `step-finished` events for `kiln build -json`). A step retried under
 * `-on-error=ask` is reported again; cleanups are not steps of their own.
 */
export interface StepObserver {
  started(name: string): void;
  /** `error`: the halting step's message. */
  finished(name: string, status: 'ok' | 'failed' | 'cancelled', durationMs: number, error?: string): void;
}
