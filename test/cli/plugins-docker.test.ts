/**
 * Plugins and native components in one docker build (issue 21, acceptance 3 and 4):
 * kiln's own `shell` and `file` provisioners over a plugin docker builder's
 * communicator (Packer 1.6.6's builder, and the current SDK build of the docker
 * plugin), and Packer 1.6.6's `shell` and `file` provisioners over kiln's native docker
 * builder's communicator. The committed image shows each provisioner's effect.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBusyboxImage, startDockerEngine, type DockerEngine } from '../support/docker.js';
import { installGoPlugins } from '../support/go-plugins.js';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const work = mkdtempSync(path.join(tmpdir(), 'kiln-plugins-docker-'));
const plugins16 = path.join(work, 'plugins16');
let engine: DockerEngine;
let image: string;
const images: string[] = [];
before(async () => {
  engine = await startDockerEngine();
  image = await ensureBusyboxImage(engine);
  mkdirSync(plugins16);
  for (const [kind, name] of [
    ['builder', 'docker'],
    ['provisioner', 'shell'],
    ['provisioner', 'file'],
  ]) {
    const file = path.join(plugins16, `packer-${kind}-${name}`);
    writeFileSync(file, `#!/bin/sh\nexec packer plugin packer-${kind}-${name}\n`);
    chmodSync(file, 0o755);
  }
});
after(async () => {
  for (const id of images) spawnSync('docker', ['rmi', '-f', id], { env: engine.env, stdio: 'ignore' });
  await engine?.stop();
  rmSync(work, { recursive: true, force: true });
});

const TEMPLATE = (img: string) => `source "docker" "d" {
  image  = "${img}"
  pull   = false
  commit = true
}
build {
  sources = ["source.docker.d"]
  provisioner "file" {
    source      = "payload.txt"
    destination = "/tmp/from-file.txt"
  }
  provisioner "shell" {
    inline = ["echo shell ran > /tmp/from-shell.txt"]
  }
  post-processor "manifest" {
    output = "manifest.json"
  }
}
`;

/** Builds TEMPLATE in a fresh folder and returns what the committed image holds. */
function buildAndRead(name: string, env: Record<string, string>): string {
  const dir = path.join(work, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'build.pkr.hcl'), TEMPLATE(image));
  writeFileSync(path.join(dir, 'payload.txt'), 'uploaded by the file provisioner\n');
  const r = spawnSync(bin, ['build', '.'], { cwd: dir, encoding: 'utf8', env: { ...engine.env, PACKER_NO_COLOR: '1', PACKER_LOG: '', ...env } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { builds: { artifact_id: string }[] };
  const id = manifest.builds[0]?.artifact_id ?? '';
  assert.match(id, /^sha256:[0-9a-f]{64}$/);
  images.push(id);
  return engine.docker(['run', '--rm', '--entrypoint', 'cat', id, '/tmp/from-file.txt', '/tmp/from-shell.txt']);
}

const EXPECTED = 'uploaded by the file provisioner\nshell ran\n';

describe('docker builds mixing plugins and native components', () => {
  it('acceptance 4: kiln shell and file on the Packer 1.6.6 docker builder', () => {
    assert.equal(buildAndRead('native-on-16', { PACKER_PLUGIN_PATH: plugins16, KILN_PREFER_PLUGINS: 'docker' }), EXPECTED);
  });

  it('acceptance 4 and 8: kiln shell and file on the SDK docker plugin', () => {
    const dir = path.join(work, 'plugins-sdk');
    installGoPlugins(dir, ['docker']);
    assert.equal(buildAndRead('native-on-sdk', { PACKER_PLUGIN_PATH: dir, KILN_PREFER_PLUGINS: 'docker' }), EXPECTED);
  });

  it('acceptance 3: Packer 1.6.6 shell and file provisioners on kiln\'s docker builder', () => {
    assert.equal(buildAndRead('16-on-native', { PACKER_PLUGIN_PATH: plugins16, KILN_PREFER_PLUGINS: 'shell,file' }), EXPECTED);
  });
});
