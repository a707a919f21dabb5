/**
 * kiln's own standard output and standard error: every byte a command prints reaches
 * file descriptors 1 and 2 through `writeOutput`, synchronously, in the order written.
 *
 * Why not `process.stdout`: on a pipe (`kiln validate x | cat`, CI logs, the tests'
 * spawns) Node builds a `net.Socket` for it, which loads net, stream and their helpers:
 * ~3.5 ms of CPU on every run, a tenth of what kiln adds to Node's own start. A plain
 * `write(2)` needs none of that, and being synchronous, nothing is left in a buffer when
 * the process exits (`process.exit` included), whatever the descriptor is.
 *
 * - A partial write (a pipe whose reader is slow, a large `inspect` or `-machine-readable`
 *   stream) goes on from where it stopped until every byte is written.
 * - A descriptor another process left non-blocking (its flags are shared by every
 *   process holding it) answers EAGAIN when its pipe is full: the writer waits (1 ms,
 *   doubling to 16 ms) and tries again, as a blocking write would wait; nothing is lost.
 * - A reader that went away (`kiln inspect x | head -c1`) gives EPIPE (Node ignores
 *   SIGPIPE). As Packer, kiln then stops quietly, without a stack trace: a command that
 *   listens for interrupts (a build) is cancelled as by SIGTERM, so it cleans up what it
 *   started, and its later output to that descriptor is dropped; any other command exits
 *   at once with the exit code it had so far (0 when none).
 * Any other write error (EBADF for a closed descriptor, EIO) is thrown to the caller.
 */
import { writeSync } from 'node:fs';

/** The two descriptors a command writes to. */
export type OutputFd = 1 | 2;

const broken = new Set<OutputFd>();
let pause: Int32Array | undefined;

/** Writes all of `text` to `fd` (1 or 2) before returning; see the file's comment for EAGAIN and EPIPE. */
export function writeOutput(fd: OutputFd, text: string): void {
  if (text.length === 0 || broken.has(fd)) return;
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  let wait = 1;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
      wait = 1;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        sleep(wait);
        wait = Math.min(wait * 2, 16);
      } else if (code === 'EPIPE') {
        readerGone(fd);
        return;
      } else {
        throw err;
      }
    }
  }
}

/** Blocks the thread for `ms` milliseconds (a full pipe holds the process, as a blocking write would). */
function sleep(ms: number): void {
  pause ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(pause, 0, 0, ms);
}

function readerGone(fd: OutputFd): void {
  broken.add(fd);
  if (process.listenerCount('SIGTERM') > 0) {
    // A build: cancel it as SIGTERM would (outside this write, which may sit deep in a renderer).
    setImmediate(() => process.emit('SIGTERM', 'SIGTERM'));
    return;
  }
  process.exit(process.exitCode ?? 0);
}
