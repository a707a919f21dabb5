/**
 * The qemu builder end to end: `bin/kiln build` (the compiled dist/; run `npm run
 * build` first) on real templates over kiln's base image (test/support/qemu-base.ts),
 * under TCG. Checks the outputs offline (qemu-img, debugfs) and over the guest's SSH.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { debugBuild, pausedAfter } from '../support/debug-build.js';
import { ensureBaseImage } from '../support/qemu-base.js';
import { qemuImgInfo, readGuestFile as readGuestFileIn, writeDeriveTemplate } from '../support/qemu-disk.js';
import type { BaseImage } from '../support/qemu-base.js';
import { REPO_ROOT } from '../support/shared.js';
import { finishedSteps, validEventFile } from '../support/events-schema.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const BUILD_TIMEOUT_MS = 6 * 60_000;

let base: BaseImage;
let work: string;

interface Run {
  readonly code: number | null;
  readonly out: string;
}

/** Runs `kiln build <args>` in `work`; `onOutput` sees the output as it grows and may return a signal to send. */
function kiln(args: readonly string[], opts: { env?: NodeJS.ProcessEnv; onOutput?: (out: string) => NodeJS.Signals | undefined } = {}): Promise<Run & { pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['build', ...args], { cwd: work, env: { ...process.env, PACKER_NO_COLOR: '1', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let signalled = false;
    const onData = (c: Buffer) => {
      out += c.toString('utf8');
      const sig = signalled ? undefined : opts.onOutput?.(out);
      if (sig) {
        signalled = true;
        child.kill(sig);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, pid: child.pid ?? -1 });
    });
  });
}

/** A template deriving from the base image; `extra` lines go into the source block, `provision` into the build. */
const template = (name: string, extra: string, provision: string): string => writeDeriveTemplate(work, base.qcow2, name, extra, provision);

const readGuestFile = (disk: string, guestPath: string): string => readGuestFileIn(disk, guestPath, work);

before(async () => {
  base = await ensureBaseImage();
  work = mkdtempSync(path.join(os.tmpdir(), 'kiln-e2e-qemu-'));
});

