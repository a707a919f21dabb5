import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { ParallelGzip } from './gzip.js';
import { deflateSlots, looksIncompressible } from './parallel-deflate.js';
import type { ByteSink } from './sink.js';
import { OrderedWindow } from './sink.js';

/** Keeps a copy of everything written, as a file would. */
class MemorySink implements ByteSink {
  readonly parts: Buffer[] = [];
  write(chunk: Buffer): Promise<void> {
    this.parts.push(Buffer.from(chunk));
    return Promise.resolve();
  }
  writev(chunks: readonly Buffer[]): Promise<void> {
    for (const c of chunks) this.parts.push(Buffer.from(c));
    return Promise.resolve();
  }
  end(): Promise<void> {
    return Promise.resolve();
  }
}

const MIB = 1 << 20;
const text = (n: number, seed = 0): Buffer => {
  const words = ['kiln', 'packer', 'sector', 'kernel', 'module', 'etc', 'usr', 'lib'];
  let s = '';
  for (let i = 0; s.length < n; i++) s += `${words[((i + seed) * 2654435761) % 7 >>> 0] ?? 'x'}${i % 9 === 8 ? '\n' : ' '}`;
  return Buffer.from(s).subarray(0, n);
};

/**
 * Gzips `data` fed in `chunk`-sized writes; every buffer handed back through `recycle`
 * is overwritten at once (with text a deflate would find matches in), as the reader
 * does when it reads into it again.
 */
async function gzip(data: Buffer, options: { blockSize: number; running: number; window?: number; chunk?: number; level?: number }): Promise<Buffer> {
  const sink = new MemorySink();
  const recycled: Buffer[] = [];
  const gz = new ParallelGzip(sink, options.level ?? -1, { ...options, recycle: (b) => (b.fill('kiln packer sector '), recycled.push(b)) });
  const chunk = options.chunk ?? options.blockSize;
  for (let off = 0; off < data.length; off += chunk) {
    // Whole blocks as buffers of their own (handed over without a copy, then recycled).
    await gz.write(Buffer.from(data.subarray(off, off + chunk)));
  }
  await gz.end();
  return Buffer.concat(sink.parts);
}

/** What the system's gzip makes of it: tests the member and returns the content. */
function gunzip(gz: Buffer): Buffer {
  execFileSync('gzip', ['-t'], { input: gz });
  return execFileSync('gzip', ['-dc'], { input: gz, maxBuffer: 1 << 28 });
}

describe('parallel gzip: one member, restored byte for byte whatever the block size and parallelism', () => {
  const block = 64 * 1024;
  const noise = randomBytes(3 * block + 17);
  const cases: [string, Buffer][] = [
    ['empty input', Buffer.alloc(0)],
    ['one byte', Buffer.from('k')],
    ['exactly one block', text(block)],
    ['one block and one byte', text(block + 1, 3)],
    ['a run of zeros over several blocks, ragged', Buffer.alloc(5 * block + 999)],
    ['incompressible data', noise],
    ['every kind after every kind', Buffer.concat([Buffer.alloc(block), noise, text(block, 1), Buffer.alloc(block + 5), text(2 * block, 2), noise.subarray(0, block), Buffer.alloc(77)])],
  ];
  for (const [name, data] of cases) {
    it(`${name}: every block size, 1-5 deflates at once, narrow and wide windows`, async () => {
      for (const blockSize of [1000, 32 * 1024, block, block + 4097]) {
        for (const [running, window] of [
          [1, 1],
          [2, 3],
          [3, 24],
          [5, 6],
        ] as const) {
          const gz = await gzip(data, { blockSize, running, window, chunk: running === 3 ? 4321 : blockSize });
          assert.deepEqual(gunzip(gz), data, `block ${blockSize}, running ${running}, window ${window}`);
          // The trailer gives the size modulo 2^32 and the CRC the system's gzip checked.
          assert.equal(gz.readUInt32LE(gz.length - 4), data.length);
          assert.equal(gz.readUInt32LE(gz.length - 8), zlib.crc32(data) >>> 0);
        }
      }
    });
  }

  it('every level, including Huffman-only, reads back', async () => {
    const data = Buffer.concat([text(3 * block), Buffer.alloc(block), noise]);
    for (const level of [-2, -1, 1, 5, 9]) assert.deepEqual(gunzip(await gzip(data, { blockSize: block, running: 2, level })), data, `level ${level}`);
  });

  it('the default blocks of 1 MiB: later blocks refer back into the one before (dictionary), still exact', async () => {
    const data = Buffer.concat([text(MIB + 12345), text(MIB, 5), Buffer.alloc(MIB), text(300_000, 6)]);
    const gz = await gzip(data, { blockSize: MIB, running: deflateSlots() });
    assert.deepEqual(gunzip(gz), data);
    // The dictionary pays: within 1% of zlib deflating the whole input as one stream.
    assert.ok(gz.length < zlib.gzipSync(data, { level: 2 }).length * 1.01, `${gz.length}`);
  });
});

