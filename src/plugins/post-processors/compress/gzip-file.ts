/**
 * deflate on worker threads: the `.gz` of a single artifact (a disk image), a `.tar.gz`'s
 * tar stream and a zip's large entries (laid out as a source, source.ts), byte for byte
 * what ParallelGzip/ParallelDeflate write for the same input, at less CPU and with both
 * cores busy.
 *
 * ParallelGzip feeds zlib's asynchronous API from the main thread: each block is a
 * stream whose input, output chunks and final flush each go through the libuv pool, and
 * the reads and writes too — for the 1 GiB bench file some 4,000 hand-offs between the
 * main thread and four pool threads. Linux's scheduler, which leaves short-lived
 * wake-ups on the CPU they came from, then kept one core idle for a quarter of the run
 * while threads queued on the other (perf sched: 1.4 s of idle CPU and 2 s of run-queue
 * waits in a 2.8 s run). Here each worker (deflate-worker.ts) takes the next block
 * number, reads the block itself, deflates it in one synchronous call and posts the
 * result; the main thread only puts the results in order, joins the CRCs and writes.
 */
import type { FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { crc32Combine, crc32Zeros } from './crc32.js';
import type { BlockResult, DeflateWorkerBoot, DeflateWorkerData } from './deflate-worker.js';
import { STOP, WRITTEN } from './deflate-worker.js';
import { gzipHeader, gzipTrailer } from './gzip.js';
import { DEFAULT_BLOCK_SIZE, FINAL_EMPTY_BLOCK, storedBlocks, zeroBlock } from './parallel-deflate.js';
import type { ByteSink } from './sink.js';
import type { Source } from './source.js';
import { fileSource } from './source.js';

/** The worker's file in dist/ (scripts/build.mjs names entries by their path). */
const DIST_WORKER = 'plugins-post-processors-compress-deflate-worker.js';

/**
 * The smallest file worth the workers: two workers start in ~45 ms of wall and ~55 ms
 * of CPU (a Node environment each), which ParallelGzip spends on ~8 MiB of text-like
 * data (`kiln build` of a 1 KB .gz: 0.30-0.39 s with the workers, 0.22-0.26 s without).
 */
export const WORKER_MIN_BYTES = 8 * DEFAULT_BLOCK_SIZE;

export interface GzipFileOptions {
  /** Worker threads (one per core by default, at most one per block); ignored with `pool`. */
  readonly workers?: number;
  /** Workers started ahead (see {@link GzipWorkers}); gzipFile closes them when it settles. */
  readonly pool?: GzipWorkers;
  /** Input bytes per block (1 MiB by default). */
  readonly blockSize?: number;
  /** How far (in blocks) the workers may run ahead of what is written: 8 per worker by default. */
  readonly window?: number;
}

/**
 * Deflate workers for one {@link gzipFile} run, started before the files are open: a
 * worker takes ~45 ms to start (a Node environment each), which then overlaps opening
 * the archive (replacing an old one: 20-80 ms) instead of following it. Each worker
 * waits for its job once started.
 */
export class GzipWorkers {
  private readonly workers: Worker[];
  private failure: Error | undefined;
  private onFailure: ((err: Error) => void) | undefined;
  private onResult: ((result: BlockResult, worker: number) => void) | undefined;
  private closing = false;

  /** Starts `count` workers. */
  constructor(readonly count: number) {
    const boot = workerBoot();
    this.workers = Array.from({ length: count }, (_, w) => {
      const worker = new Worker(boot, { eval: true, workerData: { kind: 'kiln-deflate' } satisfies DeflateWorkerBoot });
      worker.on('message', (result: BlockResult) => this.onResult?.(result, w));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`compress worker exited with code ${code}`));
      });
      return worker;
    });
  }

  /** Workers for a file of `size` bytes: one per core, at most one per block. */
  static forSize(size: number, blockSize = DEFAULT_BLOCK_SIZE): GzipWorkers {
    return new GzipWorkers(Math.max(1, Math.min(availableParallelism(), Math.ceil(size / blockSize))));
  }

  /** Posts each worker its job; results and the first failure go to the handlers. */
  start(job: (worker: number) => { data: DeflateWorkerData; transfer: MessagePort[] }, onResult: (result: BlockResult, worker: number) => void, onFailure: (err: Error) => void): void {
    this.onResult = onResult;
    this.onFailure = onFailure;
    if (this.failure) return onFailure(this.failure);
    this.workers.forEach((worker, w) => {
      const { data, transfer } = job(w);
      worker.postMessage(data, transfer);
    });
  }

  /** Ends the workers, started or not (again: no-op); resolves when they are gone. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.onFailure?.(err);
  }
}

/**
 * Writes the gzip member of `input` (from its start to its size when called) to `out`
 * and ends `out`. Rejects with the first read, deflate or write error, or with
 * 'context canceled' when `signal` aborts; the workers are gone when it settles.
 */
export async function gzipFile(input: FileHandle, out: ByteSink, level: number, signal?: AbortSignal, options: GzipFileOptions = {}): Promise<void> {
  const size = (await input.stat()).size;
  await gzipSource(fileSource(input.fd, size, ''), out, level, signal, options);
}

