/**
 * The one place where text enters the event stream: masks secrets, then publishes.
 * Components get a `Ui` bound to their build and target from `uiFor`.
 */
import type { Ui } from '../../sdk/ui.js';
import type { UiEvent, UiEventSink } from './events.js';
import { isTextEvent } from './events.js';
import type { SecretFilter } from './secret-filter.js';

export interface EmitterOptions {
  readonly secrets: SecretFilter;
  readonly sinks: readonly UiEventSink[];
  /** Reads an answer from the user; absent when there is no terminal (machine-readable, CI). */
  readonly ask?: (query: string) => Promise<string>;
}

export class UiEmitter {
  readonly #opts: EmitterOptions;

  constructor(opts: EmitterOptions) {
    this.#opts = opts;
  }

  emit(event: UiEvent): void {
    const secrets = this.#opts.secrets;
    let masked: UiEvent;
    if (event.kind === 'machine') masked = { ...event, args: event.args.map((a) => secrets.filter(a)) };
    else if (isTextEvent(event)) masked = { ...event, text: secrets.filter(event.text) };
    else masked = maskStrings(event, (s) => secrets.filter(s));
    for (const sink of this.#opts.sinks) sink(masked);
  }

  /** A global line (no build, no prefix): `==> Wait completed after ...`. */
  say(text: string): void {
    this.emit({ kind: 'say', text });
  }

  error(text: string): void {
    this.emit({ kind: 'error', text });
  }

  machine(type: string, args: readonly string[], target?: string): void {
    this.emit({ kind: 'machine', type, args, ...(target === undefined ? {} : { target }) });
  }

  /**
   * The `Ui` a component of `build` talks to. `target` defaults to the build name;
   * post-processors use `<build> (<type>)`. `target: null` gives per-build lines
   * without the `==>` prefix.
   */
  uiFor(build: string, target: string | null = build): Ui {
    const at = target === null ? {} : { target };
    return {
      say: (text) => this.emit({ kind: 'say', build, ...at, text }),
      message: (text) => this.emit({ kind: 'message', build, ...at, text }),
      error: (text) => this.emit({ kind: 'error', build, ...at, text }),
      progress: (p) => this.emit({ kind: 'progress', build, ...at, ...p }),
      ask: async (query) => {
        const ask = this.#opts.ask;
        if (!ask) throw new Error("machine-readable UI can't ask");
        return ask(this.#opts.secrets.filter(target === null ? query : `==> ${target}: ${query}`));
      },
    };
  }
}

/** A copy of `value` with `mask` applied to every string in it, at any depth (object keys included). */
export function maskStrings<T>(value: T, mask: (s: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return mask(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [mask(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}
