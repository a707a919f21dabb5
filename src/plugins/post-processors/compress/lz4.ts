/**
 * LZ4 frames (the `lz4` CLI's format): the input in 4 MiB pieces, each compressed as
 * its own frame with a content checksum on the threadpool by lz4-napi; concatenated
 * frames are one valid `.lz4` file. lz4-napi has no levels, so `compression_level`
 * does not change the output (Packer maps it to pierrec/lz4's levels).
 */
import { compressFrame } from 'lz4-napi';
import { parallelism } from './parallel-deflate.js';
import type { ByteSink } from './sink.js';
import { OrderedWindow } from './sink.js';

const PIECE = 4 << 20;

export class Lz4Writer implements ByteSink {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private readonly window: OrderedWindow<Buffer>;

  constructor(private readonly out: ByteSink) {
    this.window = new OrderedWindow(parallelism(), (b) => out.write(b));
  }

  async write(chunk: Buffer): Promise<void> {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    while (this.pendingLength >= PIECE) {
      const all = Buffer.concat(this.pending, this.pendingLength);
      this.pending = [all.subarray(PIECE)];
      this.pendingLength = all.length - PIECE;
      await this.submit(all.subarray(0, PIECE));
    }
  }

  async end(): Promise<void> {
    // An empty input still gets one (empty) frame, as the CLI writes.
    if (this.pendingLength > 0 || !this.started) await this.submit(Buffer.concat(this.pending, this.pendingLength));
    await this.window.drain();
    await this.out.end();
  }

  private started = false;

  private submit(piece: Buffer): Promise<void> {
    this.started = true;
    return this.window.submit(() => compressFrame(piece, { contentChecksum: true }));
  }
}
