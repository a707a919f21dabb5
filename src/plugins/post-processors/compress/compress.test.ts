import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { inputArtifact, ppContext, tempDir } from '../test-helpers.js';
import { WORKER_MIN_BYTES } from './gzip-file.js';
import type { CompressConfig } from './index.js';
import { compressPostProcessor } from './index.js';
import { isAllZero, looksIncompressible, ParallelDeflate, storedBlocks } from './parallel-deflate.js';
import { ParallelGzip } from './gzip.js';
import type { ByteSink } from './sink.js';
import { writeTar } from './tar.js';

/** Runs a system tool; returns its stdout as bytes (throws on a non-zero exit). */
const tool = (cmd: string, args: string[], input?: Buffer): Buffer => execFileSync(cmd, args, { maxBuffer: 1 << 28, ...(input ? { input } : {}) });

describe('compress post-processor (archives read back with the system tools)', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  let disk = '';
  let small = '';
  let diskData = Buffer.alloc(0);
  before(async () => {
    ({ dir, cleanup } = await tempDir('compress'));
    // 5 MiB and a ragged tail: several parallel blocks, dictionaries across block edges.
    diskData = Buffer.alloc(5 * (1 << 20) + 777);
    for (let i = 0; i < diskData.length; i++) diskData[i] = i % 4096 < 2048 ? 0 : (i * 2654435761) >>> 29;
    disk = path.join(dir, 'disk.raw');
    small = path.join(dir, 'vm.ovf');
    await writeFile(disk, diskData);
    await writeFile(small, '<ovf/>\n');
  });
  after(() => cleanup());

  const run = async (cfg: Partial<CompressConfig>, files: string[]) => {
    const ctx = ppContext(inputArtifact(files), { buildName: 'web', builderType: 'qemu' });
    const res = await compressPostProcessor.postProcess({ output: '', ...cfg }, ctx);
    return { res, lines: ctx.ui.lines };
  };

  it('.tar.gz: one gzip member, readable by gzip and tar, with basenames and zeroed times', async () => {
    const out = path.join(dir, 'a', '{{.BuildName}}-{{.BuilderType}}.tar.gz');
    const target = path.join(dir, 'a', 'web-qemu.tar.gz');
    const { res, lines } = await run({ output: out }, [disk, small]);
    assert.ok(res.kind === 'ok', res.kind === 'error' ? res.error.message : '');
    assert.deepEqual(lines, [`Using pgzip compression with ${lines[0]?.split(' ')[4]} cores for ${target}`, `Tarring ${target} with pgzip`, `Archive ${target} completed`]);
    assert.equal(res.value.keep, false);
    assert.equal(res.value.forceOverride, false);
    assert.deepEqual(res.value.artifact?.files, [target]);
    assert.equal(res.value.artifact?.builderId, 'packer.post-processor.compress');
    assert.equal(res.value.artifact?.describe(), `compressed artifacts in: ${target}`);
    tool('gzip', ['-t', target]);
    const listing = tool('tar', ['-tvzf', target, '--numeric-owner']).toString();
    assert.match(listing, /^-rw-r--r-- \d+\/\d+ +5243657 1970-01-01 00:00 disk\.raw\n-rw-r--r-- \d+\/\d+ +7 1970-01-01 00:00 vm\.ovf\n$/);
    assert.deepEqual(tool('tar', ['-xzOf', target, 'disk.raw']), diskData);
    // A single gzip member: the trailer's size is the whole tar's.
    const gz = await readFile(target);
    assert.equal(gz.readUInt32LE(gz.length - 4), tool('gzip', ['-dc', target]).length);
    await res.value.artifact?.destroy();
    assert.equal(existsSync(target), false);
  });

  const single: [string, string, (f: string) => Buffer][] = [
    ['gz', 'pgzip', (f) => (tool('gzip', ['-t', f]), tool('gzip', ['-dc', f]))],
    ['bgzf', 'bgzf', (f) => (tool('bgzip', ['-t', f]), tool('gzip', ['-dc', f]))],
    ['lz4', 'lz4', (f) => (tool('lz4', ['-t', f]), tool('lz4', ['-dc', f]))],
    ['xz', 'xz', (f) => (tool('xz', ['-t', f]), tool('xz', ['-dc', f]))],
    ['bzip2', 'bzip2', (f) => (tool('bzip2', ['-t', f]), tool('bzip2', ['-dc', f]))],
  ];
  for (const [ext, alg, decode] of single) {
    it(`.${ext}: compresses the single input file with ${alg}`, async () => {
      const target = path.join(dir, `single.raw.${ext}`);
      const { res, lines } = await run({ output: target, compression_level: 1 }, [disk]);
      assert.ok(res.kind === 'ok', res.kind === 'error' ? res.error.message : '');
      assert.equal(lines[1], `Archiving ${disk} with ${alg}`);
      assert.deepEqual(decode(target), diskData);
    });
  }

  it('.gz of incompressible data: blocks are stored, the stream still reads back', async () => {
    const noise = randomBytes(3 * (1 << 20) + 5);
    const half = Buffer.concat([noise.subarray(0, 1 << 20), Buffer.alloc(1 << 20, 'a'), noise.subarray(1 << 20)]);
    for (const data of [noise, half]) {
      const input = path.join(dir, 'noise.bin');
      await writeFile(input, data);
      const target = path.join(dir, 'noise.bin.gz');
      const { res } = await run({ output: target }, [input]);
      assert.ok(res.kind === 'ok');
      tool('gzip', ['-t', target]);
      assert.deepEqual(tool('gzip', ['-dc', target]), data);
    }
    assert.equal(looksIncompressible(noise.subarray(0, 1 << 20)), true);
    assert.equal(looksIncompressible(Buffer.alloc(1 << 20)), false);
  });

  it('.gz of a disk-like mix: zero, noise and text blocks in every order read back (zero blocks shared, noise stored, buffers reused)', async () => {
    const mib = 1 << 20;
    const noise = randomBytes(mib);
    const text = Buffer.from('kiln packer disk sector kernel '.repeat(mib / 31 + 1)).subarray(0, mib);
    const zero = Buffer.alloc(mib);
    // Each kind after each kind, so a block follows every other kind's dictionary; a
    // ragged zero tail at the end. More blocks than the reuse pool's read-ahead.
    const order = [zero, zero, noise, zero, text, zero, noise, noise, text, text, noise, zero, text, zero.subarray(0, 12345)];
    const data = Buffer.concat(order.map((b, i) => (b === text ? Buffer.concat([text.subarray(0, 100), Buffer.from(String(i)), text]).subarray(0, mib) : b)));
    const input = path.join(dir, 'mix.raw');
    await writeFile(input, data);
    for (const level of [0, 1, 6]) {
      const target = path.join(dir, `mix-${level}.raw.gz`);
      const { res } = await run({ output: target, compression_level: level }, [input]);
      assert.ok(res.kind === 'ok', res.kind === 'error' ? res.error.message : '');
      tool('gzip', ['-t', target]);
      assert.deepEqual(tool('gzip', ['-dc', target]), data);
    }
    // Stored blocks alone form a valid raw deflate stream.
    assert.deepEqual(zlib.inflateRawSync(Buffer.concat([...storedBlocks(noise), Buffer.from([3, 0])])), noise);
    assert.equal(isAllZero(zero), true);
    assert.equal(isAllZero(Buffer.concat([zero.subarray(1), Buffer.from([1])])), false);
    assert.equal(isAllZero(Buffer.concat([zero.subarray(0, 5000), Buffer.from([1]), zero.subarray(0, 5000)])), false);
  });

  it('.gz of a pipe (no size to cut into blocks) streams through and reads back', async () => {
    const fifo = path.join(dir, 'disk.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', disk, fifo], { stdio: 'ignore' });
    const written = new Promise((resolve) => writer.once('exit', resolve));
    const target = path.join(dir, 'fifo.gz');
    const { res } = await run({ output: target }, [fifo]);
    await written;
    assert.ok(res.kind === 'ok', res.kind === 'error' ? res.error.message : '');
    assert.deepEqual(tool('gzip', ['-dc', target]), diskData);
  });

  it('.zip: unzip -t finds no errors; entries are the paths without the leading slash', async () => {
    const target = path.join(dir, 'out.zip');
    const { res, lines } = await run({ output: target }, [disk, small]);
    assert.ok(res.kind === 'ok', res.kind === 'error' ? res.error.message : '');
    assert.equal(lines[0], `Zipping ${target}`);
    assert.match(tool('unzip', ['-t', target]).toString(), /No errors detected/);
    assert.deepEqual(tool('unzip', ['-p', target, disk.slice(1)]), diskData);
    assert.equal(tool('unzip', ['-p', target, small.slice(1)]).toString(), '<ovf/>\n');
  });

  it('.tar and format: a plain tar; `format` adds the extension used for detection', async () => {
    const target = path.join(dir, 'plain');
    const { res, lines } = await run({ output: target, format: 'tar' }, [small]);
    assert.ok(res.kind === 'ok');
    assert.equal(lines[0], `Tarring ${target} with no compression`);
    assert.equal(tool('tar', ['-tf', target]).toString(), 'vm.ovf\n');
    const raw = await readFile(target);
    assert.equal(raw.length, 512 + 512 + 1024);
    assert.equal(raw.subarray(257, 265).toString('latin1'), 'ustar  \0');
  });

  it('.tar.xz and .tar.lz4: tar inside the compressor', async () => {
    for (const [ext, cmd] of [
      ['xz', 'xz'],
      ['lz4', 'lz4'],
    ] as const) {
      const target = path.join(dir, `both.tar.${ext}`);
      const { res } = await run({ output: target }, [small, disk]);
      assert.ok(res.kind === 'ok');
      assert.equal(tool('tar', ['-tf', '-'], tool(cmd, ['-dc', target])).toString(), 'vm.ovf\ndisk.raw\n');
    }
  });

  it('long names get a GNU long-name entry', async () => {
    const long = path.join(dir, `${'n'.repeat(130)}.txt`);
    await writeFile(long, 'long');
    const target = path.join(dir, 'long.tar');
    const { res } = await run({ output: target }, [long]);
    assert.ok(res.kind === 'ok');
    assert.equal(tool('tar', ['-tf', target]).toString(), `${path.basename(long)}\n`);
  });

  it("refuses several files without tar or zip, in Packer's words", async () => {
    const { res } = await run({ output: path.join(dir, 'x.gz') }, [disk, small]);
    assert.ok(res.kind === 'error');
    assert.equal(res.error.message, `Can only have 1 input file when not using tar/zip. Found 2 files: [${disk} ${small}]`);
    const bad = await run({ output: path.join(dir, 'y.gz'), compression_level: -3 }, [disk]);
    assert.ok(bad.res.kind === 'error');
    assert.equal(bad.res.error.message, 'error creating pgzip writer: Invalid compression level. Expected an integer from -1 to 9.');
  });

  it('.gz of a file big enough for the workers: they start before the archive is created, and end when creating it fails', async () => {
    const threads = (): number => readdirSync('/proc/self/task').length;
    const big = path.join(dir, 'big.raw');
    const data = Buffer.concat([Buffer.alloc(WORKER_MIN_BYTES), diskData]);
    await writeFile(big, data);
    const before = threads();
    // The archive's folder would be a file: mkdir fails after the workers were started.
    await writeFile(path.join(dir, 'not-a-dir'), '');
    const bad = path.join(dir, 'not-a-dir', 'big.raw.gz');
    const { res } = await run({ output: bad }, [big]);
    assert.ok(res.kind === 'error');
    assert.match(res.error.message, /^Unable to create dir for archive /);
    assert.ok(threads() <= before, `threads before ${before}, after ${threads()}`);
    // Over an existing archive (replaced by a new file), read back whole.
    const target = path.join(dir, 'big.raw.gz');
    await writeFile(target, 'an old archive');
    const ok = await run({ output: target }, [big]);
    assert.ok(ok.res.kind === 'ok', ok.res.kind === 'error' ? ok.res.error.message : '');
    assert.deepEqual(tool('gzip', ['-dc', target]), data);
    assert.ok(threads() <= before, `threads before ${before}, after ${threads()}`);
  });

  it('.tar.gz and .zip with files big enough for the workers: the bytes the streaming writers make, read back by gzip, tar and unzip', async () => {
    const mib = 1 << 20;
    const text = Buffer.from('kiln packer tar zip entry header '.repeat(mib / 33 + 1)).subarray(0, mib);
    // Text, zeros and noise, a ragged size: tar headers and padding fall inside blocks.
    const data = Buffer.concat([text, Buffer.alloc(3 * mib), randomBytes(2 * mib), text, Buffer.alloc(mib), text, randomBytes(12_345)]);
    const big = path.join(dir, `${'b'.repeat(120)}.raw`);
    await writeFile(big, data);
    const files = [small, big, disk];
    const collect = (): ByteSink & { bytes: () => Buffer } => {
      const parts: Buffer[] = [];
      return { write: (c) => (parts.push(Buffer.from(c)), Promise.resolve()), end: () => Promise.resolve(), bytes: () => Buffer.concat(parts) };
    };
    const streamed = collect();
    const gz = new ParallelGzip(streamed, -1);
    await writeTar(files, gz);
    await gz.end();
    const target = path.join(dir, 'big.tar.gz');
    const { res } = await run({ output: target }, files);
    assert.ok(res.kind === 'ok', res.kind === 'error' ? res.error.message : '');
    assert.ok((await readFile(target)).equals(streamed.bytes()), 'differs from writeTar through ParallelGzip');
    tool('gzip', ['-t', target]);
    assert.deepEqual(tool('tar', ['-xzOf', target, path.basename(big)]), data);

    const zipTarget = path.join(dir, 'big.zip');
    const zipped = await run({ output: zipTarget }, [big, small]);
    assert.ok(zipped.res.kind === 'ok', zipped.res.kind === 'error' ? zipped.res.error.message : '');
    assert.match(tool('unzip', ['-t', zipTarget]).toString(), /No errors detected/);
    assert.deepEqual(tool('unzip', ['-p', zipTarget, big.slice(1)]), data);
    // The first entry's data, after its 30-byte header and name: ParallelDeflate's bytes.
    const deflated = collect();
    const deflate = new ParallelDeflate(deflated, -1);
    await deflate.write(data);
    await deflate.finish();
    const zip = await readFile(zipTarget);
    const at = 30 + big.length - 1;
    assert.ok(zip.subarray(at, at + deflated.bytes().length).equals(deflated.bytes()), 'entry data differs from ParallelDeflate');
  });

  it('a missing input fails and leaves no partial archive', async () => {
    const target = path.join(dir, 'gone.tar.gz');
    const { res } = await run({ output: target }, [path.join(dir, 'nope')]);
    assert.ok(res.kind === 'error');
    assert.equal(res.error.message, `Error creating tar: Unable to read file ${path.join(dir, 'nope')}: open ${path.join(dir, 'nope')}: no such file or directory`);
    assert.equal(existsSync(target), false);
  });
});
