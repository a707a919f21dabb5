/**
 * Reads a file in fresh 1 MiB buffers (sinks keep what they are given), one read ahead
 * of the consumer.
 */
import type { FileHandle } from 'node:fs/promises';
import { DEFAULT_BLOCK_SIZE } from './parallel-deflate.js';

export async function* readChunks(fh: FileHandle, limit = Infinity, signal?: AbortSignal): AsyncGenerator<Buffer> {
  let remaining = limit;
  const next = () => {
    const want = Math.min(DEFAULT_BLOCK_SIZE, remaining);
    return want <= 0 ? Promise.resolve(Buffer.alloc(0)) : fh.read(Buffer.allocUnsafe(want), 0, want, null).then((r) => r.buffer.subarray(0, r.bytesRead));
  };
  let pending = next();
  for (;;) {
    const chunk = await pending;
    if (chunk.length === 0) return;
    remaining -= chunk.length;
    if (signal?.aborted) throw new Error('context canceled');
    pending = next();
    // Park a failing read-ahead until it is awaited, so it never goes unhandled.
    pending.catch(() => {});
    yield chunk;
  }
}
