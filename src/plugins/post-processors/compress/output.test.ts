import assert from 'node:assert/strict';
import { chmod, link, lstat, open, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../test-helpers.js';
import { openArchive } from './output.js';

/** Opens `target` with openArchive, writes `text`, closes. */
async function rewrite(target: string, text: string): Promise<void> {
  const fh = await openArchive(target);
  try {
    await fh.write(text);
  } finally {
    await fh.close();
  }
}

describe('openArchive: the archive written from empty', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  before(async () => {
    ({ dir, cleanup } = await tempDir('compress-output'));
  });
  after(() => cleanup());

  it('creates a missing file', async () => {
    const target = path.join(dir, 'new.gz');
    await rewrite(target, 'abc');
    assert.equal(await readFile(target, 'utf8'), 'abc');
  });

  it('replaces an existing file by a new one with the same permission bits, whatever the umask', async () => {
    const target = path.join(dir, 'old.gz');
    await writeFile(target, 'a much longer old content');
    for (const mode of [0o640, 0o777, 0o600]) {
      await chmod(target, mode);
      // A reader that had the old file open still reads it whole: it was not truncated.
      const reader = await open(target, 'r');
      try {
        await rewrite(target, 'new');
        assert.equal((await reader.readFile()).toString(), 'a much longer old content');
      } finally {
        await reader.close();
      }
      assert.equal(await readFile(target, 'utf8'), 'new');
      assert.equal((await stat(target)).mode & 0o7777, mode);
      await writeFile(target, 'a much longer old content');
    }
  });

  it('truncates a hard-linked file in place (every name sees the new content, as with Packer) and writes through a symlink', async () => {
    const target = path.join(dir, 'linked.gz');
    const other = path.join(dir, 'other-name.gz');
    await writeFile(target, 'old old old');
    await link(target, other);
    const ino = (await stat(target)).ino;
    await rewrite(target, 'new');
    assert.equal((await stat(target)).ino, ino);
    assert.equal(await readFile(other, 'utf8'), 'new');

    const real = path.join(dir, 'real.gz');
    const viaLink = path.join(dir, 'via-link.gz');
    await writeFile(real, 'old old old');
    await symlink(real, viaLink);
    await rewrite(viaLink, 'new');
    assert.ok((await lstat(viaLink)).isSymbolicLink());
    assert.equal(await readFile(real, 'utf8'), 'new');
  });

  it("fails with the open's error where the file cannot be created", async () => {
    await assert.rejects(openArchive(path.join(dir, 'missing-dir', 'x.gz')), { code: 'ENOENT' });
  });
});