/** {@link gzipFile} of a laid-out source (source.ts): a `.tar.gz`'s tar stream. */
export async function gzipSource(source: Source, out: ByteSink, level: number, signal?: AbortSignal, options: GzipFileOptions = {}): Promise<void> {
  try {
    await out.write(gzipHeader(level));
  } catch (err) {
    await options.pool?.close();
    throw err;
  }
  const { crc, length } = await deflateOnWorkers(source, out, level, signal, options);
  await out.write(gzipTrailer(crc, length));
  await out.end();
}

/**
 * Writes the raw deflate stream of `source` to `out` (block-parallel, sync-flushed
 * blocks and the final empty block: byte for byte what ParallelDeflate writes for the
 * same bytes) and resolves to the CRC-32 and length of what it read; does not end
 * `out`. Rejects as {@link gzipFile}; the workers are gone when it settles.
 */
export async function deflateOnWorkers(source: Source, out: ByteSink, level: number, signal?: AbortSignal, options: GzipFileOptions = {}): Promise<{ crc: number; length: number }> {
  const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
  const blocks = Math.ceil(source.size / blockSize);
  let pool = options.pool;
  const control = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  const returns: MessagePort[] = [];
  try {
    return await new Promise<{ crc: number; length: number }>((resolve, reject) => {
      const ready = new Map<number, { result: BlockResult; worker: number }>();
      let next = 0;
      let crc = 0;
      let length = 0;
      let writing = false;
      let settled = false;
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        Atomics.store(control, STOP, 1);
        Atomics.notify(control, WRITTEN);
        reject(err);
      };
      const onAbort = (): void => fail(new Error('context canceled'));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = async (): Promise<{ crc: number; length: number }> => {
        signal?.removeEventListener('abort', onAbort);
        await out.write(FINAL_EMPTY_BLOCK);
        return { crc, length };
      };
      // Writes every result that is next in line, in one call, then looks again.
      const pump = async (): Promise<void> => {
        if (writing || settled) return;
        const pieces: Buffer[] = [];
        const stored: { ab: ArrayBuffer; worker: number }[] = [];
        for (let r = ready.get(next); r; r = ready.get(next)) {
          ready.delete(next++);
          const { result } = r;
          length += result.length;
          if (result.kind === 'zero') {
            crc = crc32Zeros(crc, result.length);
            pieces.push(zeroBlock(result.length));
          } else if (result.data && result.kind !== 'empty') {
            crc = crc32Combine(crc, result.crc, result.length);
            if (result.kind === 'stored') {
              pieces.push(...storedBlocks(Buffer.from(result.data, 0, result.length)));
              stored.push({ ab: result.data, worker: r.worker });
            } else pieces.push(Buffer.from(result.data, result.offset ?? 0, result.bytes ?? 0));
          }
        }
        if (pieces.length === 0) {
          Atomics.store(control, WRITTEN, next);
          Atomics.notify(control, WRITTEN);
          if (next < blocks) return;
          settled = true;
          return finish().then(resolve, reject);
        }
        writing = true;
        try {
          if (out.writev) await out.writev(pieces);
          else for (const p of pieces) await out.write(p);
        } catch (err) {
          return fail(err as Error);
        } finally {
          writing = false;
        }
        // The stored blocks' buffers go back to the worker that read into them.
        for (const s of stored) returns[s.worker]?.postMessage(s.ab, [s.ab]);
        Atomics.store(control, WRITTEN, next);
        Atomics.notify(control, WRITTEN);
        return pump();
      };
      if (blocks === 0) {
        settled = true;
        return void finish().then(resolve, reject);
      }
      pool ??= new GzipWorkers(Math.max(1, Math.min(options.workers ?? availableParallelism(), blocks)));
      const window = options.window ?? 8 * pool.count;
      pool.start(
        () => {
          const channel = new MessageChannel();
          returns.push(channel.port1);
          const data: DeflateWorkerData = { source, blockSize, level, window, control: control.buffer as SharedArrayBuffer, returns: channel.port2 };
          return { data, transfer: [channel.port2] };
        },
        (result, worker) => {
          ready.set(result.index, { result, worker });
          void pump();
        },
        fail,
      );
    });
  } finally {
    Atomics.store(control, STOP, 1);
    Atomics.notify(control, WRITTEN);
    await pool?.close();
    for (const port of returns) port.close();
  }
}

/**
 * The worker's start-up code: dist/'s worker file loaded as bin/kiln loads main.js
 * (dist/ files are CommonJS run through bin/code-cache.cjs), or under tsx (tests, `npm
 * run dev`) the TypeScript source with tsx registered first (Node 20 does not pass
 * --import hooks to workers).
 */
function workerBoot(): string {
  const self = import.meta.url;
  if (self.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./deflate-worker.ts', self).href;
    return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  }
  const dist = path.dirname(fileURLToPath(self));
  return `require(${JSON.stringify(path.join(dist, '..', 'bin', 'code-cache.cjs'))}).load(${JSON.stringify(dist)}, ${JSON.stringify(DIST_WORKER)});`;
}
