// Against a real Docker engine (test/support/docker.ts) and the local busybox image.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ensureBusyboxImage, startDockerEngine, type DockerEngine } from '../../../../test/support/docker.js';
import { DockerDriver } from '../../../sdk/docker/driver.js';
import type { CommandResult } from '../../../sdk/communicator.js';
import { connectDockerCommunicator, type DockerCommunicator, type DockerCommunicatorOptions } from './docker-communicator.js';

let engine: DockerEngine;
let driver: DockerDriver;
let image: string;
let tmp: string;
let container: string;
let comm: DockerCommunicator;
const containers: string[] = [];

async function start(extra: string[] = []): Promise<string> {
  const r = await driver.startContainer({ image, runCommand: ['-d', '-i', '-t', ...extra, '--entrypoint=/bin/sh', '--', '{{.Image}}'] });
  if (r.kind === 'error') assert.fail(r.message);
  containers.push(r.value);
  return r.value;
}

async function open(options: Partial<DockerCommunicatorOptions> & { containerId: string }): Promise<DockerCommunicator> {
  const r = await connectDockerCommunicator({ host: engine.host, hostDir: tmp, ...options });
  if (r.kind === 'error') assert.fail(r.message);
  return r.value;
}

/** Runs `command` and collects its output. */
async function sh(c: DockerCommunicator, command: string, stdin?: string): Promise<{ result: CommandResult; out: string; err: string }> {
  let out = '';
  let err = '';
  const result = await c.run({
    command,
    ...(stdin !== undefined ? { stdin: Readable.from([Buffer.from(stdin)]) } : {}),
    onStdout: (b) => (out += b.toString()),
    onStderr: (b) => (err += b.toString()),
  });
  return { result, out, err };
}

/** The docker client by its full path: the same client, but not one engineApi bypasses. */
function dockerPath(): string {
  return spawnSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).stdout.trim();
}

function inContainer(command: string, id = container): string {
  return engine.docker(['exec', id, '/bin/sh', '-c', command]);
}

function collector(): { sink: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  return { sink, text: () => Buffer.concat(chunks).toString() };
}

before(async () => {
  engine = await startDockerEngine();
  image = await ensureBusyboxImage(engine);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'kiln-dockercomm-test-'));
  driver = new DockerDriver({ host: engine.host });
  container = await start();
  comm = await open({ containerId: container });
});

after(async () => {
  await comm?.close();
  for (const id of containers) await driver.removeContainer(id, true);
  await rm(tmp, { recursive: true, force: true });
  await engine.stop();
});