describe('deflateSlots: one deflate per core, leaving a threadpool thread for I/O', () => {
  it('is bounded by the pool', () => {
    assert.equal(deflateSlots(2, 4), 2);
    assert.equal(deflateSlots(1, 4), 1);
    assert.equal(deflateSlots(16, 4), 3);
    assert.equal(deflateSlots(16, 32), 16);
    assert.equal(deflateSlots(4, 1), 1);
  });
});

describe('looksIncompressible', () => {
  it('stores random data only', () => {
    assert.equal(looksIncompressible(randomBytes(MIB)), true);
    assert.equal(looksIncompressible(text(MIB)), false);
    assert.equal(looksIncompressible(Buffer.alloc(MIB)), false);
    // Random at the start, compressible further on: the other samples see it.
    assert.equal(looksIncompressible(Buffer.concat([randomBytes(MIB / 2), text(MIB / 2)])), false);
    assert.equal(looksIncompressible(Buffer.concat([randomBytes(MIB / 2), Buffer.alloc(MIB / 2)])), false);
    // Machine-code-like data: random bytes from a skewed alphabet.
    const skewed = Buffer.from(randomBytes(MIB).map((b) => (b < 128 ? 0 : b < 192 ? b & 0x0f : b)));
    assert.equal(looksIncompressible(skewed), false);
  });
});

describe('OrderedWindow', () => {
  it('emits in submission order, runs at most `running` jobs, and lets later jobs finish past a slow one', async () => {
    const emitted: number[] = [];
    let active = 0;
    let peak = 0;
    let releaseSlow = (): void => {};
    const slow = new Promise<void>((r) => (releaseSlow = r));
    let fastDone = 0;
    const window = new OrderedWindow<number>(6, async (n) => void emitted.push(n), 2);
    const job = (n: number, wait: () => Promise<void>) => async () => {
      peak = Math.max(peak, ++active);
      await wait();
      active--;
      if (n === 4) releaseSlow();
      return n;
    };
    // Job 0 is held until job 4, four places behind it, has run: the second slot
    // carries jobs 1 to 4 one after another meanwhile.
    await window.submit(job(0, () => slow));
    for (let n = 1; n < 5; n++) await window.submit(job(n, async () => void fastDone++));
    await window.submitValue(5);
    await window.drain();
    assert.deepEqual(emitted, [0, 1, 2, 3, 4, 5]);
    assert.equal(fastDone, 4);
    assert.equal(peak, 2);
  });

  it('a failing job fails the drain in its turn', async () => {
    const emitted: number[] = [];
    const window = new OrderedWindow<number>(4, async (n) => void emitted.push(n), 2);
    await window.submit(async () => 1);
    await window.submit(() => Promise.reject(new Error('deflate failed')));
    await window.submit(() => {
      throw new Error('a later failure, never emitted');
    });
    await assert.rejects(window.drain(), /deflate failed/);
    assert.deepEqual(emitted, [1]);
  });
});
