// `kiln build` end to end through bin/kiln (the compiled dist/), with the real
// built-in components: null builder, shell-local provisioner, manifest post-processor.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { interruptOnceStarted } from '../support/interrupt.js';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const work = mkdtempSync(path.join(tmpdir(), 'kiln-build-'));
after(() => rmSync(work, { recursive: true, force: true }));

function kiln(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  return spawnSync(bin, args, { cwd: opts.cwd ?? work, encoding: 'utf8', env: { ...process.env, PACKER_NO_COLOR: '1', ...opts.env } });
}

function template(name: string, text: string): string {
  const dir = path.join(work, name);
  cpSync(path.join(REPO_ROOT, 'examples', 'hello'), dir, { recursive: true });
  writeFileSync(path.join(dir, 'build.pkr.hcl'), text);
  rmSync(path.join(dir, 'hello.pkr.hcl'));
  return dir;
}

describe('kiln build', () => {
  it('builds examples/hello: provisioner output, manifest, artifact summary, exit 0', () => {
    const dir = path.join(work, 'hello');
    cpSync(path.join(REPO_ROOT, 'examples', 'hello'), dir, { recursive: true });
    rmSync(path.join(dir, 'hello-manifest.json'), { force: true }); // left by a quick start run in the checkout
    const r = kiln(['build', '.'], { cwd: dir });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^==> null\.hello: Hello from null\.hello$/m);
    assert.match(r.stdout, /^Build 'null\.hello' finished after .+\.$/m);
    assert.match(r.stdout, /\n==> Builds finished\. The artifacts of successful builds are:\n--> null\.hello: /);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'hello-manifest.json'), 'utf8')) as { builds: { name: string; builder_type: string }[] };
    assert.deepEqual(manifest.builds.map((b) => [b.name, b.builder_type]), [['hello', 'null']]);
  });

  it('fails with exit 1 and names the failing provisioner when a command fails', () => {
    const dir = template('failing', `source "null" "x" { communicator = "none" }
build {
  sources = ["source.null.x"]
  provisioner "shell-local" { inline = ["exit 3"] }
}
`);
    const r = kiln(['build', dir]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /Build 'null\.x' errored after .*: Script exited with non-zero exit status: 3\. Allowed exit codes are: \[0\]/);
    assert.match(r.stdout, /==> Some builds didn't complete successfully and had errors:\n--> null\.x: /);
  });

  it('shows a template error with file, line and the source line, exit 1', () => {
    const dir = template('broken', 'source "null" "x" {\n  communicator = "none"\n  bogus = true\n}\nbuild { sources = ["source.null.x"] }\n');
    const r = kiln(['build', dir]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /Error: Unsupported argument/);
    assert.match(r.stdout, /on .*build\.pkr\.hcl line 3/);
    assert.match(r.stdout, /^ {3}3: {3}bogus = true$/m);
  });

  it('never shows a sensitive variable: human, machine-readable and PACKER_LOG output', () => {
    const dir = template('secret', `variable "token" {
  type      = string
  sensitive = true
  default   = "s3cr3t-v4lue"
}
source "null" "x" { communicator = "none" }
build {
  sources = ["source.null.x"]
  provisioner "shell-local" { inline = ["echo token=\${var.token}", "echo line2 \${var.token} end"] }
}
`);
    const logFile = path.join(work, 'secret.log');
    const human = kiln(['build', dir], { env: { PACKER_LOG: '1', PACKER_LOG_PATH: logFile } });
    const machine = kiln(['build', '-machine-readable', dir]);
    assert.equal(human.status, 0, human.stdout);
    assert.equal(machine.status, 0, machine.stdout);
    assert.match(human.stdout, /token=<sensitive>/);
    assert.match(machine.stdout, /token=<sensitive>/);
    for (const text of [human.stdout, human.stderr, machine.stdout, machine.stderr, readFileSync(logFile, 'utf8')]) {
      assert.ok(!text.includes('s3cr3t-v4lue'), text);
    }
  });

  it('on SIGINT cancels the build, cleans up and exits 1', async () => {
    const marker = path.join(work, 'sigint-started');
    const dir = template('sigint', `source "null" "x" { communicator = "none" }
build {
  sources = ["source.null.x"]
  provisioner "shell-local" { inline = ["touch ${marker}", "sleep 30"] }
  provisioner "shell-local" { inline = ["echo never"] }
}
`);
    const tmp = mkdtempSync(path.join(work, 'tmp-'));
    const child = spawn(bin, ['build', dir], { cwd: work, env: { ...process.env, PACKER_NO_COLOR: '1', TMPDIR: tmp } });
    const { code, out } = await interruptOnceStarted(child, marker);
    assert.equal(code, 1, out);
    assert.match(out, /Cancelling build after receiving interrupt/);
    assert.match(out, /Cleanly cancelled builds after being interrupted\./);
    assert.doesNotMatch(out, /never/);
    assert.deepEqual(readdirSync(tmp), [], 'temporary files left behind');
  });
});
