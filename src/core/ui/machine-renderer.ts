/**
 * Packer's `-machine-readable` output: `unix-seconds,target,type,args...`. Say, message
 * and error become `ui,say|message|error,<text>`; commas in arguments are written
 * `%!(PACKER_COMMA)`, CR and LF as the two characters `\r` and `\n`.
 */
import type { UiEvent } from './events.js';
import { isTextEvent } from './events.js';

export interface MachineRendererOptions {
  readonly write: (text: string) => void;
  readonly now?: () => Date;
}

export class MachineRenderer {
  readonly #opts: MachineRendererOptions;

  constructor(opts: MachineRendererOptions) {
    this.#opts = opts;
  }

  render(event: UiEvent): void {
    const now = this.#opts.now?.() ?? new Date();
    if (event.kind === 'machine') {
      this.#opts.write(machineLine(now, event.target ?? '', event.type, event.args));
    } else if (event.kind === 'step-cache') {
      this.#opts.write(machineLine(now, event.target, 'cache', [String(event.index), event.status.toUpperCase(), event.key, event.reason ?? '']));
    } else if (isTextEvent(event)) {
      this.#opts.write(machineLine(now, event.target ?? '', 'ui', [event.kind, event.text]));
    }
  }
}

export function machineLine(now: Date, target: string, type: string, args: readonly string[]): string {
  const escaped = args.map((a) => a.replaceAll(',', '%!(PACKER_COMMA)').replaceAll('\r', '\\r').replaceAll('\n', '\\n'));
  return `${Math.floor(now.getTime() / 1000)},${target},${type},${escaped.join(',')}\n`;
}
