// Against a real Docker engine and real registries (test/support/docker.ts, registry.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { ensureBusyboxImage, startDockerEngine, type DockerEngine } from '../../../test/support/docker.js';
import { startRegistry, type Registry } from '../../../test/support/registry.js';
import type { DockerResult } from './docker-cli.js';
import { DockerDriver } from './driver.js';

let engine: DockerEngine;
let image: string;
let driver: DockerDriver;
let tmp: string;
const containers: string[] = [];
const everyContainer: string[] = [];
const images: string[] = [];

function value<T>(r: DockerResult<T>): T {
  if (r.kind === 'error') assert.fail(`${r.message}\n${r.stderr}`);
  return r.value;
}

async function startShell(): Promise<string> {
  const id = value(await driver.startContainer({ image }));
  containers.push(id);
  everyContainer.push(id);
  return id;
}

before(async () => {
  engine = await startDockerEngine();
  image = await ensureBusyboxImage(engine);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'kiln-driver-test-'));
  driver = new DockerDriver({ host: engine.host, configDir: path.join(tmp, 'docker-config') });
});

after(async () => {
  for (const id of containers) await driver.removeContainer(id, true);
  for (const ref of images) await driver.deleteImage(ref);
  await rm(tmp, { recursive: true, force: true });
  await engine.stop();
});

