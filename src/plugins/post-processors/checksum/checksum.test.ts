import assert from 'node:assert/strict';
import { prepareErrors } from '../../provisioners/test-helpers.js';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inputArtifact, ppContext, tempDir } from '../test-helpers.js';
import type { ChecksumConfig } from './index.js';
import { checksumPostProcessor, DEFAULT_CHECKSUM_OUTPUT } from './index.js';

/** The digest the coreutils tool prints for `file`. */
const coreutils = (type: string, file: string): string => execFileSync(`${type}sum`, [file], { encoding: 'utf8' }).split(' ')[0] ?? '';

describe('checksum post-processor', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  let files: string[] = [];
  before(async () => {
    ({ dir, cleanup } = await tempDir('checksum'));
    await mkdir(path.join(dir, 'out'));
    files = [path.join(dir, 'disk.raw'), path.join(dir, 'empty'), path.join(dir, 'big.bin')];
    await writeFile(files[0] as string, 'hello\n');
    await writeFile(files[1] as string, '');
    // Larger than the read chunk, with a ragged tail, so chunking shows up in the digest if wrong.
    const big = Buffer.alloc(3 * (1 << 20) + 12345);
    for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
    await writeFile(files[2] as string, big);
  });
  after(() => cleanup());

  it('writes every type for every file, digests equal to coreutils, in Packer\'s line format', async () => {
    const types = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
    const cfg: ChecksumConfig = { checksum_types: types, output: path.join(dir, 'out', '{{.BuildName}}-{{.BuilderType}}-{{.ChecksumType}}-{{.ID}}.sum') };
    const art = inputArtifact(files, { generated: { ID: 'g1' } });
    const res = await checksumPostProcessor.postProcess(cfg, ppContext(art, { buildName: 'b', builderType: 'qemu' }));
    assert.ok(res.kind === 'ok', res.kind === 'error' ? res.error.message : '');
    const sums = types.map((t) => path.join(dir, 'out', `b-qemu-${t}-g1.sum`));
    assert.deepEqual(res.value.artifact?.files, [...files, ...sums]);
    assert.equal(res.value.artifact?.builderId, 'packer.post-processor.checksum');
    assert.equal(res.value.artifact?.id, '');
    assert.equal(res.value.artifact?.describe(), `Created artifact from files: ${[...files, ...sums].join(', ')}`);
    assert.equal(res.value.keep, true);
    assert.equal(res.value.forceOverride, true);
    for (const [i, t] of types.entries()) {
      const expected = files.map((f) => `${coreutils(t, f)}\t${path.basename(f)}\n`).join('');
      assert.equal(await readFile(sums[i] as string, 'utf8'), expected, t);
    }
  });

  it('appends to existing checksum files and lists only the files it created', async () => {
    const out = path.join(dir, 'nested', 'dir', '{{.ChecksumType}}.txt');
    const existing = path.join(dir, 'nested', 'dir', 'sha256.txt');
    await mkdir(path.dirname(existing), { recursive: true });
    await writeFile(existing, 'previous\n');
    const res = await checksumPostProcessor.postProcess({ checksum_types: ['sha256', 'md5'], output: out }, ppContext(inputArtifact([files[0] as string])));
    assert.ok(res.kind === 'ok');
    assert.deepEqual(res.value.artifact?.files, [files[0], path.join(dir, 'nested', 'dir', 'md5.txt')]);
    assert.equal(await readFile(existing, 'utf8'), `previous\n${coreutils('sha256', files[0] as string)}\tdisk.raw\n`);
  });

  it("renders the default output name in the working directory", async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const res = await checksumPostProcessor.postProcess({ checksum_types: ['md5'], output: DEFAULT_CHECKSUM_OUTPUT }, ppContext(inputArtifact([files[0] as string]), { buildName: 'web', builderType: 'docker' }));
      assert.ok(res.kind === 'ok');
      assert.equal(existsSync(path.join(dir, 'packer_web_docker_md5.checksum')), true);
    } finally {
      process.chdir(cwd);
    }
  });

  it('destroying its artifact removes the input files and the checksum files', async () => {
    const f = path.join(dir, 'doomed');
    await writeFile(f, 'x');
    const res = await checksumPostProcessor.postProcess({ checksum_types: ['sha1'], output: path.join(dir, 'doomed.sha1') }, ppContext(inputArtifact([f])));
    assert.ok(res.kind === 'ok');
    await res.value.artifact?.destroy();
    assert.equal(existsSync(f), false);
    assert.equal(existsSync(path.join(dir, 'doomed.sha1')), false);
  });

  it("rejects unknown types at prepare and reports unreadable files with Packer's message", async () => {
    const errors = await prepareErrors(checksumPostProcessor, { checksum_types: ['sha256', 'crc32', 'SHA1'], output: 'x' });
    assert.deepEqual(errors, ['Unrecognized checksum type: crc32', 'Unrecognized checksum type: SHA1']);
    const missing = path.join(dir, 'nope');
    const res = await checksumPostProcessor.postProcess({ checksum_types: ['md5'], output: path.join(dir, 'x.md5') }, ppContext(inputArtifact([missing])));
    assert.ok(res.kind === 'error');
    assert.equal(res.error.message, `unable to open file ${missing}: open ${missing}: no such file or directory`);
  });
});
