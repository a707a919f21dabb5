/**
 * BGZF (blocked gzip, as samtools/htslib and biogo's writer produce it): gzip members
 * of at most 0xff00 input bytes, each with a `BC` extra field giving the member's size,
 * compressed in parallel, then the 28-byte empty end-of-file member.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { gzipTrailer } from './gzip.js';
import { parallelism, zlibLevel } from './parallel-deflate.js';
import type { ByteSink } from './sink.js';
import { OrderedWindow, Rechunker } from './sink.js';

const deflateRaw = promisify<zlib.InputType, zlib.ZlibOptions, Buffer>(zlib.deflateRaw);

const BLOCK = 0xff00;
const EOF_BLOCK = Buffer.from('1f8b08040000000000ff0600424302001b0003000000000000000000', 'hex');

/** Several BGZF blocks per threadpool job, so 16,000 blocks a GiB do not mean 16,000 jobs. */
const BLOCKS_PER_JOB = 32;

export class BgzfWriter implements ByteSink {
  private readonly pieces = new Rechunker(BLOCK * BLOCKS_PER_JOB);
  private readonly window: OrderedWindow<Buffer>;

  constructor(
    private readonly out: ByteSink,
    private readonly level: number,
  ) {
    this.window = new OrderedWindow(parallelism(), (b) => out.write(b));
  }

  async write(chunk: Buffer): Promise<void> {
    for (const piece of this.pieces.push(chunk)) await this.submit(piece);
  }

  async end(): Promise<void> {
    const rest = this.pieces.rest();
    if (rest.length > 0) await this.submit(rest);
    await this.window.drain();
    await this.out.write(EOF_BLOCK);
    await this.out.end();
  }

  private submit(data: Buffer): Promise<void> {
    const options = zlibLevel(this.level);
    return this.window.submit(async () => {
      const members: Promise<Buffer>[] = [];
      for (let off = 0; off < data.length; off += BLOCK) {
        const block = data.subarray(off, Math.min(off + BLOCK, data.length));
        members.push(deflateRaw(block, options).then((deflated) => member(block, deflated)));
      }
      return Buffer.concat(await Promise.all(members));
    });
  }
}

function member(block: Buffer, deflated: Buffer): Buffer {
  const total = 18 + deflated.length + 8;
  const head = Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0, 0, 0]);
  head.writeUInt16LE(total - 1, 16);
  return Buffer.concat([head, deflated, gzipTrailer(zlib.crc32(block), block.length)]);
}
