/**
 * LZ4 frames (the `lz4` CLI's format): the input in 4 MiB pieces, each compressed as
 * its own frame with a content checksum on the threadpool by lz4-napi; concatenated
 * frames are one valid `.lz4` file. lz4-napi has no levels, so `compression_level`
 * does not change the output (Packer maps it to pierrec/lz4's levels).
 */
import { compressFrame } from 'lz4-napi';
import { parallelism } from './parallel-deflate.js';
import type { ByteSink } from './sink.js';
import { OrderedWindow, Rechunker } from './sink.js';

const PIECE = 4 << 20;

export class Lz4Writer implements ByteSink {
  private readonly pieces = new Rechunker(PIECE);
  private started = false;
  private readonly window: OrderedWindow<Buffer>;

  constructor(private readonly out: ByteSink) {
    this.window = new OrderedWindow(parallelism(), (b) => out.write(b));
  }

  async write(chunk: Buffer): Promise<void> {
    for (const piece of this.pieces.push(chunk)) await this.submit(piece);
  }

  async end(): Promise<void> {
    const rest = this.pieces.rest();
    // An empty input still gets one (empty) frame, as the CLI writes.
    if (rest.length > 0 || !this.started) await this.submit(rest);
    await this.window.drain();
    await this.out.end();
  }

  private submit(piece: Buffer): Promise<void> {
    this.started = true;
    return this.window.submit(() => compressFrame(piece, { contentChecksum: true }));
  }
}
