// The test engine and registry helpers themselves, against the real dockerd and docker-registry.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { BUSYBOX_IMAGE, ensureBusyboxImage, startDockerEngine, type DockerEngine } from './docker.js';
import { startRegistry } from './registry.js';

let engine: DockerEngine;

before(async () => {
  engine = await startDockerEngine();
});

after(async () => {
  await engine.stop();
});

describe('startDockerEngine', () => {
  it('gives one shared engine per process, reachable through its DOCKER_HOST', async () => {
    assert.equal(await startDockerEngine(), engine);
    assert.equal(engine.env['DOCKER_HOST'], engine.host);
    assert.match(engine.docker(['info', '--format', '{{.ServerVersion}}']), /^\d+\.\d+/);
  });

  it('starts its own daemon without a docker0 bridge (--bridge=none)', () => {
    if (!engine.started) return; // an engine that was already running is used as it is
    assert.equal(existsSync('/sys/class/net/docker0'), false);
    assert.equal(engine.docker(['info', '--format', '{{.DockerRootDir}}']).trim().includes('kiln-dockerd-'), true);
  });

  it('imports the busybox base image once, with the applets the communicator needs', async () => {
    assert.equal(await ensureBusyboxImage(engine), BUSYBOX_IMAGE);
    const id = engine.docker(['image', 'inspect', '--format', '{{.Id}}', BUSYBOX_IMAGE]).trim();
    assert.equal(await ensureBusyboxImage(engine), BUSYBOX_IMAGE);
    assert.equal(engine.docker(['image', 'inspect', '--format', '{{.Id}}', BUSYBOX_IMAGE]).trim(), id);
    const out = engine.docker(['run', '--rm', BUSYBOX_IMAGE, 'sh', '-c', 'for a in sh tar cat mkdir env chown; do test -x /bin/$a && echo $a; done; id -un builder']);
    assert.equal(out, 'sh\ntar\ncat\nmkdir\nenv\nchown\nbuilder\n');
  });

  it('reports a failing docker command with its stderr', () => {
    assert.throws(() => engine.docker(['image', 'inspect', 'kiln-test/none:0']), /exited 1: .*No such image/i);
  });
});

describe('startRegistry', () => {
  it('serves /v2/ openly, or behind basic auth, and stops by PID', async () => {
    const open = await startRegistry();
    const guarded = await startRegistry({ auth: { username: 'u', password: 'p' } });
    try {
      assert.match(open.address, /^127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(`http://${open.address}/v2/`)).status, 200);
      assert.equal((await fetch(`http://${guarded.address}/v2/`)).status, 401);
      const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
      assert.equal((await fetch(`http://${guarded.address}/v2/`, { headers: { authorization: basic } })).status, 200);
    } finally {
      await Promise.all([open.stop(), guarded.stop()]);
    }
    await assert.rejects(fetch(`http://${open.address}/v2/`));
    await open.stop(); // idempotent
  });
});
