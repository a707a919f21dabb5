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
  | { readonly kind: 'machine'; readonly target?: string; readonly type: string; readonly args: readonly string[] };

export type UiEventSink = (event: UiEvent) => void;
