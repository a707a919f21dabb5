import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Communicator } from '../../../sdk/communicator.js';
import { builtinCommunicator, prepareAndProvision, prepareErrors, provisionContext, recordingUi } from '../test-helpers.js';
import type { FileConfig } from './config.js';
import file from './index.js';

let dir: string;
let n = 0;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-file-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh local tree: src/{a.txt, tree/{x.txt, sub/y.txt}} and an empty "machine" folder. */
async function fixture() {
  const root = path.join(dir, `case${++n}`);
  const src = path.join(root, 'src');
  const machine = path.join(root, 'machine');
  await mkdir(path.join(src, 'tree', 'sub'), { recursive: true });
  await mkdir(machine);
  await writeFile(path.join(src, 'a.txt'), 'A', { mode: 0o640 });
  await writeFile(path.join(src, 'tree', 'x.txt'), 'X');
  await writeFile(path.join(src, 'tree', 'sub', 'y.txt'), 'Y');
  return { root, src, machine };
}

async function listTree(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.push(path.relative(root, path.join(e.parentPath, e.name)));
  }
  return out.sort();
}

async function provision(config: FileConfig, communicator?: Communicator) {
  const comm = communicator ?? (await builtinCommunicator('local'));
  const ui = recordingUi();
  const res = await prepareAndProvision(file, config, provisionContext(comm, { ui }));
  return { res, ui };
}

describe('file provisioner (local communicator)', () => {
  it('uploads a file to destination, keeping its mode', async () => {
    const f = await fixture();
    const { res, ui } = await provision({ source: path.join(f.src, 'a.txt'), destination: path.join(f.machine, 'b.txt') });
    assert.equal(res.kind, 'ok');
    assert.deepEqual(ui.lines, [`say Uploading ${path.join(f.src, 'a.txt')} => ${path.join(f.machine, 'b.txt')}`]);
    assert.equal(await readFile(path.join(f.machine, 'b.txt'), 'utf8'), 'A');
    assert.equal((await stat(path.join(f.machine, 'b.txt'))).mode & 0o777, 0o640);
  });
  it('uploads into a destination ending in / under the source name, several sources', async () => {
    const f = await fixture();
    const { res } = await provision({ sources: [path.join(f.src, 'a.txt'), path.join(f.src, 'tree', 'x.txt')], destination: `${f.machine}/` });
    assert.equal(res.kind, 'ok');
    assert.deepEqual(await listTree(f.machine), ['a.txt', 'x.txt']);
  });
  it('uploads a directory itself without a trailing slash, its contents with one', async () => {
    const f = await fixture();
    assert.equal((await provision({ source: path.join(f.src, 'tree'), destination: f.machine })).res.kind, 'ok');
    assert.deepEqual(await listTree(f.machine), ['tree/sub/y.txt', 'tree/x.txt']);
    const g = await fixture();
    assert.equal((await provision({ source: `${path.join(g.src, 'tree')}/`, destination: g.machine })).res.kind, 'ok');
    assert.deepEqual(await listTree(g.machine), ['sub/y.txt', 'x.txt']);
    const h = await fixture();
    assert.equal((await provision({ source: path.join(h.src, 'tree'), destination: path.join(h.machine, 'new') })).res.kind, 'ok');
    assert.deepEqual(await listTree(h.machine), ['new/sub/y.txt', 'new/x.txt'], 'a missing destination becomes the copy');
  });
  it('uploads content as a file', async () => {
    const f = await fixture();
    const { res, ui } = await provision({ content: 'hello\n', destination: path.join(f.machine, 'c.txt') });
    assert.equal(res.kind, 'ok');
    assert.match(ui.lines[0] ?? '', /^say Uploading .*pkr-file-content\d+ => /);
    assert.equal(await readFile(path.join(f.machine, 'c.txt'), 'utf8'), 'hello\n');
  });
  it('downloads a file to a path, or into a folder ending in /, creating the local folder', async () => {
    const f = await fixture();
    const remote = path.join(f.src, 'a.txt');
    const to = path.join(f.root, 'out', 'deep', 'got.txt');
    const r1 = await provision({ source: remote, destination: to, direction: 'download' });
    assert.equal(r1.res.kind, 'ok');
    assert.deepEqual(r1.ui.lines, [`say Downloading ${remote} => ${to}`]);
    assert.equal(await readFile(to, 'utf8'), 'A');
    const into = `${path.join(f.root, 'into')}/`;
    const r2 = await provision({ source: remote, destination: into, direction: 'download' });
    assert.deepEqual(r2.ui.lines, [`say Downloading ${remote} => ${path.join(into, 'a.txt')}`]);
    assert.equal(await readFile(path.join(into, 'a.txt'), 'utf8'), 'A');
  });
  it('downloads a directory when the source ends in /', async () => {
    const f = await fixture();
    const into = `${path.join(f.root, 'dl')}/`;
    const { res, ui } = await provision({ source: `${path.join(f.src, 'tree')}/`, destination: into, direction: 'download' });
    assert.equal(res.kind, 'ok');
    assert.deepEqual(ui.lines, [`say Downloading ${path.join(f.src, 'tree')}/ => ${into}`]);
    assert.deepEqual(await listTree(into), ['sub/y.txt', 'x.txt']);
  });
  it('reports a failed transfer', async () => {
    const f = await fixture();
    const up = await provision({ source: path.join(f.src, 'a.txt'), destination: path.join(f.machine, 'missing', 'a.txt') });
    assert.equal(up.res.kind, 'error');
    assert.match(up.ui.lines[1] ?? '', /^error Upload failed: ENOENT/);
    const down = await provision({ source: path.join(f.src, 'nope'), destination: path.join(f.root, 'n'), direction: 'download' });
    assert.equal(down.res.kind, 'error');
    assert.match(down.ui.lines[1] ?? '', /^error Download failed: ENOENT/);
  });
  it("fails on the none communicator with Packer's message", async () => {
    const f = await fixture();
    const { res, ui } = await provision({ source: path.join(f.src, 'a.txt'), destination: '/tmp/x' }, await builtinCommunicator('none'));
    assert.equal(res.kind === 'error' && res.error.message, "Upload is not implemented when communicator = 'none'");
    assert.equal(ui.lines[1], "error Upload failed: Upload is not implemented when communicator = 'none'");
  });
  it("checks the options at prepare with Packer's messages", async () => {
    const errors = (c: FileConfig) => prepareErrors(file, c);
    assert.deepEqual(await errors({}), ['Destination must be specified.']);
    assert.deepEqual(await errors({ source: '/nope', destination: '/x' }), ["Bad source '/nope': stat /nope: no such file or directory"]);
    assert.deepEqual(await errors({ source: '/nope', destination: '/x', generated: true }), []);
    assert.deepEqual(await errors({ source: '/nope', destination: '/x', direction: 'download' }), []);
    assert.deepEqual(await errors({ source: '/etc/hostname', content: 'x', destination: '/x', direction: 'sideways' }), [
      'Direction must be one of: download, upload.',
      'source(s) conflicts with content.',
    ]);
  });
});