after(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('qemu builder (bin/kiln build, TCG)', () => {
  it('derives an overlay with use_backing_file and a temporary key; boot_command over VNC and http_directory reach the guest', async () => {
    const www = path.join(work, 'www');
    mkdirSync(www);
    writeFileSync(path.join(www, 'hello.txt'), 'served over http_directory\n');
    const file = template(
      'overlay',
      `  use_backing_file  = true
  temporary_key_pair_type = "ed25519"
  http_directory    = "${www}"
  boot_command      = ["<wait5>echo 'Typed: OK!' > /root/vnc.txt<enter>", "<wait10>echo 'Typed: OK!' > /root/vnc.txt<enter>", "<wait10>echo 'Typed: OK!' > /root/vnc.txt<enter>"]`,
      `  provisioner "shell" {
    inline = [
      "wget -q -O /root/from-http.txt http://$PACKER_HTTP_ADDR/hello.txt",
      "i=0; while [ ! -s /root/vnc.txt ] && [ $i -lt 60 ]; do sleep 1; i=$((i+1)); done",
      "echo \\"provisioned by $PACKER_BUILDER_TYPE/$PACKER_BUILD_NAME\\" > /root/provisioned.txt",
      "cat /root/vnc.txt /root/from-http.txt",
      "sync",
    ]
  }`,
    );
    const run = await kiln([file]);
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /Typing the boot command/);
    assert.match(run.out, /Creating temporary ED25519 SSH key/);
    assert.match(run.out, /Typed: OK!/);
    assert.match(run.out, /served over http_directory/);
    const disk = path.join(work, 'out-overlay', 'overlay.qcow2');
    assert.match(run.out, /VM files in directory: .*out-overlay/);
    const info = qemuImgInfo(disk);
    assert.equal(info['backing-filename'], base.qcow2);
    assert.equal(info['format'], 'qcow2');
    assert.equal(readGuestFile(disk, '/root/provisioned.txt'), 'provisioned by qemu/overlay\n');
    assert.equal(readGuestFile(disk, '/root/vnc.txt'), 'Typed: OK!\n');
    assert.equal(readGuestFile(disk, '/root/from-http.txt'), 'served over http_directory\n');
  });

  it('copies and compacts the image without a backing file, with a key file, file and shell provisioners', async () => {
    const keyDir = path.join(work, 'keys');
    mkdirSync(keyDir);
    const key = path.join(keyDir, 'id_ed25519');
    assert.equal(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]).status, 0);
    writeFileSync(path.join(work, 'payload.txt'), 'uploaded by the file provisioner\n');
    const file = template(
      'copy',
      `  disk_compression  = true
  ssh_private_key_file = "${key}"
  qemuargs          = [["-fw_cfg", "name=opt/ssh_authorized_keys,file=${key}.pub"]]`,
      `  provisioner "file" {
    source      = "${path.join(work, 'payload.txt')}"
    destination = "/root/payload.txt"
  }
  provisioner "shell" {
    inline = ["echo provisioned > /root/provisioned.txt", "sync"]
  }`,
    );
    const eventsFile = path.join(work, 'copy-events.jsonl');
    const run = await kiln([`-json=${eventsFile}`, file]);
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /Copying hard drive/);
    assert.match(run.out, /Converting hard drive/);
    const disk = path.join(work, 'out-copy', 'copy.qcow2');
    // The same run's JSON events: valid against the schema, the builder's steps and both provisioners, the disk as the artifact.
    const events = validEventFile(eventsFile);
    const steps = finishedSteps(events);
    assert.ok(steps.every((s) => s.endsWith(':ok')), steps.join(' '));
    assert.deepEqual(steps.filter((s) => s.startsWith('provisioner:')), ['provisioner:file:ok', 'provisioner:shell:ok']);
    assert.ok(steps.filter((s) => s.startsWith('builder:')).length >= 5, steps.join(' '));
    const artifact = events.find((e) => e['type'] === 'artifact')?.['artifact'] as { builderId: string; files: string[] } | undefined;
    assert.ok(artifact?.files.some((f) => f.endsWith('copy.qcow2')), JSON.stringify(artifact));
    const info = qemuImgInfo(disk);
    assert.equal(info['backing-filename'], undefined);
    assert.equal(info['virtual-size'], 256 * 1024 * 1024);
    assert.equal(readGuestFile(disk, '/root/payload.txt'), 'uploaded by the file provisioner\n');
    assert.equal(readGuestFile(disk, '/root/provisioned.txt'), 'provisioned\n');
  });

  it('stops QEMU, removes the output directory and leaves no temp files on SIGINT during provisioning', async () => {
    const tmpBefore = new Set(readdirSync(os.tmpdir()).filter((n) => n.startsWith('kiln-qemu-')));
    const file = template('interrupt', '  use_backing_file = true\n  temporary_key_pair_type = "ed25519"', '  provisioner "shell" {\n    inline = ["echo started-sleeping", "sleep 600"]\n  }');
    const out = path.join(work, 'out-interrupt');
    const run = await kiln([file], { onOutput: (o) => (o.includes('started-sleeping') ? 'SIGINT' : undefined) });
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /started-sleeping/);
    assert.ok(!existsSync(out), `output directory left behind:\n${run.out}`);
    const ps = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).stdout;
    assert.ok(!ps.includes(out), `a process still refers to ${out}:\n${ps}`);
    // Other test files boot the base image at the same time, in kiln-qemu-base-test-* folders.
    const leftovers = readdirSync(os.tmpdir()).filter((n) => n.startsWith('kiln-qemu-') && !n.startsWith('kiln-qemu-base-test-') && !tmpBefore.has(n));
    assert.deepEqual(leftovers, []);
  });

  it('refuses an existing output directory without -force before QEMU starts', async () => {
    const file = template('exists', '  use_backing_file = true', '');
    const out = path.join(work, 'out-exists');
    mkdirSync(out);
    writeFileSync(path.join(out, 'keep.txt'), 'x');
    const run = await kiln([file]);
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /Output directory '.*out-exists' already exists/);
    assert.doesNotMatch(run.out, /Starting VM/);
    assert.ok(existsSync(path.join(out, 'keep.txt')));
  });

  it('rejects a download with a wrong iso_checksum, naming both sums, and caches nothing under the final name', async () => {
    const body = Buffer.alloc(300_000, 7);
    const actual = createHash('sha256').update(body).digest('hex');
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-length': body.length }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const cache = path.join(work, 'cache');
    try {
      const wrong = 'a'.repeat(64);
      const file = path.join(work, 'checksum.pkr.hcl');
      writeFileSync(
        file,
        `source "qemu" "sum" {
  iso_url          = "http://127.0.0.1:${port}/installer.iso"
  iso_checksum     = "sha256:${wrong}"
  communicator     = "none"
  accelerator      = "tcg"
  headless         = true
  output_directory = "${path.join(work, 'out-sum')}"
}
build { sources = ["source.qemu.sum"] }
`,
      );
      const eventsFile = path.join(work, 'sum-events.jsonl');
      const run = await kiln([`-json=${eventsFile}`, file], { env: { PACKER_CACHE_DIR: cache } });
      assert.equal(run.code, 1, run.out);
      assert.match(run.out, new RegExp(`Expected: sha256:${wrong}`));
      // A failing build's events: valid, the download's progress up to its size, a failed builder step and build.
      const events = validEventFile(eventsFile);
      const progress = events.filter((e) => e['type'] === 'progress');
      assert.ok(progress.length > 0);
      assert.deepEqual(progress.at(-1), { ...progress.at(-1), current: body.length, total: body.length, unit: 'bytes' });
      assert.deepEqual(finishedSteps(events).filter((s) => s.endsWith(':failed')).length, 1, finishedSteps(events).join(' '));
      assert.equal(events.find((e) => e['type'] === 'build-finished')?.['status'], 'failed');
      assert.match(run.out, new RegExp(`Got: sha256:${actual}`));
      assert.doesNotMatch(run.out, /Starting VM/);
      assert.deepEqual(existsSync(cache) ? readdirSync(cache) : [], []);
      assert.ok(!existsSync(path.join(work, 'out-sum')));
    } finally {
      server.close();
    }
  });
});

