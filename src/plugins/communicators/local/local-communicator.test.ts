import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { LocalCommunicator } from './local-communicator.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-local-comm-'));
  await mkdir(path.join(dir, 'src', 'sub'), { recursive: true });
  await writeFile(path.join(dir, 'src', 'a'), 'A');
  await writeFile(path.join(dir, 'src', 'sub', 'b'), 'B');
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('local communicator', () => {
  const comm = new LocalCommunicator({ env: { KILN_X: 'x' } });
  it('runs commands through /bin/sh -c with stdin, output and exit status', async () => {
    let out = '';
    let err = '';
    const r = await comm.run({ command: 'read l; echo "$l $KILN_X"; echo e >&2; exit 5', stdin: Readable.from([Buffer.from('in\n')]), onStdout: (c) => (out += c), onStderr: (c) => (err += c) });
    assert.deepEqual(r, { kind: 'exited', exitStatus: 5 });
    assert.equal(out, 'in x\n');
    assert.equal(err, 'e\n');
  });
  it('rejects when aborted and kills the command', async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    await assert.rejects(comm.run({ command: 'sleep 30' }, ctl.signal));
  });
  it('uploads with a mode and downloads into an open sink', async () => {
    const dst = path.join(dir, 'up');
    await comm.upload(dst, Readable.from([Buffer.from('data')]), { mode: 0o600 });
    assert.equal(await readFile(dst, 'utf8'), 'data');
    assert.equal((await stat(dst)).mode & 0o777, 0o600);
    const chunks: Buffer[] = [];
    const sink = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) });
    await comm.download(dst, sink);
    assert.equal(Buffer.concat(chunks).toString(), 'data');
    assert.equal(sink.writableEnded, false);
  });
  it("copies directories with scp -r's trailing-slash rule and exclusions", async () => {
    const src = path.join(dir, 'src');
    const into = path.join(dir, 'into');
    await mkdir(into);
    await comm.uploadDir(into, src);
    assert.deepEqual((await readdir(into, { recursive: true })).sort(), ['src', 'src/a', 'src/sub', 'src/sub/b']);
    const contents = path.join(dir, 'contents');
    await comm.uploadDir(contents, `${src}/`, ['sub']);
    assert.deepEqual(await readdir(contents), ['a']);
    const down = path.join(dir, 'down');
    await comm.downloadDir(src, down);
    assert.deepEqual((await readdir(down, { recursive: true })).sort(), ['a', 'sub', 'sub/b'], 'a missing destination becomes the copy');
  });
});
