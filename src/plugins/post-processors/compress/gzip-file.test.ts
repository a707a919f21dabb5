import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ParallelGzip } from './gzip.js';
import { gzipFile, gzipSource, WORKER_MIN_BYTES } from './gzip-file.js';
import { sourceOf } from './source.js';
import type { GzipFileOptions } from './gzip-file.js';
import type { ByteSink } from './sink.js';

/** Keeps a copy of everything written, as a file would; `onWritev` runs first in each writev (a throw rejects it). */
class MemorySink implements ByteSink {
  readonly parts: Buffer[] = [];
  ended = false;
  constructor(private readonly onWritev?: () => void) {}
  write(chunk: Buffer): Promise<void> {
    this.parts.push(Buffer.from(chunk));
    return Promise.resolve();
  }
  writev(chunks: readonly Buffer[]): Promise<void> {
    try {
      this.onWritev?.();
    } catch (err) {
      return Promise.reject(err as Error);
    }
    for (const c of chunks) this.parts.push(Buffer.from(c));
    return Promise.resolve();
  }
  end(): Promise<void> {
    this.ended = true;
    return Promise.resolve();
  }
  get bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const BLOCK = 64 * 1024;
const words = (n: number, seed: number): Buffer => {
  let s = '';
  for (let i = 0; s.length < n; i++) s += `${['kiln', 'packer', 'sector', 'kernel', 'etc', 'usr'][((i + seed) * 2654435761) % 6 >>> 0] ?? 'x'} `;
  return Buffer.from(s).subarray(0, n);
};
// Zero, text and random blocks after one another, a block that is half zeros, and a
// ragged tail: every kind of block after every other kind's dictionary.
const data = Buffer.concat([Buffer.alloc(BLOCK), words(BLOCK, 1), randomBytes(BLOCK), words(BLOCK, 2), words(BLOCK, 3), Buffer.alloc(2 * BLOCK), randomBytes(BLOCK), Buffer.concat([words(BLOCK / 2, 4), Buffer.alloc(BLOCK / 2)]), Buffer.alloc(BLOCK), words(12_345, 5)]);

/** What ParallelGzip makes of `input` with the same block size. */
async function reference(input: Buffer, level: number): Promise<Buffer> {
  const sink = new MemorySink();
  const gz = new ParallelGzip(sink, level, { blockSize: BLOCK });
  await gz.write(input);
  await gz.end();
  return sink.bytes;
}

function threads(): number {
  return existsSync('/proc/self/task') ? readdirSync('/proc/self/task').length : 0;
}

describe('gzipFile: a file gzipped on worker threads', () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kiln-gzip-file-'));
    file = path.join(dir, 'disk.raw');
    await writeFile(file, data);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const gz = async (name: string, level: number, options: GzipFileOptions, sink = new MemorySink(), signal?: AbortSignal): Promise<MemorySink> => {
    const fh = await open(name, 'r');
    try {
      await gzipFile(fh, sink, level, signal, { blockSize: BLOCK, ...options });
    } finally {
      await fh.close();
    }
    return sink;
  };

  it('writes byte for byte what ParallelGzip writes, for any number of workers and window, and gzip reads it back', async () => {
    const expected = await reference(data, -1);
    for (const options of [{ workers: 1 }, { workers: 2 }, { workers: 3, window: 1 }, { workers: 2, window: 2 }]) {
      const sink = await gz(file, -1, options);
      assert.ok(sink.ended);
      assert.ok(sink.bytes.equals(expected), `${JSON.stringify(options)}: differs from ParallelGzip's output`);
    }
    execFileSync('gzip', ['-t'], { input: expected });
    assert.ok(execFileSync('gzip', ['-dc'], { input: expected, maxBuffer: 1 << 24 }).equals(data));
  });

  it('every level, Huffman-only included, matches ParallelGzip', async () => {
    for (const level of [-2, 1, 9]) assert.ok((await gz(file, level, { workers: 2 })).bytes.equals(await reference(data, level)), `level ${level}`);
  });

  it('an empty file is an empty member', async () => {
    const empty = path.join(dir, 'empty.raw');
    await writeFile(empty, '');
    const out = (await gz(empty, -1, {})).bytes;
    assert.ok(out.equals(await reference(Buffer.alloc(0), -1)));
    assert.equal(execFileSync('gzip', ['-dc'], { input: out }).length, 0);
  });

  it("stops on cancel with 'context canceled' and on a failed write with its error, leaving no thread behind", async () => {
    const before = threads();
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(gz(file, -1, { workers: 2 }, new MemorySink(), aborted.signal), /context canceled/);
    // Cancelled while the blocks are being written.
    const midway = new AbortController();
    await assert.rejects(
      gz(file, -1, { workers: 2, window: 1 }, new MemorySink(() => midway.abort()), midway.signal),
      /context canceled/,
    );
    const full = new MemorySink(() => {
      throw new Error('disk full');
    });
    await assert.rejects(gz(file, -1, { workers: 2 }, full), /disk full/);
    assert.ok(threads() <= before, `threads before ${before}, after ${threads()}`);
  });

  it("a tar file that shrank after the layout fails in Packer's words, from the worker that read it", async () => {
    const before = threads();
    const fh = await open(file, 'r');
    try {
      // Laid out 1000 bytes longer than the file is, then the tar end blocks.
      const source = sourceOf([{ bytes: Buffer.alloc(512) }, { fd: fh.fd, offset: 0, length: data.length + 1000, name: '/in/disk.raw' }, { bytes: Buffer.alloc(1024) }]);
      await assert.rejects(gzipSource(source, new MemorySink(), -1, undefined, { blockSize: BLOCK, workers: 2 }), { message: 'Failed to copy /in/disk.raw data to archive: archive/tar: missed writing 1000 bytes' });
    } finally {
      await fh.close();
    }
    assert.ok(threads() <= before, `threads before ${before}, after ${threads()}`);
  });

  it('through the bundle: `kiln build` starts the workers from dist/ (as bin/kiln loads main.js)', async () => {
    const bin = fileURLToPath(new URL('../../../../bin/kiln', import.meta.url));
    // Big enough for the workers (WORKER_MIN_BYTES): the test data over and over.
    const big = Buffer.concat(Array.from({ length: Math.ceil(WORKER_MIN_BYTES / data.length) }, () => data));
    const file = path.join(dir, 'big.raw');
    await writeFile(file, big);
    const target = path.join(dir, 'out', 'disk.raw.gz');
    const template = path.join(dir, 'compress.json');
    const pp = [{ type: 'artifice', files: [file] }, { type: 'compress', output: target, keep_input_artifact: true }];
    await writeFile(template, JSON.stringify({ builders: [{ type: 'null', communicator: 'none' }], 'post-processors': [pp] }));
    // NODE_DEBUG=module: bin/code-cache.cjs logs each dist/ file it loads, the workers' too.
    const r = spawnSync(bin, ['build', '-color=false', template], { cwd: dir, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', NODE_DEBUG: 'module' } });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /load ".*plugins-post-processors-compress-deflate-worker\.js" \(kiln dist/);
    assert.ok(execFileSync('gzip', ['-dc', target], { maxBuffer: 1 << 25 }).equals(big));
  });
});
