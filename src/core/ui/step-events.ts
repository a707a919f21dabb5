/**
 * Step events of one build: the `StepObserver` core hands to builders (their steps)
 * and uses itself for provisioners and post-processors, emitting `step-started` and
 * `step-finished` through the build's emitter.
 */
import type { StepObserver } from '../../sdk/multistep/step.js';
import type { UiEmitter } from './emitter.js';
import type { StepComponent } from './events.js';

/** Makes the observer of `build`'s steps of one component. */
export type StepEvents = (component: StepComponent, type: string) => StepObserver;

export function stepEvents(emitter: UiEmitter, build: string): StepEvents {
  return (component, componentType) => ({
    started: (name) => emitter.emit({ kind: 'step-started', build, component, componentType, name }),
    finished: (name, status, durationMs, error) =>
      emitter.emit({ kind: 'step-finished', build, component, componentType, name, status, durationMs: Math.round(durationMs), ...(error === undefined ? {} : { error }) }),
  });
}

/**
 * Runs `work` as one step reported to `observer`: `ok` when it resolves to a success,
 * `failed` with the error's message otherwise (`cancelled` when `signal` aborted).
 */
export async function observeStep<R extends { readonly kind: 'ok' } | { readonly kind: 'error'; readonly error: Error }>(
  observer: StepObserver | undefined,
  name: string,
  signal: AbortSignal,
  work: () => Promise<R>,
): Promise<R> {
  if (!observer) return work();
  const start = performance.now();
  observer.started(name);
  const res = await work();
  const took = performance.now() - start;
  const status = signal.aborted ? 'cancelled' : res.kind === 'ok' ? 'ok' : 'failed';
  observer.finished(name, status, took, res.kind === 'error' ? res.error.message : undefined);
  return res;
}
