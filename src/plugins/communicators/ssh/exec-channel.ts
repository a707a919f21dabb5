/**
 * An exec channel together with how it ended. ssh2 hands over the channel in the exec
 * callback, while it is still parsing the packet that confirmed the exec: when the
 * same read also holds the command's `exit-status`, `EOF` and `CLOSE` (a fast command
 * on a loaded machine, where the client reads late), ssh2 emits `exit` before that
 * parse returns. A listener attached after an `await` misses it, and the command looks
 * as if it ended without an exit status. So the listeners go on in the callback itself.
 */
import type { Client, ClientChannel, ExecOptions } from 'ssh2';

/** How the remote command ended; neither field when the channel closed without saying. */
export interface ExecEnd {
  /** The exit status (`exit-status`). */
  readonly status?: number;
  /** The signal's name without `SIG` (`exit-signal`), e.g. `KILL`. */
  readonly signal?: string;
}

export interface ExecChannel {
  readonly channel: ClientChannel;
  /**
   * Resolves once the channel has closed (its output has been read to the end: keep
   * both streams flowing), with the exit status or signal if the server sent one. Never
   * rejects. A dropped connection closes the channel too.
   */
  readonly ended: Promise<ExecEnd>;
}

function endOf(code: unknown, signal: unknown): ExecEnd | undefined {
  if (typeof code === 'number') return { status: code };
  if (typeof signal === 'string' && signal !== '') return { signal: signal.replace(/^SIG/, '') };
  return undefined;
}

/** Watches `ch` for its end from now on; call in the exec callback, before any `await`. */
function watchEnd(ch: ClientChannel): Promise<ExecEnd> {
  return new Promise((resolve) => {
    let seen: ExecEnd | undefined;
    ch.once('exit', (code: unknown, signal: unknown) => {
      seen ??= endOf(code, signal);
    });
    // ssh2 also passes what it recorded of the exit to 'close'.
    ch.once('close', (code: unknown, signal: unknown) => resolve(seen ?? endOf(code, signal) ?? {}));
  });
}

/**
 * Opens a session channel on `client` and starts `command`. Rejects when the channel
 * cannot be opened or the server refuses the exec (the caller may re-dial).
 */
export function openExecChannel(client: Client, command: string, options: ExecOptions): Promise<ExecChannel> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(command, options, (err, channel) => {
        if (err) return reject(err);
        resolve({ channel, ended: watchEnd(channel) });
      });
    } catch (e) {
      reject(e as Error);
    }
  });
}
