import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { dockerCli } from './docker-cli.js';
import { containerCreateRequest, idleShellRunCommand, parseRunCommand } from './create-request.js';
import { engineApi } from './engine-api.js';

describe('parseRunCommand', () => {
  it("reads Packer's default run_command", () => {
    assert.deepEqual(parseRunCommand(undefined, 'img:1'), { detach: true, interactive: true, tty: true, entrypoint: '/bin/sh', image: 'img:1', args: [] });
    assert.deepEqual(parseRunCommand([], 'img:1'), parseRunCommand(undefined, 'img:1'));
  });

  it('reads combined short flags, a separate --entrypoint value and the command after the image', () => {
    assert.deepEqual(parseRunCommand(['-dit', '--entrypoint', '/bin/bash', '{{ .Image }}', '-c', 'sleep 1'], 'x'), {
      detach: true,
      interactive: true,
      tty: true,
      entrypoint: '/bin/bash',
      image: 'x',
      args: ['-c', 'sleep 1'],
    });
    assert.deepEqual(parseRunCommand(['-d', '{{.Image}}'], 'x'), { detach: true, interactive: false, tty: false, entrypoint: undefined, image: 'x', args: [] });
  });

  it('answers undefined for any other flag, an empty entrypoint or no image', () => {
    assert.equal(parseRunCommand(['-d', '--pull=never', '{{.Image}}'], 'x'), undefined);
    assert.equal(parseRunCommand(['-d', '-e', 'A=b', '{{.Image}}'], 'x'), undefined);
    assert.equal(parseRunCommand(['-dx', '{{.Image}}'], 'x'), undefined);
    assert.equal(parseRunCommand(['-d', '--entrypoint=', '{{.Image}}'], 'x'), undefined);
    assert.equal(parseRunCommand(['-d', '-i'], 'x'), undefined);
  });
});

describe('idleShellRunCommand', () => {
  it('is true for a shell entrypoint waiting on open stdin, with no command', () => {
    assert.equal(idleShellRunCommand(undefined), true);
    assert.equal(idleShellRunCommand(['-d', '-i', '-t', '--entrypoint=/bin/bash', '{{.Image}}']), true);
  });

  it('is false when PID 1 is anything else or stdin is closed', () => {
    assert.equal(idleShellRunCommand(['-d', '-i', '-t', '{{.Image}}']), false);
    assert.equal(idleShellRunCommand(['-d', '-t', '--entrypoint=/bin/sh', '{{.Image}}']), false);
    assert.equal(idleShellRunCommand(['-d', '-i', '--entrypoint=/bin/sh', '{{.Image}}', '-c', 'while true; do date >> /log; done']), false);
    assert.equal(idleShellRunCommand(['-d', '-i', '--entrypoint=/usr/sbin/nginx', '{{.Image}}']), false);
    assert.equal(idleShellRunCommand(['-d', '-i', '--privileged', '--entrypoint=/bin/sh', '{{.Image}}']), false);
  });
});

describe('containerCreateRequest', () => {
  it("says the builder's container as docker run's flags do", () => {
    const r = containerCreateRequest({
      image: 'img',
      name: 'kiln-x',
      autoRemove: true,
      capAdd: ['sys_admin', 'CAP_NET_ADMIN'],
      capDrop: ['CHOWN'],
      tmpfs: ['/run:rw,size=64m', '/scratch'],
      runtime: 'runc',
      volumes: { '/b': '/mnt/b', '/a': '/mnt/a' },
    });
    assert.deepEqual(r, {
      name: 'kiln-x',
      body: {
        Image: 'img',
        AttachStdin: false,
        AttachStdout: false,
        AttachStderr: false,
        OpenStdin: true,
        StdinOnce: false,
        Tty: true,
        Entrypoint: ['/bin/sh'],
        HostConfig: {
          Binds: ['/a:/mnt/a', '/b:/mnt/b'],
          NetworkMode: 'default',
          RestartPolicy: { Name: 'no' },
          AutoRemove: true,
          CapAdd: ['CAP_SYS_ADMIN', 'CAP_NET_ADMIN'],
          CapDrop: ['CAP_CHOWN'],
          Privileged: false,
          Tmpfs: { '/run': 'rw,size=64m', '/scratch': '' },
          Runtime: 'runc',
        },
      },
    });
  });

  it('leaves to the CLI what the request cannot say the same way', () => {
    assert.equal(containerCreateRequest({ image: 'i', device: ['/dev/fuse'] }), undefined);
    assert.equal(containerCreateRequest({ image: 'i', platform: 'linux/amd64' }), undefined);
    assert.equal(containerCreateRequest({ image: 'i', volumes: { 'relative/dir': '/x' } }), undefined);
    assert.equal(containerCreateRequest({ image: 'i', runCommand: ['-i', '-t', '{{.Image}}'] }), undefined);
    assert.equal(containerCreateRequest({ image: 'i', runCommand: ['-d', '--network=host', '{{.Image}}'] }), undefined);
  });
});

describe('engineApi', () => {
  it('is used for the default socket or a unix DOCKER_HOST, not for a TCP host or another executable', () => {
    const none = { DOCKER_CONFIG: '/nonexistent/kiln-docker-config', DOCKER_HOST: '' };
    assert.equal(engineApi(dockerCli({ env: none }))?.socketPath, '/var/run/docker.sock');
    assert.equal(engineApi(dockerCli({ env: none, host: 'unix:///tmp/d.sock' }))?.socketPath, '/tmp/d.sock');
    assert.equal(engineApi(dockerCli({ env: none, host: 'tcp://127.0.0.1:2375' })), undefined);
    assert.equal(engineApi(dockerCli({ env: none, host: 'unix:///tmp/d.sock', executable: '/opt/docker' })), undefined);
  });

  it("follows the client's context choice: DOCKER_CONTEXT or config.json's currentContext, unless DOCKER_HOST is set", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-engine-api-test-'));
    try {
      await writeFile(path.join(dir, 'config.json'), JSON.stringify({ currentContext: 'remote' }));
      assert.equal(engineApi(dockerCli({ configDir: dir, env: { DOCKER_HOST: '' } })), undefined);
      assert.equal(engineApi(dockerCli({ configDir: dir, host: 'unix:///tmp/d.sock' }))?.socketPath, '/tmp/d.sock');
      assert.equal(engineApi(dockerCli({ env: { DOCKER_CONFIG: '/nonexistent/x', DOCKER_HOST: '', DOCKER_CONTEXT: 'remote' } })), undefined);
      assert.equal(engineApi(dockerCli({ env: { DOCKER_CONFIG: '/nonexistent/x', DOCKER_HOST: '', DOCKER_CONTEXT: 'default' } }))?.socketPath, '/var/run/docker.sock');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('creates containers through the CLI when config.json has proxies (the CLI adds them to the environment)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-engine-api-test-'));
    try {
      assert.equal(engineApi(dockerCli({ configDir: dir, host: 'unix:///tmp/d.sock' }))?.containersNeedCli, false);
      await writeFile(path.join(dir, 'config.json'), JSON.stringify({ proxies: { default: { httpProxy: 'http://proxy.test:3128' } } }));
      assert.equal(engineApi(dockerCli({ configDir: dir, host: 'unix:///tmp/d.sock' }))?.containersNeedCli, true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
