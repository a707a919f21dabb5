/**
 * Packer's human output: `==> target: line` for every line of a message, trailing
 * whitespace trimmed; per-build colours (bold green, cyan, magenta, yellow, blue in
 * turn) and red errors when colour is on; optional RFC3339 timestamps. Say and error
 * both go to standard output, as in Packer.
 */
import type { UiEvent } from './events.js';
import { isTextEvent } from './events.js';

export const BUILD_COLORS = [32, 36, 35, 33, 34] as const;
const RED = 31;

export interface HumanRendererOptions {
  readonly write: (text: string) => void;
  readonly color: boolean;
  /** `-timestamp-ui`: the clock to read (injected for tests). */
  readonly timestamp?: () => Date;
}

export class HumanRenderer {
  readonly #opts: HumanRendererOptions;
  readonly #colors = new Map<string, number>();

  constructor(opts: HumanRendererOptions) {
    this.#opts = opts;
  }

  /** Fixes each build's colour by its position, as Packer assigns them. */
  assignColors(builds: readonly string[]): void {
    builds.forEach((b, i) => this.#colors.set(b, BUILD_COLORS[i % BUILD_COLORS.length] as number));
  }

  render(event: UiEvent): void {
    if (!isTextEvent(event) && event.kind !== 'step-cache') return;
    let text = event.target === undefined ? event.text : prefixLines(event.target, event.text);
    if (event.build !== undefined && this.#opts.timestamp) text = `${rfc3339Local(this.#opts.timestamp())}: ${text}`;
    const color = event.kind === 'error' ? RED : this.#colors.get(event.build ?? '');
    if (this.#opts.color && event.build !== undefined && color !== undefined) text = `\x1b[1;${color}m${text}\x1b[0m`;
    this.#opts.write(`${text}\n`);
  }
}

/** `==> target: line` on each line; trailing whitespace of the whole block trimmed. */
export function prefixLines(target: string, message: string): string {
  return message
    .split('\n')
    .map((line) => `==> ${target}: ${line}`)
    .join('\n')
    .trimEnd();
}

/** Go's time.RFC3339 in local time: `2006-01-02T15:04:05-07:00`, or `Z` at UTC. */
export function rfc3339Local(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const zone = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}`;
}