// Commands run on the engine's socket when the CLI would add nothing (the test engine's
// unix DOCKER_HOST), through the docker client otherwise (here: the client by its full path).
for (const via of ['the engine API', 'the docker CLI'] as const) {
  describe(`DockerCommunicator.run through ${via}`, () => {
    const transport: Partial<DockerCommunicatorOptions> = via === 'the docker CLI' ? { executable: dockerPath() } : {};
    let comm: DockerCommunicator;
    before(async () => {
      comm = await open({ ...transport, containerId: container });
    });

    it('runs through /bin/sh -c, streams stdout and stderr, and returns the exit status', async () => {
      const r = await sh(comm, 'echo out; echo err >&2; exit 7');
      assert.deepEqual(r.result, { kind: 'exited', exitStatus: 7 });
      assert.equal(r.out, 'out\n');
      assert.equal(r.err, 'err\n');
      assert.deepEqual((await sh(comm, 'true')).result, { kind: 'exited', exitStatus: 0 });
    });

    it('feeds stdin and closes it; with no stdin the command sees EOF', async () => {
      assert.equal((await sh(comm, 'cat', 'piped input\n')).out, 'piped input\n');
      const r = await sh(comm, 'cat; echo done');
      assert.equal(r.out, 'done\n');
    });

    it('streams output chunk by chunk while the command runs', async () => {
      const seen: string[] = [];
      const result = await comm.run({ command: 'for i in 1 2 3; do echo line$i; sleep 0.2; done', onStdout: (b) => seen.push(b.toString()) });
      assert.deepEqual(result, { kind: 'exited', exitStatus: 0 });
      assert.equal(seen.join(''), 'line1\nline2\nline3\n');
      assert.ok(seen.length >= 2, `expected several chunks, got ${JSON.stringify(seen)}`);
    });

    it('runs as exec_user', async () => {
      const asBuilder = await open({ ...transport, containerId: container, execUser: 'builder' });
      assert.equal((await sh(asBuilder, 'id -un')).out, 'builder\n');
      assert.equal((await sh(comm, 'id -u')).out, '0\n');
    });

    it('kills the command inside the container when the signal aborts', async () => {
      const ctl = new AbortController();
      const running = comm.run({ command: 'echo started > /tmp/abort-marker; sleep 300' }, ctl.signal);
      for (let i = 0; i < 100 && !inContainer('cat /tmp/abort-marker 2>/dev/null || true').includes('started'); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      ctl.abort(new Error('cancelled by test'));
      await assert.rejects(running, /cancelled by test/);
      const procs = inContainer('ps -o pid,args');
      assert.doesNotMatch(procs, /sleep 300/);
      // The communicator is usable after an abort.
      assert.equal((await sh(comm, 'echo after')).out, 'after\n');
    });

    it('reports a container that is gone as disconnected', async () => {
      const id = await start();
      const c = await open({ ...transport, containerId: id });
      await driver.killContainer(id);
      const r = await sh(c, 'echo hi');
      assert.equal(r.result.kind, 'disconnected');
    });
  });
}

describe('DockerCommunicator uploads and downloads', () => {
  it('uploads a buffer and a stream with the given mode, replacing an existing file', async () => {
    await comm.upload('/tmp/buf.txt', Buffer.from('first'));
    await comm.upload('/tmp/buf.txt', Buffer.from('from a buffer\n'), { mode: 0o600 });
    assert.equal(inContainer('cat /tmp/buf.txt; stat -c %a /tmp/buf.txt'), 'from a buffer\n600\n');
    await comm.upload('/tmp/stream.sh', Readable.from(['#!/bin/sh\n', 'echo streamed\n']), { mode: 0o755 });
    assert.equal((await sh(comm, '/tmp/stream.sh')).out, 'streamed\n');
  });

  it('fails to upload into a folder that does not exist', async () => {
    await assert.rejects(comm.upload('/no/such/dir/file', Buffer.from('x')), /Failed to upload to '\/no\/such\/dir\/file'/);
  });

  it("uploads a file on the engine's socket as docker cp does: content, mode, owner; a folder at dst goes through docker cp", async () => {
    const viaCli = await open({ containerId: container, executable: dockerPath() });
    const content = Buffer.from('#!/bin/sh\necho same\n');
    await comm.upload('/tmp/api-upload.sh', content, { mode: 0o755 });
    await viaCli.upload('/tmp/cli-upload.sh', content, { mode: 0o755 });
    const summary = (p: string): string => inContainer(`stat -c '%F %a %u:%g %s' ${p}; cat ${p}`);
    assert.equal(summary('/tmp/api-upload.sh'), summary('/tmp/cli-upload.sh'));
    assert.equal(summary('/tmp/api-upload.sh'), 'regular file 755 0:0 20\n#!/bin/sh\necho same\n');
    // An existing folder at dst: docker cp puts the file inside it, under the staged name.
    inContainer('mkdir -p /tmp/into-dir');
    await comm.upload('/tmp/into-dir', Buffer.from('in'));
    assert.equal(inContainer('cat /tmp/into-dir/into-dir'), 'in');
  });

  it("chowns uploads to the container's user (fix_upload_owner), and not when disabled", async () => {
    const id = await start(['--user', 'builder']);
    const c = await open({ containerId: id });
    await c.upload('/tmp/owned.txt', Buffer.from('x'));
    assert.equal(inContainer('stat -c %U /tmp/owned.txt', id), 'builder\n');
    const raw = await open({ containerId: id, fixUploadOwner: false });
    await raw.upload('/tmp/raw.txt', Buffer.from('x'));
    assert.equal(inContainer('stat -c %U /tmp/raw.txt', id), 'root\n');
  });

  it('downloads a file into a sink and leaves the sink open', async () => {
    inContainer('printf "line one\\nline two\\n" > /tmp/dl.txt');
    const { sink, text } = collector();
    await comm.download('/tmp/dl.txt', sink);
    assert.equal(text(), 'line one\nline two\n');
    assert.equal(sink.writableEnded, false);
    await assert.rejects(comm.download('/tmp/missing.txt', collector().sink), /Failed to download '\/tmp\/missing.txt'/);
    await assert.rejects(comm.download('/tmp', collector().sink), /is a directory/);
  });

  it('round-trips a large binary file', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 11)) & 0xff;
    await comm.upload('/tmp/big.bin', data);
    const chunks: Buffer[] = [];
    await comm.download('/tmp/big.bin', new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) }));
    assert.ok(Buffer.concat(chunks).equals(data));
  });

  describe('directories, with the trailing-slash rule', () => {
    let src: string;
    before(async () => {
      src = path.join(tmp, 'tree');
      await mkdir(path.join(src, 'sub', 'deep'), { recursive: true });
      await writeFile(path.join(src, 'a.txt'), 'A');
      await writeFile(path.join(src, 'sub', 'b.txt'), 'B');
      await writeFile(path.join(src, 'sub', 'deep', 'c.txt'), 'C');
      await writeFile(path.join(src, 'skip.log'), 'skip');
    });

    it('uploads the contents when src ends in /', async () => {
      inContainer('mkdir -p /up1');
      await comm.uploadDir('/up1', `${src}/`);
      assert.equal(inContainer('cd /up1 && ls -R . | tr -s "\\n" " "'), '.: a.txt skip.log sub ./sub: b.txt deep ./sub/deep: c.txt ');
    });

    it('uploads the folder itself into an existing dst when src has no trailing /', async () => {
      inContainer('mkdir -p /up2');
      await comm.uploadDir('/up2', src);
      assert.equal(inContainer('cat /up2/tree/a.txt /up2/tree/sub/deep/c.txt'), 'AC');
    });

    it('creates a missing dst as the copy (docker cp, as Packer does)', async () => {
      await comm.uploadDir('/up3', src);
      assert.equal(inContainer('cat /up3/a.txt /up3/sub/b.txt'), 'AB');
    });

    it('leaves excluded paths out and chowns the tree', async () => {
      const id = await start(['--user', 'builder']);
      const c = await open({ containerId: id });
      inContainer('mkdir -p /tmp/up4', id);
      await c.uploadDir('/tmp/up4', `${src}/`, ['skip.log', 'sub/deep']);
      assert.equal(inContainer('cd /tmp/up4 && ls -R . | tr -s "\\n" " "', id), '.: a.txt sub ./sub: b.txt ');
      assert.equal(inContainer('stat -c %U /tmp/up4/sub/b.txt', id), 'builder\n');
    });

    it('downloads a directory both ways, and with exclusions', async () => {
      inContainer('mkdir -p /dl/sub && echo X > /dl/x.txt && echo Y > /dl/sub/y.txt && echo Z > /dl/z.log');
      const contents = path.join(tmp, 'dl-contents');
      await comm.downloadDir('/dl/', contents);
      assert.deepEqual((await readdir(contents)).sort(), ['sub', 'x.txt', 'z.log']);

      const into = path.join(tmp, 'dl-into');
      await mkdir(into);
      await comm.downloadDir('/dl', into);
      assert.equal(await readFile(path.join(into, 'dl', 'sub', 'y.txt'), 'utf8'), 'Y\n');

      const filtered = path.join(tmp, 'dl-filtered');
      await mkdir(filtered);
      await comm.downloadDir('/dl', filtered, ['z.log']);
      assert.deepEqual((await readdir(path.join(filtered, 'dl'))).sort(), ['sub', 'x.txt']);
      const filteredNew = path.join(tmp, 'dl-filtered-new');
      await comm.downloadDir('/dl/', filteredNew, ['sub']);
      assert.deepEqual((await readdir(filteredNew)).sort(), ['x.txt', 'z.log']);
      assert.ok((await stat(path.join(filteredNew, 'x.txt'))).isFile());
    });
  });

  it('leaves no staging files in its host temp folder', async () => {
    assert.deepEqual((await readdir(tmp)).filter((f) => f.startsWith('kiln-docker-')), []);
  });
});
