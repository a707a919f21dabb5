/**
 * The `PACKER_LOG` / `PACKER_LOG_PATH` debug log: Go-log-style lines
 * (`2006/01/02 15:04:05 [INFO] ...`). With `PACKER_LOG_PATH` it goes to that file;
 * with only `PACKER_LOG` (not `0`) to stderr, leaving out the `ui:` lines already
 * shown. Everything passes through the secret filter first.
 */
import { appendFileSync } from 'node:fs';
import type { UiEvent } from './events.js';
import type { SecretFilter } from './secret-filter.js';

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export class DebugLog {
  readonly #write: ((line: string) => void) | undefined;
  readonly #secrets: SecretFilter;
  readonly #skipUiLines: boolean;
  readonly #now: () => Date;

  /** `write` undefined: logging is off and every call is a no-op. */
  constructor(opts: { write?: (line: string) => void; secrets: SecretFilter; skipUiLines?: boolean; now?: () => Date }) {
    this.#write = opts.write;
    this.#secrets = opts.secrets;
    this.#skipUiLines = opts.skipUiLines ?? false;
    this.#now = opts.now ?? (() => new Date());
  }

  /** The log Packer's environment variables ask for; stderr and file writes are synchronous so nothing is lost on exit. */
  static fromEnv(env: NodeJS.ProcessEnv, secrets: SecretFilter, stderr: (t: string) => void): DebugLog {
    const path = env['PACKER_LOG_PATH'];
    if (path) return new DebugLog({ write: (line) => appendFileSync(path, line), secrets });
    const flag = env['PACKER_LOG'];
    if (flag && flag !== '0') return new DebugLog({ write: stderr, secrets, skipUiLines: true });
    return new DebugLog({ secrets });
  }

  get enabled(): boolean {
    return this.#write !== undefined;
  }

  log(level: LogLevel, message: string): void {
    this.#line(`[${level}] ${message}`);
  }

  /** A sink for the UI event stream. */
  readonly sink = (event: UiEvent): void => {
    if (!this.#write || this.#skipUiLines) return;
    switch (event.kind) {
      case 'say':
      case 'message':
      case 'step-cache':
        this.#line(`ui: ${prefixed(event)}`);
        break;
      case 'error':
        this.#line(`ui error: ${prefixed(event)}`);
        break;
      case 'machine':
        this.#line(`machine readable: ${event.target ?? ''} ${event.type} ${JSON.stringify(event.args)}`);
        break;
    }
  };

  #line(text: string): void {
    if (!this.#write) return;
    const d = this.#now();
    const pad = (n: number) => String(n).padStart(2, '0');
    const stamp = `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    for (const line of this.#secrets.filter(text).split('\n')) this.#write(`${stamp} ${line}\n`);
  }
}

function prefixed(event: { target?: string; text: string }): string {
  return event.target === undefined ? event.text : `==> ${event.target}: ${event.text}`;
}
