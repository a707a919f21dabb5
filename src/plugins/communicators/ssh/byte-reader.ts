/**
 * Pulls bytes, lines and counted runs from a stream with backpressure: the SCP
 * protocol interleaves one-byte acks, text records and raw file data on one channel.
 */
import type { Readable, Writable } from 'node:stream';

export class ByteReader {
  private readonly it: AsyncIterator<unknown>;
  private pending: Buffer = Buffer.alloc(0);

  constructor(stream: Readable) {
    this.it = stream[Symbol.asyncIterator]();
  }

  /** Ensures some bytes are pending; false at end of stream. */
  private async fill(): Promise<boolean> {
    while (this.pending.length === 0) {
      const r = await this.it.next();
      if (r.done) return false;
      this.pending = Buffer.isBuffer(r.value) ? r.value : Buffer.from(String(r.value));
    }
    return true;
  }

  /** True when the stream has ended with nothing left to read. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill());
  }

  /** The next byte; throws at end of stream. */
  async byte(): Promise<number> {
    if (!(await this.fill())) throw new Error('unexpected end of stream');
    const b = this.pending[0] as number;
    this.pending = this.pending.subarray(1);
    return b;
  }

  /** Bytes up to (not including) the next `\n`; throws at end of stream. */
  async line(): Promise<string> {
    const parts: Buffer[] = [];
    for (;;) {
      if (!(await this.fill())) throw new Error('unexpected end of stream');
      const nl = this.pending.indexOf(10);
      if (nl >= 0) {
        parts.push(this.pending.subarray(0, nl));
        this.pending = this.pending.subarray(nl + 1);
        return Buffer.concat(parts).toString('utf8');
      }
      parts.push(this.pending);
      this.pending = Buffer.alloc(0);
    }
  }

  /** Copies exactly `n` bytes into `sink` (or drops them when `sink` is undefined). */
  async copy(n: number, sink: Writable | undefined): Promise<void> {
    let left = n;
    while (left > 0) {
      if (!(await this.fill())) throw new Error(`unexpected end of stream with ${left} bytes still to read`);
      const chunk = this.pending.subarray(0, Math.min(left, this.pending.length));
      this.pending = this.pending.subarray(chunk.length);
      left -= chunk.length;
      if (sink && !sink.write(chunk)) await drained(sink);
    }
  }

  /** Everything left, as text (for error messages). */
  async rest(): Promise<string> {
    const parts: Buffer[] = [this.pending];
    this.pending = Buffer.alloc(0);
    while (await this.fill()) {
      parts.push(this.pending);
      this.pending = Buffer.alloc(0);
    }
    return Buffer.concat(parts).toString('utf8');
  }
}

/** Resolves on the writable's next 'drain' (or rejects if it errors or closes first). */
export function drained(w: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      w.off('drain', onDrain);
      w.off('error', onError);
      w.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (e: Error) => done(e);
    const onClose = () => done(new Error('stream closed while writing'));
    w.on('drain', onDrain);
    w.on('error', onError);
    w.on('close', onClose);
  });
}

/** Writes `chunk`, waiting for 'drain' when the stream asks for it. */
export async function writeAll(w: Writable, chunk: Buffer | string): Promise<void> {
  if (!w.write(chunk)) await drained(w);
}
