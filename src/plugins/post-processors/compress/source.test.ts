import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../test-helpers.js';
import type { SourcePiece } from './source.js';
import { fileSource, ShortReadError, SourceReader, sourceOf } from './source.js';

describe('SourceReader: ranges of files and literal bytes laid end to end', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  const a = randomBytes(5000);
  const b = randomBytes(3000);
  before(async () => {
    ({ dir, cleanup } = await tempDir('compress-source'));
    await writeFile(path.join(dir, 'a'), a);
    await writeFile(path.join(dir, 'b'), b);
  });
  after(() => cleanup());

  it('reads every range of the stream the pieces spell, across piece edges', async () => {
    const fa = await open(path.join(dir, 'a'), 'r');
    const fb = await open(path.join(dir, 'b'), 'r');
    try {
      const head = Buffer.from('header');
      const pieces: SourcePiece[] = [{ bytes: head }, { fd: fa.fd, offset: 100, length: 4000, name: 'a' }, { bytes: new Uint8Array(0) }, { bytes: new Uint8Array(7) }, { fd: fb.fd, offset: 0, length: 3000, name: 'b' }, { bytes: Buffer.from('end') }];
      const expected = Buffer.concat([head, a.subarray(100, 4100), Buffer.alloc(7), b, Buffer.from('end')]);
      const source = sourceOf(pieces);
      assert.equal(source.size, expected.length);
      const reader = new SourceReader(source);
      for (const [position, length] of [
        [0, expected.length],
        [0, 3],
        [4, 10],
        [4005, 20],
        [4006, 7],
        [4013, 3000],
        [expected.length - 5, 100],
        [expected.length, 10],
      ] as const) {
        const into = Buffer.alloc(length);
        const n = reader.read(into, position);
        assert.equal(n, Math.min(length, expected.length - position), `at ${position}`);
        assert.ok(into.subarray(0, n).equals(expected.subarray(position, position + n)), `at ${position}, ${length} bytes`);
      }
    } finally {
      await fa.close();
      await fb.close();
    }
  });

  it('a file shorter than laid out: ShortReadError with the missing count, except as the last piece (read as far as it goes)', async () => {
    const fa = await open(path.join(dir, 'a'), 'r');
    try {
      const tar = new SourceReader(sourceOf([{ fd: fa.fd, offset: 0, length: 6000, name: '/x/a' }, { bytes: new Uint8Array(1024) }]));
      assert.throws(
        () => tar.read(Buffer.alloc(7024), 0),
        (err: unknown) => err instanceof ShortReadError && err.missing === 1000 && err.message === 'Failed to copy /x/a data to archive: archive/tar: missed writing 1000 bytes',
      );
      // Past the first 4096 bytes: still 1000 missing.
      assert.throws(() => tar.read(Buffer.alloc(100), 4990), { message: /missed writing 1000 bytes/ });
      const single = new SourceReader(fileSource(fa.fd, 6000, 'a'));
      const into = Buffer.alloc(6000);
      assert.equal(single.read(into, 0), 5000);
      assert.ok(into.subarray(0, 5000).equals(a));
      assert.equal(single.read(into, 5500), 0);
    } finally {
      await fa.close();
    }
  });
});