describe('DockerDriver against a real engine', () => {
  it('reads the client and server versions', async () => {
    const v = value(await driver.version());
    assert.match(v.client, /^\d+\.\d+/);
    assert.match(v.server ?? '', /^\d+\.\d+/);
  });

  it("starts a container with Packer's default run_command and stops, kills and removes it", async () => {
    const id = await startShell();
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.equal(engine.docker(['inspect', '--format', '{{.State.Running}} {{json .Config.Entrypoint}}', id]).trim(), 'true ["/bin/sh"]');
    assert.equal(value(await driver.containerUser(id)), '');
    value(await driver.killContainer(id));
    assert.equal(engine.docker(['ps', '-a', '-q', '--no-trunc', '--filter', `id=${id}`]).trim(), '');
  });

  it('passes tmpfs, capabilities, volumes and privileged to docker run', async () => {
    const hostDir = path.join(tmp, 'vol');
    await mkdir(hostDir);
    const id = value(
      await driver.startContainer({
        image,
        tmpfs: ['/scratch:size=1m'],
        capDrop: ['CHOWN'],
        capAdd: ['SYS_ADMIN'],
        volumes: { [hostDir]: '/mnt/host' },
      }),
    );
    containers.push(id);
    everyContainer.push(id);
    const info = engine
      .docker(['inspect', '--format', '{{json .HostConfig.Tmpfs}} {{json .HostConfig.CapDrop}} {{json .HostConfig.CapAdd}} {{json .HostConfig.Binds}}', id])
      .trim();
    assert.equal(info, `{"/scratch":"size=1m"} ["CAP_CHOWN"] ["CAP_SYS_ADMIN"] ["${hostDir}:/mnt/host"]`);
    engine.docker(['exec', id, '/bin/sh', '-c', 'echo from-container > /mnt/host/out.txt']);
    assert.equal((await stat(path.join(hostDir, 'out.txt'))).size, 'from-container\n'.length);
    value(await driver.stopContainer(id));
  });

  // `privileged` is covered by run-args.test.ts only: this sandbox's runc may not grant
  // every capability ("unable to apply caps: operation not permitted").
  it('passes device and platform to docker run', async () => {
    const id = value(await driver.startContainer({ image, device: ['/dev/null:/dev/kiln-null'], platform: 'linux/amd64' }));
    containers.push(id);
    everyContainer.push(id);
    const info = engine.docker(['inspect', '--format', '{{json .HostConfig.Devices}} {{.Platform}}', id]).trim();
    assert.equal(info, '[{"PathOnHost":"/dev/null","PathInContainer":"/dev/kiln-null","CgroupPermissions":"rwm"}] linux');
    engine.docker(['exec', id, '/bin/sh', '-c', 'test -c /dev/kiln-null']);
  });

  it('removes a container that was created but failed to start, and reports the daemon error', async () => {
    const before = engine.docker(['ps', '-a', '-q', '--no-trunc']);
    // Through the engine API (the flags are ones it takes), and through the CLI (-e is not).
    for (const extra of [[], ['-e', 'A=b']]) {
      const r = await driver.startContainer({ image, runCommand: ['-d', ...extra, '--entrypoint=/no/such/program', '{{.Image}}'] });
      assert.equal(r.kind, 'error');
      if (r.kind === 'error') assert.match(r.message, /^Error starting the container: (docker exited with status 12\d: .*)?Error response from daemon: .*no\/such\/program/);
      assert.equal(engine.docker(['ps', '-a', '-q', '--no-trunc']), before);
    }
  });

  it("starts the builder's container on the engine's socket exactly as docker run would, and its commit is the same image config", async () => {
    const hostDir = path.join(tmp, 'vol-api');
    await mkdir(hostDir);
    const settings = { image, autoRemove: true, tmpfs: ['/scratch:size=1m'], capDrop: ['chown'], volumes: { [hostDir]: '/mnt/host' } };
    assert.notEqual(driver.api, undefined, 'the test engine is reached over a unix socket: the API path is taken');
    const viaApi = value(await driver.startContainer({ ...settings, name: `kiln-test-api-${process.pid}` }));
    containers.push(viaApi);
    everyContainer.push(viaApi);
    // The same client by its full path: the engine API does not apply, so this one goes through `docker run`.
    const executable = spawnSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).stdout.trim();
    const cli = new DockerDriver({ host: engine.host, configDir: path.join(tmp, 'docker-config'), executable });
    assert.equal(cli.api, undefined);
    const viaCli = value(await cli.startContainer(settings));
    containers.push(viaCli);
    everyContainer.push(viaCli);
    const fields = '{{json .Config}}|{{json .HostConfig.Binds}}|{{json .HostConfig.Tmpfs}}|{{json .HostConfig.CapDrop}}|{{.HostConfig.AutoRemove}}|{{.HostConfig.NetworkMode}}|{{.State.Running}}';
    const read = (id: string): string => engine.docker(['inspect', '--format', fields, id]).trim().replace(/"Hostname":"[0-9a-f]+"/, '"Hostname":"-"');
    assert.equal(read(viaApi), read(viaCli));
    assert.match(read(viaApi), /\|true$/);
    const commits = [viaApi, viaCli].map(async (id) => value(await driver.commit(id, { changes: ['ENV A=b'] })));
    const [a, b] = await Promise.all(commits);
    images.push(a ?? '', b ?? '');
    const config = (ref: string): string => engine.docker(['image', 'inspect', '--format', '{{json .Config}}', ref]).trim().replace(/"Hostname":"[0-9a-f]+"/, '"Hostname":"-"');
    assert.equal(config(a ?? ''), config(b ?? ''));
  });

  it('returns a failing command as an error value carrying the CLI stderr', async () => {
    const r = await driver.startContainer({ image: 'kiln-test/no-such-image:0', runCommand: ['-d', '--pull=never', '{{.Image}}'] });
    assert.equal(r.kind, 'error');
    if (r.kind !== 'error') return;
    assert.notEqual(r.exitCode, 0);
    assert.match(r.stderr, /No such image|not found/i);
    assert.match(r.message, /^Error starting the container: docker exited with status \d+: /);
    const inspect = await driver.imageSha256('kiln-test/no-such-image:0');
    assert.equal(inspect.kind, 'error');
  });

  it('commits with changes, author and message; docker run sees the ENV', async () => {
    const id = await startShell();
    engine.docker(['exec', id, '/bin/sh', '-c', 'echo baked > /baked.txt']);
    const imageId = value(
      await driver.commit(id, { changes: ['ENV KILN_GREETING=hello-from-commit', 'LABEL stage=test'], author: 'kiln <k@example.test>', message: 'kiln test commit' }),
    );
    images.push(imageId);
    assert.match(imageId, /^sha256:[0-9a-f]{64}$/);
    assert.equal(value(await driver.imageSha256(imageId)), imageId);
    // The commit keeps run_command's `--entrypoint=/bin/sh`, as in Packer: arguments go to the shell.
    const out = engine.docker(['run', '--rm', imageId, '-c', 'echo "$KILN_GREETING"; cat /baked.txt']);
    assert.equal(out, 'hello-from-commit\nbaked\n');
    assert.equal(engine.docker(['inspect', '--format', '{{.Author}}|{{.Comment}}|{{.Config.Labels.stage}}', imageId]).trim(), 'kiln <k@example.test>|kiln test commit|test');
  });

  it('exports a container to a tar that docker import accepts, with changes', async () => {
    const id = await startShell();
    engine.docker(['exec', id, '/bin/sh', '-c', 'echo exported > /marker.txt']);
    const tarPath = path.join(tmp, 'export.tar');
    const sink = createWriteStream(tarPath);
    value(await driver.exportContainer(id, sink));
    sink.end();
    await finished(sink);
    assert.ok((await stat(tarPath)).size > 100_000, 'the export holds the busybox binary');
    const imported = value(await driver.importImage(tarPath, { repository: 'kiln-test/imported:1', changes: ['ENV FROM_IMPORT=yes'] }));
    images.push('kiln-test/imported:1');
    assert.match(imported, /^sha256:/);
    const out = engine.docker(['run', '--rm', 'kiln-test/imported:1', '/bin/sh', '-c', 'cat /marker.txt; echo $FROM_IMPORT']);
    assert.equal(out, 'exported\nyes\n');
  });

  it('saves an image to a tar that docker load accepts', async () => {
    const tarPath = path.join(tmp, 'save.tar');
    const sink = createWriteStream(tarPath);
    value(await driver.saveImage(image, sink));
    sink.end();
    await finished(sink);
    const listing = spawnSync('tar', ['-tf', tarPath], { encoding: 'utf8' }).stdout.split('\n');
    assert.ok(listing.includes('manifest.json'), listing.join(' '));
    assert.match(engine.docker(['load', '-i', tarPath]), new RegExp(`Loaded image: ${image}`));
  });

  describe('registries', () => {
    let open: Registry;
    let guarded: Registry;
    const creds = { username: 'kiln', password: 'pa$$ word' };
    before(async () => {
      [open, guarded] = await Promise.all([startRegistry(), startRegistry({ auth: creds })]);
    });
    after(async () => {
      await Promise.all([open.stop(), guarded.stop()]);
    });

    it('tags and pushes to an open registry, then pulls it back', async () => {
      const ref = `${open.address}/kiln-test/busybox:pushed`;
      value(await driver.tagImage(image, ref));
      images.push(ref);
      const lines: string[] = [];
      const loud = new DockerDriver({ host: engine.host, output: (l) => lines.push(l) });
      value(await loud.push(ref));
      assert.ok(lines.some((l) => /digest: sha256:[0-9a-f]{64}/.test(l)), lines.join('\n'));
      const digest = value(await driver.imageDigest(ref));
      assert.match(digest, new RegExp(`^${open.address}/kiln-test/busybox@sha256:`));
      value(await driver.deleteImage(ref));
      assert.equal((await driver.imageSha256(ref)).kind, 'error');
      value(await driver.pull(ref));
      assert.equal(value(await driver.imageSha256(ref)), value(await driver.imageSha256(image)));
    });

    it('pushes to a registry with htpasswd auth only after login, then logs out', async () => {
      const ref = `${guarded.address}/kiln-test/busybox:auth`;
      value(await driver.tagImage(image, ref));
      images.push(ref);
      const denied = await driver.push(ref);
      assert.equal(denied.kind, 'error');
      if (denied.kind === 'error') assert.match(denied.stderr, /no basic auth credentials|unauthorized/i);

      const bad = await driver.login({ server: guarded.address, username: creds.username, password: 'wrong' });
      assert.equal(bad.kind, 'error');
      value(await driver.login({ server: guarded.address, ...creds }));
      value(await driver.push(ref));
      value(await driver.deleteImage(ref));
      value(await driver.pull(ref));
      value(await driver.logout(guarded.address));
      value(await driver.deleteImage(ref));
      const afterLogout = await driver.pull(ref);
      assert.equal(afterLogout.kind, 'error');
    });
  });

  it('leaves no container behind once the test containers are removed', async () => {
    for (const id of containers.splice(0)) value(await driver.removeContainer(id, true));
    const left = engine.docker(['ps', '-a', '-q', '--no-trunc']).split('\n');
    assert.deepEqual(everyContainer.filter((id) => left.includes(id)), []);
    if (engine.started) assert.deepEqual(left.filter((l) => l !== ''), []);
  });
});
