/**
 * A worker thread of {@link deflateOnWorkers} (gzip-file.ts): takes the next block number
 * from a shared counter, reads that block of the source itself (source.ts: positional
 * reads on the file descriptors the main thread opened), and deflates it exactly as ParallelDeflate
 * does — zero blocks and incompressible blocks recognised, the others sync-flushed by
 * zlib with the previous 32 KiB as dictionary — then posts the result, with its CRC-32,
 * to the main thread, which writes the blocks in order. Each block is one uninterrupted
 * run on one thread: no hand-offs between the main thread and the libuv pool while it
 * is deflated. The worker stays at most `window` blocks ahead of what the main thread
 * has written, and stops when the blocks run out or the main thread sets the stop flag.
 */
import type { MessagePort } from 'node:worker_threads';
import { isMainThread, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import zlib from 'node:zlib';
import { crc32 } from './crc32.js';
import { isAllZero, looksIncompressible, WINDOW, zlibLevel } from './parallel-deflate.js';
import type { Source } from './source.js';
import { SourceReader } from './source.js';

/** The job the main thread posts to each worker once it has the files open. */
export interface DeflateWorkerData {
  readonly source: Source;
  readonly blockSize: number;
  readonly level: number;
  readonly window: number;
  /** Int32 slots: {@link NEXT}, {@link WRITTEN}, {@link STOP}. */
  readonly control: SharedArrayBuffer;
  /** Where the main thread gives back the buffers of stored blocks once written. */
  readonly returns: MessagePort;
}

/** The next block number to take (fetch-and-add). */
export const NEXT = 0;
/** Blocks written so far (the main thread stores it and notifies). */
export const WRITTEN = 1;
/** Non-zero: stop taking blocks. */
export const STOP = 2;

/**
 * One block's result. `data` carries the bytes to write: the deflated block, or for a
 * stored block the input itself (the main thread adds the stored-block headers and
 * gives the buffer back on `returns`). A zero block carries none (the main thread
 * writes the shared deflate of zeros), nor does an empty one (past the end of a file
 * that shrank).
 */
export interface BlockResult {
  readonly index: number;
  readonly kind: 'zero' | 'stored' | 'deflated' | 'empty';
  readonly length: number;
  readonly crc: number;
  readonly data?: ArrayBuffer;
  readonly offset?: number;
  readonly bytes?: number;
}

function run(data: DeflateWorkerData, port: MessagePort): void {
  const control = new Int32Array(data.control);
  const blocks = Math.ceil(data.source.size / data.blockSize);
  const reader = new SourceReader(data.source);
  const dictionary = Buffer.allocUnsafe(WINDOW);
  const spare: ArrayBuffer[] = [];
  const take = (): Buffer => {
    for (let m = receiveMessageOnPort(data.returns); m; m = receiveMessageOnPort(data.returns)) spare.push(m.message as ArrayBuffer);
    const ab = spare.pop();
    return ab ? Buffer.from(ab) : Buffer.allocUnsafeSlow(data.blockSize);
  };
  let buffer = take();
  for (;;) {
    const index = Atomics.add(control, NEXT, 1);
    if (index >= blocks || Atomics.load(control, STOP) !== 0) return;
    for (let written = Atomics.load(control, WRITTEN); index - written >= data.window; written = Atomics.load(control, WRITTEN)) {
      if (Atomics.load(control, STOP) !== 0) return;
      Atomics.wait(control, WRITTEN, written, 100);
    }
    const position = index * data.blockSize;
    const length = reader.read(buffer.subarray(0, Math.min(data.blockSize, data.source.size - position)), position);
    const block = buffer.subarray(0, length);
    if (length === 0) {
      port.postMessage({ index, kind: 'empty', length: 0, crc: 0 } satisfies BlockResult);
    } else if (data.level !== 0 && isAllZero(block)) {
      port.postMessage({ index, kind: 'zero', length, crc: 0 } satisfies BlockResult);
    } else if (data.level !== 0 && looksIncompressible(block)) {
      const ab = buffer.buffer as ArrayBuffer;
      port.postMessage({ index, kind: 'stored', length, crc: crc32(block, 0), data: ab } satisfies BlockResult, [ab]);
      buffer = take();
    } else {
      const result = deflateBlock(data, reader, index, block, dictionary);
      port.postMessage(result, result.data ? [result.data] : []);
    }
  }
}

/** The block deflated and sync-flushed, its output in one buffer handed over without a copy. */
function deflateBlock(data: DeflateWorkerData, reader: SourceReader, index: number, block: Buffer, dictionary: Buffer): BlockResult {
  const options: zlib.ZlibOptions = {
    ...zlibLevel(data.level),
    finishFlush: zlib.constants.Z_SYNC_FLUSH,
    // Room for the whole output (deflate's worst case is ~0.03% over the input plus a
    // few bytes), so zlib runs once and returns one buffer.
    chunkSize: block.length + (block.length >> 8) + 64,
  };
  const position = index * data.blockSize;
  if (position > 0) {
    const from = Math.max(0, position - WINDOW);
    options.dictionary = dictionary.subarray(0, reader.read(dictionary.subarray(0, position - from), from));
  }
  const out = zlib.deflateRawSync(block, options);
  const crc = crc32(block, 0);
  // A slice of a buffer of its own (zlib's output chunk) moves across; a small one from
  // Node's shared pool is copied.
  if (out.length < 4096) return { index, kind: 'deflated', length: block.length, crc, data: new Uint8Array(out).buffer, offset: 0, bytes: out.length };
  return { index, kind: 'deflated', length: block.length, crc, data: out.buffer as ArrayBuffer, offset: out.byteOffset, bytes: out.length };
}

/** What a worker is started with: it boots, then waits for its one job on its port. */
export interface DeflateWorkerBoot {
  readonly kind: 'kiln-deflate';
}

if (!isMainThread && parentPort && (workerData as DeflateWorkerBoot | undefined)?.kind === 'kiln-deflate') {
  const port = parentPort;
  port.once('message', (job: DeflateWorkerData) => run(job, port));
}
