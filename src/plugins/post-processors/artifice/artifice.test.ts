import assert from 'node:assert/strict';
import { prepareErrors } from '../../provisioners/test-helpers.js';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inputArtifact, ppContext, tempDir } from '../test-helpers.js';
import { artificePostProcessor } from './index.js';
import { goGlob, goMatch } from './go-glob.js';

describe('artifice post-processor', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  before(async () => {
    ({ dir, cleanup } = await tempDir('artifice'));
    for (const f of ['b.img', 'a.img', '.hidden.img', 'x.txt', 'sub1/disk.vmdk', 'sub2/disk.vmdk', 'sub2/z.ovf']) {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), f);
    }
  });
  after(() => cleanup());

  it('says what it discards and uses; globs sorted per directory; missing paths dropped', async () => {
    const ctx = ppContext(inputArtifact(['/old/one', '/old/two']));
    const patterns = [`${dir}/*.img`, `${dir}/sub*/disk.vmdk`, `${dir}/missing.txt`, `${dir}/x.txt`];
    const res = await artificePostProcessor.postProcess({ files: patterns }, ctx);
    assert.ok(res.kind === 'ok');
    const expected = ['.hidden.img', 'a.img', 'b.img', 'sub1/disk.vmdk', 'sub2/disk.vmdk', 'x.txt'].map((f) => path.join(dir, f));
    assert.deepEqual(res.value.artifact?.files, expected);
    assert.equal(res.value.artifact?.builderId, 'packer.post-processor.artifice');
    assert.equal(res.value.artifact?.describe(), `Created artifact from files: ${expected.join(', ')}`);
    assert.equal(res.value.keep, true);
    assert.equal(res.value.forceOverride, false);
    assert.deepEqual(ctx.ui.lines, ['Discarding files from artifact: /old/one, /old/two', `Using these artifact files: ${expected.join(', ')}`]);
  });

  it('requires files at prepare, and reports a malformed pattern', async () => {
    const packer = ppContext(inputArtifact([])).packer;
    assert.deepEqual(await prepareErrors(artificePostProcessor, {}, packer), ['No files specified in artifice configuration']);
    assert.deepEqual(await prepareErrors(artificePostProcessor, { files: [] }, packer), ['No files specified in artifice configuration']);
    const ctx = ppContext(inputArtifact([]));
    const res = await artificePostProcessor.postProcess({ files: [`${dir}/[a-`] }, ctx);
    assert.ok(res.kind === 'error');
    assert.equal(res.error.message, 'syntax error in pattern');
    assert.deepEqual(ctx.ui.lines, []);
  });

  it("goGlob joins like Go's filepath.Join", () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      assert.deepEqual(goGlob('./*.img'), ['.hidden.img', 'a.img', 'b.img']);
      assert.deepEqual(goGlob('sub?/*'), ['sub1/disk.vmdk', 'sub2/disk.vmdk', 'sub2/z.ovf']);
      assert.deepEqual(goGlob('x.txt'), ['x.txt']);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('goMatch (filepath.Match)', () => {
  const cases: [string, string, boolean | 'bad'][] = [
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*/b', 'abc/b', true],
    ['a*/b', 'a/c/b', false],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[e-g]', 'abc', false],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abe', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a???b', 'a☺b', false],
    ['[\\]a]', ']', true],
    ['[\\-]', '-', true],
    ['[x\\-]', 'z', false],
    ['[', 'a', 'bad'],
    ['[^', 'a', 'bad'],
    ['[]a]', ']', 'bad'],
    ['[-]', '-', 'bad'],
    ['[a-b-c]', 'a', 'bad'],
    ['a\\', 'a', 'bad'],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['*x', 'xxx', true],
  ];
  for (const [pattern, name, want] of cases) {
    it(`${pattern} ~ ${name}`, () => {
      if (want === 'bad') assert.throws(() => goMatch(pattern, name), /syntax error in pattern/);
      else assert.equal(goMatch(pattern, name), want);
    });
  }
});
