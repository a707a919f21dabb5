/**
 * Reads a file in 1 MiB buffers, one read ahead of the consumer: fresh ones (sinks keep
 * what they are given), or from `pool`, to which the consumer gives them back.
 */
import type { FileHandle } from 'node:fs/promises';
import { DEFAULT_BLOCK_SIZE } from './parallel-deflate.js';

export async function* readChunks(fh: FileHandle, limit = Infinity, signal?: AbortSignal, pool?: BufferPool): AsyncGenerator<Buffer> {
  let remaining = limit;
  const next = () => {
    const want = Math.min(DEFAULT_BLOCK_SIZE, remaining);
    return want <= 0 ? Promise.resolve(Buffer.alloc(0)) : fh.read(pool ? pool.take(want) : Buffer.allocUnsafe(want), 0, want, null).then((r) => r.buffer.subarray(0, r.bytesRead));
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

/**
 * Buffers of one size handed out and given back: reading a disk image through fresh
 * 1 MiB buffers costs a page fault per 4 KiB and keeps the garbage collector busy.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(private readonly size = DEFAULT_BLOCK_SIZE) {}

  /** A buffer of `want` bytes (at most the pool's size), with stale contents. */
  take(want: number): Buffer {
    const b = want === this.size ? this.free.pop() : undefined;
    return b ?? Buffer.allocUnsafe(want);
  }

  /** Takes `b` back; only a whole buffer of the pool's size is kept. */
  give(b: Buffer): void {
    if (b.length === this.size && b.byteOffset === 0 && b.buffer.byteLength === this.size && this.free.length < 64) this.free.push(b);
  }
}
