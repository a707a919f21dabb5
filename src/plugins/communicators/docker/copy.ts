/** Small helpers for the docker communicator's file copies. */
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/**
 * Copies `source` into `sink` with backpressure and leaves `sink` open (the caller owns
 * it, as with Go's io.Writer). Rejects on a read or write error, or when `signal` aborts.
 */
export function copyInto(source: Readable, sink: Writable, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (err: unknown): void => {
      cleanup();
      source.destroy();
      reject(err);
    };
    const onAbort = (): void => fail(signal?.reason ?? new DOMException('The operation was aborted', 'AbortError'));
    const cleanup = (): void => {
      sink.removeListener('error', fail);
      signal?.removeEventListener('abort', onAbort);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    sink.on('error', fail);
    source.on('error', fail);
    source.on('data', (chunk: Buffer) => {
      if (!sink.write(chunk)) {
        source.pause();
        sink.once('drain', () => source.resume());
      }
    });
    source.on('end', () => {
      const done = (): void => {
        cleanup();
        resolve();
      };
      if (sink.writableNeedDrain) sink.once('drain', done);
      else done();
    });
  });
}

/**
 * An `fs.cp` filter dropping the paths `exclude` lists, relative to `root`: an entry
 * excludes that file or folder and everything below it.
 */
export function excludeFilter(root: string, exclude: readonly string[]): (src: string) => boolean {
  const base = path.resolve(root);
  const dropped = exclude.map((e) => path.normalize(e).replace(/\/+$/, '')).filter((e) => e !== '' && e !== '.');
  return (src) => {
    const rel = path.relative(base, path.resolve(src));
    return !dropped.some((d) => rel === d || rel.startsWith(`${d}${path.sep}`));
  };
}
