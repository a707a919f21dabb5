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
import { crc32, crc32Zeros } from './crc32.js';
import type { ByteSink } from './sink.js';
import { OrderedWindow } from './sink.js';

const deflateRaw = promisify<zlib.InputType, zlib.ZlibOptions, Buffer>(zlib.deflateRaw);

/** An empty final block with fixed Huffman codes: ends a stream whose blocks were sync-flushed. */
export const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);
export const WINDOW = 32 * 1024;

export const DEFAULT_BLOCK_SIZE = 1 << 20;

/**
 * zlib's level for Packer's default. Packer's Go deflater (klauspost) at its default
 * level packs about as tight as zlib 5 but runs 2-3 times faster than zlib can at that
 * size. Level 2 is the zlib level whose CPU cost matches Packer's (9 ms a MiB of text
 * against zlib 5's 20), at an output about 5% larger on disk-image-like data
 * (bench/compress.ts prints both sizes); a larger `compression_level` buys the size back.
 */
export const DEFAULT_ZLIB_LEVEL = 2;

/** zlib options for a Packer `compression_level` (already normalised: -1 default, -2 Huffman only). */
export function zlibLevel(level: number): Pick<zlib.ZlibOptions, 'level' | 'strategy'> {
  if (level === -2) return { level: DEFAULT_ZLIB_LEVEL, strategy: zlib.constants.Z_HUFFMAN_ONLY };
  return { level: level === -1 ? DEFAULT_ZLIB_LEVEL : level };
}

/** How many blocks to keep in flight: one per core, plus one being read or written. */
export function parallelism(): number {
  return Math.max(2, availableParallelism() + 1);
}

/**
 * How many deflates run at once: one per core (a third one on two cores cost 5% more
 * CPU and 3-6% more wall time on the bench file, with the cores to itself), but at
 * most the threadpool's size less one, which stays free for the file reads and writes
 * that feed the pipeline (they share the libuv pool with zlib).
 */
export function deflateSlots(cores = availableParallelism(), pool = threadpoolSize()): number {
  return Math.max(1, Math.min(cores, pool - 1));
}

/** libuv's threadpool size: UV_THREADPOOL_SIZE (1-1024), 4 by default. */
function threadpoolSize(): number {
  const n = Number(process.env['UV_THREADPOOL_SIZE']);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1024) : 4;
}

/** A block's deflated pieces, and the input block to hand back once they are written. */
interface Deflated {
  readonly pieces: readonly Buffer[];
  readonly block: Buffer | undefined;
}

export interface ParallelDeflateOptions {
  /** Input bytes per block (1 MiB by default). */
  readonly blockSize?: number;
  /** Deflates running at once ({@link deflateSlots} by default). */
  readonly running?: number;
  /**
   * Blocks held at once, running or done and waiting for their turn to be written
   * (eight per running deflate by default): the depth that lets blocks that need no
   * deflating (zeros, incompressible data) and later deflates go on past a slow one.
   */
  readonly window?: number;
  /**
   * Receives each block-sized chunk passed to `write` once its output is written and
   * nothing refers to it, so the caller can read into it again.
   */
  readonly recycle?: (block: Buffer) => void;
}

export class ParallelDeflate implements ByteSink {
  /** CRC-32 of everything written so far. */
  crc = 0;
  /** Uncompressed bytes written so far. */
  length = 0;
  private parts: Buffer[] = [];
  private partsLength = 0;
  private dictionary: Buffer | undefined;
  private readonly window: OrderedWindow<Deflated>;
  private readonly blockSize: number;
  private readonly recycle: ((block: Buffer) => void) | undefined;

  constructor(
    private readonly out: ByteSink,
    private readonly level: number,
    options: ParallelDeflateOptions = {},
  ) {
    this.blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    this.recycle = options.recycle;
    const running = options.running ?? deflateSlots();
    this.window = new OrderedWindow(options.window ?? 8 * running, (d) => this.emit(d), running);
  }

