/**
 * Runs a program on the local host and reports how it ended, as Go's `exec.Cmd` does
 * for Packer's shell-local: the argv is executed directly (no shell of our own), output
 * is streamed to callbacks, and the exit status is the program's, or -1 when a signal
 * killed it (Go's `WaitStatus.ExitStatus()`).
 *
 * With a ledger, the program is recorded before it starts, with a unique environment
 * entry its whole tree inherits: if kiln dies without cleaning up (`kill -9`), `kiln gc`
 * ends the script and whatever it started.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Ledger } from '../ledger/ledger.js';
import { LEDGER_MARK_VAR, newLedgerMark } from '../ledger/process-identity.js';

export interface LocalCommand {
  /** Program and arguments; the program is looked up on PATH. */
  readonly argv: readonly string[];
  readonly cwd?: string;
  /** The child's environment; default this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Fed to standard input; without it standard input is empty. */
  readonly stdin?: Readable | Buffer;
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
  /** The run's ledger: the program's process tree is recorded in it while it runs. */
  readonly ledger?: Ledger;
}

/**
 * Resolves with the exit status once the program ended and its output streams closed.
 * Rejects when it cannot start (missing program, empty argv) or when `signal` aborts —
 * the program and everything it started (its process group) is then killed.
 */
export function spawnLocal(cmd: LocalCommand, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const [program, ...args] = cmd.argv;
    if (program === undefined || program === '') {
      reject(new Error('no command to run'));
      return;
    }
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const mark = cmd.ledger ? newLedgerMark() : undefined;
    const record = mark && cmd.ledger?.intent({ kind: 'process', match: program, env: mark.entry, name: program, tree: true });
    // A process group of its own: on abort the whole tree goes, not only the shell.
    const child = spawn(program, args, {
      cwd: cmd.cwd,
      env: mark ? { ...(cmd.env ?? process.env), [LEDGER_MARK_VAR]: mark.value } : (cmd.env ?? process.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    if (child.pid !== undefined) record?.identify(String(child.pid));
    const kill = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      kill();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (c: Buffer) => cmd.onStdout?.(c));
    child.stderr.on('data', (c: Buffer) => cmd.onStderr?.(c));
    child.stdin.on('error', () => undefined); // the program may exit without reading it
    if (Buffer.isBuffer(cmd.stdin)) child.stdin.end(cmd.stdin);
    else if (cmd.stdin) cmd.stdin.pipe(child.stdin);
    else child.stdin.end();
    child.once('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      record?.done();
      reject(err);
    });
    child.once('close', (code, sig) => {
      signal?.removeEventListener('abort', onAbort);
      record?.done();
      if (aborted && signal) reject(abortError(signal));
      else resolve(code ?? (sig ? -1 : 0));
    });
  });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('context canceled');
}
