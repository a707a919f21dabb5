import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { containerRunArgs, DEFAULT_RUN_COMMAND, renderRunArg } from './run-args.js';

describe('containerRunArgs', () => {
  it("uses Packer's default run_command with the image substituted", () => {
    assert.deepEqual(containerRunArgs({ image: 'debian:12' }), ['run', '-d', '-i', '-t', '--entrypoint=/bin/sh', '--', 'debian:12']);
    assert.equal(DEFAULT_RUN_COMMAND.at(-1), '{{.Image}}');
  });

  it("puts the options before run_command, in Packer's order", () => {
    const args = containerRunArgs({
      image: 'img',
      runCommand: ['-d', '{{ .Image }}', 'sleep', 'infinity'],
      device: ['/dev/fuse'],
      capAdd: ['SYS_ADMIN'],
      capDrop: ['NET_RAW'],
      privileged: true,
      runtime: 'runc',
      platform: 'linux/amd64',
      tmpfs: ['/run'],
      volumes: { '/b': '/mnt/b', '/a': '/mnt/a' },
    });
    assert.deepEqual(args, [
      'run',
      '--device', '/dev/fuse',
      '--cap-add', 'SYS_ADMIN',
      '--cap-drop', 'NET_RAW',
      '--privileged',
      '--runtime', 'runc',
      '--platform', 'linux/amd64',
      '--tmpfs', '/run',
      '-v', '/a:/mnt/a',
      '-v', '/b:/mnt/b',
      '-d', 'img', 'sleep', 'infinity',
    ]);
  });

  it('expands ~/ in volume host paths from the home folder', () => {
    const args = containerRunArgs({ image: 'i', volumes: { '~/cache': '/cache' }, runCommand: [] });
    assert.deepEqual(args, ['run', '-v', `${path.join(os.homedir(), 'cache')}:/cache`]);
  });

  it('leaves empty optional strings and false flags out', () => {
    assert.deepEqual(containerRunArgs({ image: 'i', runtime: '', platform: '', privileged: false, runCommand: ['{{.Image}}'] }), ['run', 'i']);
  });
});

describe('renderRunArg', () => {
  it('replaces every {{.Image}} and leaves other text alone', () => {
    assert.equal(renderRunArg('--label=src={{.Image}}/{{ .Image }}', 'x:1'), '--label=src=x:1/x:1');
    assert.equal(renderRunArg('{{.Other}}', 'x'), '{{.Other}}');
  });
});