  async write(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    // A whole block handed over as is: no copy.
    if (this.partsLength === 0 && chunk.length === this.blockSize) return this.submit(chunk, true);
    this.parts.push(chunk);
    this.partsLength += chunk.length;
    while (this.partsLength >= this.blockSize) {
      const all = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.partsLength);
      const block = all.subarray(0, this.blockSize);
      const rest = all.subarray(this.blockSize);
      this.parts = rest.length > 0 ? [rest] : [];
      this.partsLength = rest.length;
      await this.submit(block, false);
    }
  }

  /** Compresses what is left, ends the deflate stream, and drains; does not end `out`. */
  async finish(): Promise<void> {
    if (this.partsLength > 0) await this.submit(Buffer.concat(this.parts, this.partsLength), false);
    this.parts = [];
    this.partsLength = 0;
    await this.window.drain();
    await this.out.write(FINAL_EMPTY_BLOCK);
  }

  async end(): Promise<void> {
    await this.finish();
    await this.out.end();
  }

  private async emit(d: Deflated): Promise<void> {
    if (this.out.writev && d.pieces.length > 1) await this.out.writev(d.pieces);
    else for (const piece of d.pieces) await this.out.write(piece);
    if (d.block) this.recycle?.(d.block);
  }

  private submit(block: Buffer, whole: boolean): Promise<void> {
    const zero = this.level !== 0 && isAllZero(block);
    this.crc = zero ? crc32Zeros(this.crc, block.length) : crc32(block, this.crc);
    this.length += block.length;
    const dictionary = this.dictionary;
    // The last 32 KiB, copied: a deflate may start after this block went back to the
    // reader (it waits for a slot), and the block's buffer is read into again.
    this.dictionary = Buffer.from(block.length >= WINDOW ? block.subarray(block.length - WINDOW) : Buffer.concat([dictionary ?? Buffer.alloc(0), block]).subarray(-WINDOW));
    const back = whole ? block : undefined;
    if (zero) return this.window.submitValue({ pieces: [zeroBlock(block.length)], block: back });
    if (this.level !== 0 && looksIncompressible(block)) return this.window.submitValue({ pieces: storedBlocks(block), block: back });
    // Output in 128 KiB chunks: zlib's default 16 KiB makes each block bounce between the
    // threadpool and the main thread a dozen times; one block-sized chunk allocates as
    // much again as the input.
    const options: zlib.ZlibOptions = { ...zlibLevel(this.level), finishFlush: zlib.constants.Z_SYNC_FLUSH, chunkSize: OUTPUT_CHUNK };
    if (dictionary) options.dictionary = dictionary;
    return this.window.submit(() => deflateRaw(block, options).then((deflated) => ({ pieces: [deflated], block: back })));
  }
}

const OUTPUT_CHUNK = 128 * 1024;
const STORED_MAX = 0xffff;

/**
 * `block` as deflate stored blocks, written by hand: a 5-byte header (not final, type
 * 00, then LEN and its complement) before each 65,535-byte slice of the input, which is
 * not copied. Valid here because every block's output ends byte-aligned (sync flush).
 */
export function storedBlocks(block: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  for (let off = 0; off < block.length; off += STORED_MAX) {
    const len = Math.min(STORED_MAX, block.length - off);
    const head = Buffer.allocUnsafe(5);
    head[0] = 0;
    head.writeUInt16LE(len, 1);
    head.writeUInt16LE(~len & 0xffff, 3);
    pieces.push(head, block.subarray(off, off + len));
  }
  return pieces;
}

let zeros: Buffer | undefined;
const zeroBlocks = new Map<number, Buffer>();

/** Whether every byte of `block` is zero (memcmp against a zero buffer). */
export function isAllZero(block: Buffer): boolean {
  if (block.length === 0 || block[0] !== 0 || block[block.length - 1] !== 0) return false;
  if (!zeros || zeros.length < block.length) zeros = Buffer.alloc(Math.max(block.length, DEFAULT_BLOCK_SIZE));
  return block.equals(zeros.subarray(0, block.length));
}

/**
 * The sync-flushed deflate of `length` zero bytes, computed once (at zlib's best level,
 * about 1 KiB a MiB) and reused: disk images are largely unused, zeroed space, which
 * costs zlib 0.5-2 ms a MiB each time. The output refers to no dictionary, so it is
 * valid after any block.
 */
export function zeroBlock(length: number): Buffer {
  let deflated = zeroBlocks.get(length);
  if (!deflated) {
    deflated = zlib.deflateRawSync(Buffer.alloc(length), { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    zeroBlocks.set(length, deflated);
  }
  return deflated;
}

const PROBES = 8;
const PROBE_SIZE = 4096;
let probeScratch: Buffer | undefined;

/**
 * Whether eight 4 KiB samples across the block resist zlib's Huffman coding (at most 2%
 * saved): the byte frequencies of random data. zlib spends as long failing to compress
 * random data as it spends compressing text (about 50 MB/s at any level); such blocks
 * (compressed packages, encrypted or already-compressed images) are stored instead.
 * Text, code, tables and zero-padded data all have skewed byte frequencies, so Huffman
 * coding alone tells them apart, at a third of the cost of a level-1 deflate (which
 * spends most of its time searching for matches random data does not have). The first
 * sample is tried alone, which settles most compressible blocks at once; the other
 * seven go through one stream (each stream's set-up costs as much as coding 4 KiB):
 * about 0.1 ms a MiB of incompressible data.
 */
export function looksIncompressible(block: Buffer): boolean {
  if (block.length < PROBES * PROBE_SIZE * 2) return false;
  if (!resistsHuffman(block.subarray(0, PROBE_SIZE))) return false;
  const step = Math.floor((block.length - PROBE_SIZE) / (PROBES - 1));
  probeScratch ??= Buffer.allocUnsafe((PROBES - 1) * PROBE_SIZE);
  for (let i = 1; i < PROBES; i++) block.copy(probeScratch, (i - 1) * PROBE_SIZE, i * step, i * step + PROBE_SIZE);
  return resistsHuffman(probeScratch);
}

function resistsHuffman(sample: Buffer): boolean {
  const coded = zlib.deflateRawSync(sample, { strategy: zlib.constants.Z_HUFFMAN_ONLY, chunkSize: 2 * sample.length });
  return coded.length >= sample.length * 0.98;
}
