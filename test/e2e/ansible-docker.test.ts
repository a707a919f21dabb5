// `kiln build` end to end with the `ansible` provisioner on a `docker` build: Ansible
// reaches the container through kiln's SSH proxy and the docker communicator (no SSH
// in the container). The image is Debian 12 with Python, made by debootstrap once per
// machine (test/support/debian-image.ts). The playbook installs a local .deb with
// `apt` besides copy, template, lineinfile, command, a handler and a role; its effects
// land in a host folder mounted into the container. A failing task fails the build,
// and with -on-error=abort leaves the container for inspection (the test removes it).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureDebianImage } from '../support/debian-image.js';
import { assertContainerGone, containerIdIn, startDockerEngine, type DockerEngine } from '../support/docker.js';
import { REPO_ROOT } from '../support/shared.js';
import { writeAnsibleFixtures, type AnsibleFixtures } from './ansible-fixtures.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const work = mkdtempSync(path.join(tmpdir(), 'kiln-e2e-ansible-docker-'));
let engine: DockerEngine;
let image: string;
let fx: AnsibleFixtures;
let deb: string;
const leftovers: string[] = [];

/** A one-file package `kiln-hello` (installs /usr/share/kiln-hello/hello.txt), made with dpkg-deb. */
function makeDeb(dir: string): string {
  const root = path.join(dir, 'kiln-hello');
  mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(path.join(root, 'usr', 'share', 'kiln-hello'), { recursive: true });
  writeFileSync(path.join(root, 'DEBIAN', 'control'), 'Package: kiln-hello\nVersion: 1.0\nArchitecture: all\nMaintainer: kiln <kiln@example.test>\nDescription: kiln test package\n');
  writeFileSync(path.join(root, 'usr', 'share', 'kiln-hello', 'hello.txt'), 'hello from a .deb\n');
  const out = path.join(dir, 'kiln-hello_1.0_all.deb');
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, out], { stdio: 'ignore' });
  return out;
}

before(() =>
  (async () => {
    engine = await startDockerEngine();
    image = ensureDebianImage(engine);
    fx = writeAnsibleFixtures(path.join(work, 'fixtures'), { apt: true });
    deb = makeDeb(work);
  })(),
);

after(async () => {
  for (const id of leftovers) spawnSync('docker', ['rm', '-f', id], { env: engine.env, stdio: 'ignore' });
  await engine?.stop();
  rmSync(work, { recursive: true, force: true });
});

function kiln(dir: string, args: readonly string[] = []): { status: number | null; out: string } {
  const r = spawnSync(bin, ['build', '-color=false', ...args, '.'], { cwd: dir, encoding: 'utf8', env: { ...engine.env, PACKER_NO_COLOR: '1' }, timeout: 600_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

function template(name: string, hostDir: string, provisioners: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'build.pkr.hcl'),
    `source "docker" "deb" {\n  image   = "${image}"\n  pull    = false\n  discard = true\n  volumes = { "${hostDir}" = "/srv/kiln" }\n}\n\nbuild {\n  sources = ["source.docker.deb"]\n${provisioners}}\n`,
  );
  return dir;
}

describe('ansible provisioner on a docker build', () => {
  it('runs the playbook through the proxy over the docker communicator, apt included', () => {
    const host = path.join(work, 'out');
    mkdirSync(host);
    const dir = template(
      'docker-ok',
      host,
      `  provisioner "ansible" {
    playbook_file    = "${fx.playbook}"
    extra_arguments  = ["-e", "remote_dir=/srv/kiln", "-e", "greeting_from=kiln", "-e", "deb_file=${deb}"]
    ansible_env_vars = ["ANSIBLE_ROLES_PATH=${fx.roles}"]
  }
  provisioner "shell" {
    inline = ["dpkg-query -W -f='$\${Status}' kiln-hello > /srv/kiln/dpkg-status", "cat /usr/share/kiln-hello/hello.txt > /srv/kiln/deb-file"]
  }
`,
    );
    const r = kiln(dir);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /Setting up proxy adapter for Ansible/);
    assert.match(r.out, /TASK \[package from a local \.deb\]/);
    assert.match(r.out, /RUNNING HANDLER \[mark handler\]/);
    assert.match(r.out, /default\s+: ok=10\s+changed=8\s+unreachable=0\s+failed=0/);
    assert.equal(readFileSync(path.join(host, 'copied.txt'), 'utf8'), 'copied\n');
    assert.equal(readFileSync(path.join(host, 'greeting.txt'), 'utf8'), 'hello default from kiln\n');
    assert.equal(readFileSync(path.join(host, 'config.ini'), 'utf8'), 'enabled=true\n');
    assert.ok(existsSync(path.join(host, 'command-ran')));
    assert.ok(existsSync(path.join(host, 'handler-ran')));
    assert.equal(readFileSync(path.join(host, 'role.txt'), 'utf8'), 'role ran\n');
    assert.equal(readFileSync(path.join(host, 'dpkg-status'), 'utf8'), 'install ok installed');
    assert.equal(readFileSync(path.join(host, 'deb-file'), 'utf8'), 'hello from a .deb\n');
  });

  it('a failing task fails the build; with -on-error=abort the container is left for inspection', async () => {
    const host = path.join(work, 'out-fail');
    mkdirSync(host);
    const dir = template('docker-fail', host, `  provisioner "ansible" {\n    playbook_file = "${fx.failing}"\n  }\n`);
    const failed = kiln(dir);
    assert.equal(failed.status, 1, failed.out);
    assert.match(failed.out, /FAILED-ON-PURPOSE/);
    assert.match(failed.out, /Error executing Ansible: Non-zero exit status: exit status 2/);
    await assertContainerGone(engine, containerIdIn(failed.out));

    const aborted = kiln(dir, ['-on-error=abort']);
    assert.equal(aborted.status, 1, aborted.out);
    assert.match(aborted.out, /FAILED-ON-PURPOSE/);
    const id = containerIdIn(aborted.out);
    leftovers.push(id);
    assert.equal(engine.docker(['inspect', '-f', '{{.State.Running}}', id]).trim(), 'true', 'the container is left running');
    engine.docker(['rm', '-f', id]);
  });
});
