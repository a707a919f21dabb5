/**
 * Byte sinks the compress post-processor writes through: a file at the bottom,
 * compressors stacked on it, archive writers on top. `write` resolves when the sink
 * can take more (backpressure); the caller must not reuse a buffer it handed over.
 */
import type { FileHandle } from 'node:fs/promises';

export interface ByteSink {
  write(chunk: Buffer): Promise<void>;
  /** Optional: writes several chunks in order with one call (same effect as writing each). */
  writev?(chunks: readonly Buffer[]): Promise<void>;
  /** Flushes everything and finishes the format; the sink is unusable afterwards. */
  end(): Promise<void>;
}

/** Appends to an open file; `end` leaves closing the handle to its owner. */
export class FileSink implements ByteSink {
  constructor(private readonly fh: FileHandle) {}

  async write(chunk: Buffer): Promise<void> {
    let off = 0;
    while (off < chunk.length) {
      const { bytesWritten } = await this.fh.write(chunk, off, chunk.length - off, null);
      off += bytesWritten;
    }
  }

  async writev(chunks: readonly Buffer[]): Promise<void> {
    let { bytesWritten: skip } = await this.fh.writev([...chunks]);
    // A short write (rare for files): finish chunk by chunk.
    for (const c of chunks) {
      if (skip >= c.length) skip -= c.length;
      else {
        await this.write(c.subarray(skip));
        skip = 0;
      }
    }
  }

  async end(): Promise<void> {}
}

/** Counts what passes through, for formats that need offsets (zip). */
export class CountingSink implements ByteSink {
  bytes = 0;
  constructor(private readonly inner: ByteSink) {}

  write(chunk: Buffer): Promise<void> {
    this.bytes += chunk.length;
    return this.inner.write(chunk);
  }

  async writev(chunks: readonly Buffer[]): Promise<void> {
    for (const c of chunks) this.bytes += c.length;
    if (this.inner.writev) return this.inner.writev(chunks);
    for (const c of chunks) await this.inner.write(c);
  }

  end(): Promise<void> {
    return this.inner.end();
  }
}

/**
 * Runs async jobs, at most `running` at a time, and hands their results to `emit` in
 * submission order. At most `width` results are held (running, waiting for a slot, or
 * done and waiting for their turn): `submit` waits, emitting, while the window is full.
 * Keeping `running` below `width` lets a slow job at the head of the line hold its
 * place without idling the cores: later jobs start as slots free up and wait, done,
 * for their turn.
 */
export class OrderedWindow<T> {
  private readonly queue: Promise<T>[] = [];
  private readonly waiting: (() => void)[] = [];
  private active = 0;

  constructor(
    private readonly width: number,
    private readonly emit: (value: T) => Promise<void>,
    private readonly running = width,
  ) {}

  /** Queues `job`, started once fewer than `running` jobs run. */
  submit(job: () => Promise<T>): Promise<void> {
    const result = new Promise<T>((resolve, reject) => {
      const start = (): void => {
        this.active++;
        let run: Promise<T>;
        try {
          run = job();
        } catch (err) {
          run = Promise.reject(err);
        }
        void run.then(resolve, reject).finally(() => {
          this.active--;
          this.waiting.shift()?.();
        });
      };
      if (this.active < this.running) start();
      else this.waiting.push(start);
    });
    return this.enqueue(result);
  }

  /** Queues a result that needs no work (it takes no running slot). */
  submitValue(value: T): Promise<void> {
    return this.enqueue(Promise.resolve(value));
  }

  async drain(): Promise<void> {
    while (this.queue.length > 0) await this.emitOne();
  }

  private async enqueue(result: Promise<T>): Promise<void> {
    // Keep a rejection from going unhandled while it waits its turn.
    result.catch(() => {});
    this.queue.push(result);
    while (this.queue.length >= this.width) await this.emitOne();
  }

  private async emitOne(): Promise<void> {
    const p = this.queue.shift();
    if (p === undefined) return;
    await this.emit(await p);
  }
}

/** Cuts a stream of chunks into pieces of exactly `size` bytes (the last one shorter). */
export class Rechunker {
  private parts: Buffer[] = [];
  private length = 0;

  constructor(private readonly size: number) {}

  /** Takes a chunk; returns the pieces it completed. */
  push(chunk: Buffer): Buffer[] {
    this.parts.push(chunk);
    this.length += chunk.length;
    const out: Buffer[] = [];
    if (this.length < this.size) return out;
    const all = Buffer.concat(this.parts, this.length);
    let off = 0;
    for (; off + this.size <= all.length; off += this.size) out.push(all.subarray(off, off + this.size));
    this.parts = off < all.length ? [all.subarray(off)] : [];
    this.length = all.length - off;
    return out;
  }

  /** What is left (possibly empty); the rechunker is empty afterwards. */
  rest(): Buffer {
    const r = Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.length = 0;
    return r;
  }
}
