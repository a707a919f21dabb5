/**
 * Deflate on every core, as one stream: the input is cut into blocks that zlib
 * compresses on the libuv threadpool, each primed with the previous block's last
 * 32 KiB as dictionary and ended with a sync flush, so the concatenated outputs form a
 * single valid deflate stream (pigz's method; pgzip does the same). The compression
 * ratio stays within a fraction of a percent of a single-threaded run.
 */
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { ByteSink } from './sink.js';
import { OrderedWindow } from './sink.js';

const deflateRaw = promisify<zlib.InputType, zlib.ZlibOptions, Buffer>(zlib.deflateRaw);

/** An empty final block with fixed Huffman codes: ends a stream whose blocks were sync-flushed. */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);
const WINDOW = 32 * 1024;

export const DEFAULT_BLOCK_SIZE = 1 << 20;

/**
 * zlib's level for Packer's default: Packer's Go deflaters (klauspost) at their default
 * level compress disk-image-like data to about what zlib's level 5 does, at a
 * fraction of zlib level 6's cost; level 5 matches or beats Packer's size (bench/compress.ts).
 */
export const DEFAULT_ZLIB_LEVEL = 5;

/** zlib options for a Packer `compression_level` (already normalised: -1 default, -2 Huffman only). */
export function zlibLevel(level: number): Pick<zlib.ZlibOptions, 'level' | 'strategy'> {
  if (level === -2) return { level: DEFAULT_ZLIB_LEVEL, strategy: zlib.constants.Z_HUFFMAN_ONLY };
  return { level: level === -1 ? DEFAULT_ZLIB_LEVEL : level };
}

/** How many blocks to keep in flight: one per core, plus one being read or written. */
export function parallelism(): number {
  return Math.max(2, availableParallelism() + 1);
}

export class ParallelDeflate implements ByteSink {
  /** CRC-32 of everything written so far. */
  crc = 0;
  /** Uncompressed bytes written so far. */
  length = 0;
  private parts: Buffer[] = [];
  private partsLength = 0;
  private dictionary: Buffer | undefined;
  private readonly window: OrderedWindow<Buffer>;

  constructor(
    private readonly out: ByteSink,
    private readonly level: number,
    private readonly blockSize = DEFAULT_BLOCK_SIZE,
  ) {
    this.window = new OrderedWindow(parallelism(), (b) => out.write(b));
  }

  async write(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    // A whole block handed over as is: no copy.
    if (this.partsLength === 0 && chunk.length === this.blockSize) return this.submit(chunk);
    this.parts.push(chunk);
    this.partsLength += chunk.length;
    while (this.partsLength >= this.blockSize) {
      const all = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.partsLength);
      const block = all.subarray(0, this.blockSize);
      const rest = all.subarray(this.blockSize);
      this.parts = rest.length > 0 ? [rest] : [];
      this.partsLength = rest.length;
      await this.submit(block);
    }
  }

  /** Compresses what is left, ends the deflate stream, and drains; does not end `out`. */
  async finish(): Promise<void> {
    if (this.partsLength > 0) await this.submit(Buffer.concat(this.parts, this.partsLength));
    this.parts = [];
    this.partsLength = 0;
    await this.window.drain();
    await this.out.write(FINAL_EMPTY_BLOCK);
  }

  async end(): Promise<void> {
    await this.finish();
    await this.out.end();
  }

  private submit(block: Buffer): Promise<void> {
    this.crc = zlib.crc32(block, this.crc);
    this.length += block.length;
    const stored = this.level !== 0 && looksIncompressible(block);
    const options: zlib.ZlibOptions = { ...(stored ? { level: 0 } : zlibLevel(this.level)), finishFlush: zlib.constants.Z_SYNC_FLUSH };
    if (this.dictionary) options.dictionary = this.dictionary;
    this.dictionary = block.length >= WINDOW ? block.subarray(block.length - WINDOW) : Buffer.concat([this.dictionary ?? Buffer.alloc(0), block]).subarray(-WINDOW);
    return this.window.submit(() => deflateRaw(block, options));
  }
}

const PROBES = 8;
const PROBE_SIZE = 4096;

/**
 * Whether every one of eight 4 KiB samples across the block resists zlib's fastest
 * level (at most 2% saved). zlib spends as long failing to compress random data as it
 * spends compressing text (about 50 MB/s at any level); such blocks (compressed
 * packages, encrypted or already-compressed images) are stored instead, at the cost
 * of the probes (about 3%). A block with any compressible sample is deflated.
 */
export function looksIncompressible(block: Buffer): boolean {
  if (block.length < PROBES * PROBE_SIZE * 2) return false;
  const step = Math.floor((block.length - PROBE_SIZE) / (PROBES - 1));
  for (let i = 0; i < PROBES; i++) {
    const sample = block.subarray(i * step, i * step + PROBE_SIZE);
    if (zlib.deflateRawSync(sample, { level: 1 }).length < PROBE_SIZE * 0.98) return false;
  }
  return true;
}
