/**
 * Packer 1.6.6 components as plugins of `kiln build` / `kiln validate` (issue 21,
 * acceptance 5, 6 and 7): each 1.6.6 built-in behind a two-line wrapper named like a
 * Packer ≤1.6 single-component plugin (`packer-post-processor-checksum`) in the plugin
 * folder, next to kiln's native components in the same build.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const work = mkdtempSync(path.join(tmpdir(), 'kiln-plugins16-'));
const pluginDir = path.join(work, 'plugins');
after(() => rmSync(work, { recursive: true, force: true }));

/** `packer-<kind>-<name>` wrappers serving Packer 1.6.6's built-in. */
function wrap(kind: string, name: string): void {
  mkdirSync(pluginDir, { recursive: true });
  const file = path.join(pluginDir, `packer-${kind}-${name}`);
  writeFileSync(file, `#!/bin/sh\nexec packer plugin packer-${kind}-${name}\n`);
  chmodSync(file, 0o755);
}
wrap('post-processor', 'checksum');
wrap('post-processor', 'compress');
wrap('provisioner', 'shell-local');

function kiln(args: string[], dir: string, env: Record<string, string> = {}) {
  return spawnSync(bin, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PACKER_NO_COLOR: '1', PACKER_PLUGIN_PATH: pluginDir, PACKER_LOG: '', TMPDIR: work, ...env },
  });
}

function project(name: string, text: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'build.pkr.hcl'), text);
  return dir;
}

/** Packer 1.6.6 plugin processes still running that this test started (their PACKER_PLUGIN_PATH is its folder). */
function pluginProcesses(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((f) => /^\d+$/.test(f))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (!cmd.includes('plugin packer-')) continue;
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`PACKER_PLUGIN_PATH=${pluginDir}`)) found.push(`${pid} ${cmd}`);
    } catch {
      // The process ended meanwhile.
    }
  }
  return found;
}

describe('Packer 1.6.6 plugins in kiln builds', () => {
  it('acceptance 5: 1.6.6 checksum and compress post-processors after a kiln file build', () => {
    const dir = project(
      'pp',
      `source "file" "data" {
  content = "kiln builds this file\\n"
  target  = "out/data.txt"
}
build {
  sources = ["source.file.data"]
  post-processor "checksum" {
    checksum_types = ["sha256", "md5"]
    output         = "out/{{.BuildName}}.{{.ChecksumType}}"
  }
  post-processor "compress" {
    output = "out/data.tar.gz"
  }
}
`,
    );
    const r = kiln(['build', '.'], dir, { KILN_PREFER_PLUGINS: 'checksum,compress', PACKER_LOG: '1' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const data = readFileSync(path.join(dir, 'out', 'data.txt'));
    const sha = createHash('sha256').update(data).digest('hex');
    const md5 = createHash('md5').update(data).digest('hex');
    assert.match(readFileSync(path.join(dir, 'out', 'data.sha256'), 'utf8'), new RegExp(`^${sha}\\s+.*data\\.txt`));
    assert.match(readFileSync(path.join(dir, 'out', 'data.md5'), 'utf8'), new RegExp(`^${md5}\\s+.*data\\.txt`));
    const listed = spawnSync('tar', ['-tzf', path.join(dir, 'out', 'data.tar.gz')], { encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, /data\.txt/);
    const extracted = spawnSync('tar', ['-xzOf', path.join(dir, 'out', 'data.tar.gz')], { encoding: 'buffer' });
    assert.deepEqual(extracted.stdout, data);
    // The plugin said so in the log, and its stderr went to PACKER_LOG.
    assert.match(r.stderr, /post-processor "checksum": using the plugin/);
    assert.match(r.stderr, /checksum plugin: /);
    assert.deepEqual(pluginProcesses(), []);
  });

  it('acceptance 6: an unknown attribute is a kiln diagnostic; a Prepare error is shown; validate exits 1', () => {
    const dir = project(
      'bad',
      `source "file" "data" {
  content = "x"
  target  = "out/x.txt"
}
build {
  sources = ["source.file.data"]
  provisioner "shell-local" {
    inline       = ["echo hi"]
    not_an_option = true
  }
  post-processor "checksum" {
    checksum_types = ["sha3-weird"]
  }
}
`,
    );
    const r = kiln(['validate', '.'], dir, { KILN_PREFER_PLUGINS: 'all' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const text = r.stdout + r.stderr;
    assert.match(text, /Unsupported argument/);
    assert.match(text, /build\.pkr\.hcl line 9/);
    assert.match(text, /not_an_option = true/);
    assert.match(text, /Unrecognized checksum type: sha3-weird/);
    assert.deepEqual(pluginProcesses(), []);
  });

  it('acceptance 7: a plugin killed mid-build is named in the error, exit 1, the rest cleaned up', () => {
    const dir = project(
      'killed',
      `source "file" "data" {
  content = "x"
  target  = "out/x.txt"
}
build {
  sources = ["source.file.data"]
  provisioner "shell-local" {
    # Kills the plugin process this script runs under (its nearest "packer" ancestor).
    inline = ["echo before-kill", "p=$$; while [ \\"$(cat /proc/$p/comm)\\" != packer ]; do p=$(cut -d' ' -f4 /proc/$p/stat); done; kill -9 $p", "sleep 30"]
  }
}
`,
    );
    const r = kiln(['build', '.'], dir, { KILN_PREFER_PLUGINS: 'shell-local' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /before-kill/);
    assert.match(r.stdout + r.stderr, /shell-local plugin stopped during Provisioner\.Provision/);
    assert.deepEqual(pluginProcesses(), []);
    const sockets = readdirSync(work, { recursive: true, encoding: 'utf8' }).filter((f) => path.basename(f).startsWith('packer-plugin'));
    assert.deepEqual(sockets, [], 'no plugin sockets left');
  });

  it('required_plugins: a missing plugin stops with "Missing plugins"; one whose used components are all native runs natively', () => {
    const req = (name: string) => `packer {\n  required_plugins {\n    ${name} = {\n      source  = "github.com/hashicorp/${name}"\n      version = ">= 1.0.0"\n    }\n  }\n}\n`;
    const missing = project('req-missing', `${req('amazon')}source "amazon-ebs" "x" {\n  region = "us-east-1"\n}\nbuild {\n  sources = ["source.amazon-ebs.x"]\n}\n`);
    const r = kiln(['validate', '.'], missing, { PACKER_PLUGIN_PATH: path.join(work, 'empty') });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /Error: Missing plugins\n\nThe following plugins are required, but not installed:\n\ngithub\.com\/hashicorp\/amazon >= 1\.0\.0\n\nDid you run kiln init/);
    const native = project('req-native', `${req('docker')}source "docker" "x" {\n  image  = "busybox"\n  commit = true\n}\nbuild {\n  sources = ["source.docker.x"]\n}\n`);
    const n = kiln(['validate', '.'], native, { PACKER_PLUGIN_PATH: path.join(work, 'empty') });
    assert.equal(n.status, 0, n.stdout + n.stderr);
    assert.match(n.stdout, /github\.com\/hashicorp\/docker is not installed; kiln runs its components natively\.\n/);
  });
});
