/**
 * What core tells the outside world while it runs: structured UI events. Renderers
 * (human, machine-readable, log) turn them into text. Text in an event is already
 * masked: the emitter filters secrets before anything is published.
 */

/**
 * `build` names the build the event belongs to (it picks the colour); `target` is the
 * prefix shown as `==> target: ...` — the build name, or `<build> (<type>)` for a
 * post-processor. An event with a build but no target is a per-build line without the
 * arrow (`Build 'x' finished after ...`); an event with neither is a global line.
 */
export type UiEvent =
  | { readonly kind: 'say'; readonly build?: string; readonly target?: string; readonly text: string }
  | { readonly kind: 'message'; readonly build?: string; readonly target?: string; readonly text: string }
  | { readonly kind: 'error'; readonly build?: string; readonly target?: string; readonly text: string }
  | { readonly kind: 'machine'; readonly target?: string; readonly type: string; readonly args: readonly string[] }
  | StepCacheEvent;

/** What the step cache did with a provisioning step (or the base, `index` 0). */
export type StepCacheStatus = 'hit' | 'miss' | 'recorded' | 'uncacheable';

/**
 * The step cache's verdict on one step of a build (emitted only with a cache flag).
 * `text` is the human line (`[2/5] shell  CACHED 41e4fbdff2dc`, or why it missed);
 * `-machine-readable` writes `<ts>,<target>,cache,<index>,<STATUS>,<key>,<reason>`.
 */
export interface StepCacheEvent {
  readonly kind: 'step-cache';
  readonly build: string;
  readonly target: string;
  /** 1-based provisioner position; 0 for the base (the builder's source). */
  readonly index: number;
  /** The provisioner type (`shell`), or the builder type for the base. */
  readonly type: string;
  readonly status: StepCacheStatus;
  /** The step's full key (64 hex); empty when none could be computed. */
  readonly key: string;
  /** Why it missed or is uncacheable (`not in the cache`, `shell-local runs on the host`). */
  readonly reason?: string;
  readonly text: string;
}

export type UiEventSink = (event: UiEvent) => void;
