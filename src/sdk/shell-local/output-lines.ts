/**
 * Command output shown the way Packer's `RemoteCmd.RunWithUi` shows it: split into
 * lines, each trimmed of trailing whitespace and of anything before its last `\r`
 * (a progress bar's overwritten text); stdout lines through `ui.say`, stderr lines
 * through `ui.error`.
 */
import type { Ui } from '../ui.js';

/** The text Packer prints for one raw output line (without its newline). */
export function cleanOutputLine(line: string): string {
  const trimmed = line.replace(/\s+$/u, '');
  const cr = trimmed.lastIndexOf('\r');
  return cr >= 0 ? trimmed.slice(cr + 1) : trimmed;
}

/** Collects chunks of one stream and emits whole lines; `end` flushes a last partial line. */
export class LineSplitter {
  #pending = '';
  readonly #decoder = new TextDecoder('utf-8');

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: Buffer): void {
    this.#pending += this.#decoder.decode(chunk, { stream: true });
    let nl = this.#pending.indexOf('\n');
    while (nl >= 0) {
      this.emit(cleanOutputLine(this.#pending.slice(0, nl)));
      this.#pending = this.#pending.slice(nl + 1);
      nl = this.#pending.indexOf('\n');
    }
  }

  end(): void {
    this.#pending += this.#decoder.decode();
    if (this.#pending !== '') this.emit(cleanOutputLine(this.#pending));
    this.#pending = '';
  }
}

/** Output callbacks for a command whose output goes to `ui`; call `end()` once it finished. */
export function uiOutput(ui: Ui): { onStdout: (c: Buffer) => void; onStderr: (c: Buffer) => void; end: () => void } {
  const out = new LineSplitter((l) => ui.say(l));
  const err = new LineSplitter((l) => ui.error(l));
  return {
    onStdout: (c) => out.push(c),
    onStderr: (c) => err.push(c),
    end: () => {
      out.end();
      err.end();
    },
  };
}