describe('qemu builder: -debug', () => {
  it('pauses after each step, answered through a pipe (communicator none: the VM is halted once provisioned)', async () => {
    const file = path.join(work, 'debug.pkr.hcl');
    writeFileSync(
      file,
      `source "qemu" "dbg" {
  disk_image       = true
  iso_url          = "${base.qcow2}"
  iso_checksum     = "none"
  use_backing_file = true
  skip_resize_disk = true
  accelerator      = "tcg"
  headless         = true
  boot_wait        = "-1s"
  communicator     = "none"
  output_directory = "${path.join(work, 'out-debug')}"
  vm_name          = "dbg.qcow2"
}
build {
  sources = ["source.qemu.dbg"]
  provisioner "shell-local" {
    inline = ["echo provisioned-in-debug"]
  }
}
`,
    );
    const run = await debugBuild([file], { cwd: work, timeoutMs: BUILD_TIMEOUT_MS });
    assert.equal(run.code, 0, run.out);
    assert.deepEqual(pausedAfter(run), [
      'StepDownload', 'StepOutputDir', 'StepCreateFloppy', 'StepCreateCD', 'StepCreateDisk', 'StepCopyDisk', 'StepResizeDisk', 'StepHTTPServer',
      'StepPortForward', 'StepSSHKeyGen', 'StepRun', 'StepTypeBootCommand', 'StepWaitGuestSSH', 'StepConnect', 'StepProvision', 'StepShutdown', 'StepConvertDisk',
    ]);
    for (const p of run.pauses) assert.equal(p.printedWhilePaused, '', `the build went on past the ${p.location} ${p.step} pause:\n${run.out}`);
    const at = (text: string): number => run.out.indexOf(text);
    assert.ok(at("after run of step 'StepConnect'") < at('provisioned-in-debug') && at('provisioned-in-debug') < at("after run of step 'StepProvision'"), run.out);
    assert.ok(at("after run of step 'StepProvision'") < at('Halting the virtual machine'), run.out);
    assert.ok(existsSync(path.join(work, 'out-debug', 'dbg.qcow2')), run.out);
  });
});
