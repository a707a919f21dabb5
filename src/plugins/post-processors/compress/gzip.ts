/**
 * gzip with all cores (Packer's `.gz`, written by klauspost/pgzip): one gzip member
 * whose deflate stream is produced block-parallel, header as Go writes it.
 */
import type { ByteSink } from './sink.js';
import type { ParallelDeflateOptions } from './parallel-deflate.js';
import { ParallelDeflate } from './parallel-deflate.js';

/** Go's gzip header: no name, mtime 0, XFL by level, OS 255 (unknown). */
export function gzipHeader(level: number): Buffer {
  const xfl = level === 9 ? 2 : level === 1 ? 4 : 0;
  return Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 0xff]);
}

/** A gzip member's trailer: the CRC-32 of the uncompressed data and its length mod 2^32. */
export function gzipTrailer(crc: number, length: number): Buffer {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  return trailer;
}

export class ParallelGzip implements ByteSink {
  private readonly deflate: ParallelDeflate;
  private started = false;

  constructor(
    private readonly out: ByteSink,
    private readonly level: number,
    options: ParallelDeflateOptions = {},
  ) {
    this.deflate = new ParallelDeflate(out, level, options);
  }

  async write(chunk: Buffer): Promise<void> {
    await this.start();
    await this.deflate.write(chunk);
  }

  async end(): Promise<void> {
    await this.start();
    await this.deflate.finish();
    await this.out.write(gzipTrailer(this.deflate.crc, this.deflate.length));
    await this.out.end();
  }

  private async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.out.write(gzipHeader(this.level));
  }
}
