/**
 * `kiln build -json`: every event as one line of JSON (newline-delimited), in the
 * versioned schema of docs/events.md and docs/schema/events.schema.json. Text Packer
 * prints becomes `{"type":"ui","level":"say",...}`; the structured events keep their
 * fields and their kind as `type`. `machine` events (the `-machine-readable`
 * protocol) are not repeated: the artifact and build events carry the same facts.
 * Texts arrive masked (the emitter filters secrets before any renderer).
 */
import type { UiEvent } from './events.js';
import { isTextEvent } from './events.js';

/** The schema version every line carries as `v`; bumped only for incompatible changes. */
export const EVENTS_SCHEMA_VERSION = 1;

export interface JsonRendererOptions {
  /** Receives one complete line (with its `\n`) per event. */
  readonly write: (line: string) => void;
  readonly now?: () => Date;
}

export class JsonRenderer {
  readonly #opts: JsonRendererOptions;

  constructor(opts: JsonRendererOptions) {
    this.#opts = opts;
  }

  render(event: UiEvent): void {
    const line = jsonEvent(event, (this.#opts.now?.() ?? new Date()).toISOString());
    if (line) this.#opts.write(`${JSON.stringify(line)}\n`);
  }
}

/** The JSON object of one event, or undefined for the events the stream leaves out. */
export function jsonEvent(event: UiEvent, time: string): Record<string, unknown> | undefined {
  if (event.kind === 'machine') return undefined;
  if (isTextEvent(event)) {
    const { kind, ...rest } = event;
    return { v: EVENTS_SCHEMA_VERSION, time, type: 'ui', level: kind, ...rest };
  }
  if (event.kind === 'step-cache') {
    // Its component type would collide with the envelope's `type`.
    const { kind, type, ...rest } = event;
    return { v: EVENTS_SCHEMA_VERSION, time, type: kind, componentType: type, ...rest };
  }
  const { kind, ...rest } = event;
  return { v: EVENTS_SCHEMA_VERSION, time, type: kind, ...rest };
}
