/**
 * The qemu-base image end to end: build (or reuse) it, boot it under QEMU/TCG, log
 * in over SSH with a fresh key injected through fw_cfg, upload with scp and sftp,
 * reboot, power off, then read the overlay offline and check its ext4 is clean.
 * Uses Debian's OpenSSH client (openssh-client, in DEBIAN_PACKAGES).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { bootVm, ensureBaseImage, type BaseImage, type RunningVm } from '../support/qemu-base.js';

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: readonly string[], input?: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

async function runOk(cmd: string, args: readonly string[], input?: string): Promise<string> {
  const r = await run(cmd, args, input);
  assert.equal(r.code, 0, `${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

let dir: string;
let image: BaseImage;
let key: string;

/** OpenSSH options for the VM: our key only, no host key checks (the guest makes a new one per boot). */
function sshOptions(vm: RunningVm, portFlag: '-p' | '-P'): string[] {
  return [
    portFlag, String(vm.sshPort), '-i', key,
    '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no',
    '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=5',
  ];
}

function ssh(vm: RunningVm, command: string): Promise<Ran> {
  return run('ssh', [...sshOptions(vm, '-p'), 'root@127.0.0.1', command]);
}

/** Dials until a session works: the guest announced itself up, but slirp may still drop a first SYN. */
async function sshWhenReady(vm: RunningVm, command: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await ssh(vm, command);
    if (r.code === 0) return r.stdout;
    if (Date.now() > deadline) assert.fail(`ssh never succeeded: ${r.stderr}\nserial:\n${vm.serial().slice(-2000)}`);
    await sleep(250);
  }
}

async function exitWithin(vm: RunningVm, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const result = await Promise.race([vm.exited, sleep(ms, undefined, { ref: false }).then(() => undefined)]);
  assert.ok(result !== undefined, `QEMU did not exit within ${ms} ms; serial:\n${vm.serial().slice(-2000)}`);
  return result;
}

/** Start and length in bytes of MBR partition `index` (0-based), read from the raw base disk. */
async function partition(raw: string, index: number): Promise<{ offset: number; size: number }> {
  const file = await open(raw, 'r');
  try {
    const { buffer } = await file.read(Buffer.alloc(512), 0, 512, 0);
    const entry = 446 + 16 * index;
    return { offset: buffer.readUInt32LE(entry + 8) * 512, size: buffer.readUInt32LE(entry + 12) * 512 };
  } finally {
    await file.close();
  }
}

/** QEMU key codes (QMP `send-key` qcodes) for the few characters the tty1 check types. */
function qcodes(text: string): string[] {
  const named: Record<string, string> = { ' ': 'spc', '/': 'slash', '-': 'minus', '.': 'dot', '\n': 'ret' };
  return [...text].map((c) => named[c] ?? c);
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('qemu-base image', { timeout: 900_000 }, () => {
  before(async () => {
    image = await ensureBaseImage();
    dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-qemu-base-test-'));
    key = path.join(dir, 'id_ed25519');
    await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kiln-test', '-f', key]);
  });
  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('is built with its disk, kernel, initramfs, command line and checksums', async () => {
    for (const file of [image.qcow2, image.raw, image.kernel, image.initrd, image.sha256sums]) assert.ok(existsSync(file), file);
    assert.match(image.cmdline, /root=LABEL=base-root/);
    const sums = readFileSync(image.sha256sums, 'utf8');
    for (const name of ['base.qcow2', 'vmlinuz', 'initrd.img', 'cmdline']) assert.match(sums, new RegExp(`  ${name.replace('.', '\\.')}\\n`));
    const info = JSON.parse(await runOk('qemu-img', ['info', '--output=json', image.qcow2])) as Record<string, unknown>;
    assert.equal(info['format'], 'qcow2');
    assert.equal(info['virtual-size'], 256 * 1024 * 1024);
    const root = await partition(image.raw, 1);
    assert.ok(root.offset > 0 && root.size > 100 * 1024 * 1024, JSON.stringify(root));
  });

  it('boots, takes the fw_cfg key, accepts scp and sftp uploads, reboots and powers off cleanly', async (t) => {
    const vm = await bootVm({ disk: image.qcow2, sshPublicKeyFile: `${key}.pub` });
    try {
      t.diagnostic(vm.argv.join(' '));
      await vm.waitUntilUp();
      const who = await sshWhenReady(vm, 'id -u; uname -r; cat /root/.ssh/authorized_keys; readlink /bin/sh; ls /usr/lib/sftp-server');
      const [uid, kernel] = who.split('\n');
      assert.equal(uid, '0');
      assert.match(kernel ?? '', /cloud-amd64$/);
      assert.ok(who.includes(readFileSync(`${key}.pub`, 'utf8').trim()), who);
      assert.match(who, /\ndash\n/);

      const payload = randomBytes(1024 * 1024 + 17);
      const local = path.join(dir, 'payload.bin');
      await writeFile(local, payload);
      // -O: the legacy protocol, which runs the guest's scp (Packer's default method)
      await runOk('scp', ['-O', ...sshOptions(vm, '-P'), local, 'root@127.0.0.1:/tmp/by-scp.bin']);
      await runOk('sftp', ['-b', '-', ...sshOptions(vm, '-P'), 'root@127.0.0.1'], `put ${local} /tmp/by-sftp.bin\n`);
      const sums = await sshWhenReady(vm, 'sha256sum /tmp/by-scp.bin /tmp/by-sftp.bin');
      assert.equal(sums.split('\n').filter((l) => l.startsWith(sha256(payload))).length, 2, sums);

      // reboot: the session may end with an error as the guest goes down
      await ssh(vm, 'echo kiln-marker > /root/marker; reboot');
      await vm.waitForSerial(/^base: up [\s\S]*^base: up /m, 120_000);
      assert.equal((await sshWhenReady(vm, 'cat /root/marker /tmp/by-scp.bin | head -c 11')).trim(), 'kiln-marker');

      await ssh(vm, 'poweroff');
      const exit = await exitWithin(vm, 60_000);
      assert.deepEqual(exit, { code: 0, signal: null });

      // Offline: the root fs in the overlay is clean and holds what we wrote.
      const root = await partition(image.raw, 1);
      const rootImg = path.join(dir, 'root.img');
      const source = JSON.stringify({
        driver: 'raw',
        offset: root.offset,
        size: root.size,
        file: { driver: 'qcow2', file: { driver: 'file', filename: vm.overlay } },
      });
      await runOk('qemu-img', ['convert', '-O', 'raw', `json:${source}`, rootImg]);
      const fsck = await run('e2fsck', ['-fn', rootImg]);
      assert.equal(fsck.code, 0, fsck.stdout + fsck.stderr);
      assert.match(await runOk('dumpe2fs', ['-h', rootImg]), /Filesystem state:\s+clean/);
      assert.equal((await runOk('debugfs', ['-R', 'cat /root/marker', rootImg])).trim(), 'kiln-marker');
    } finally {
      await vm.stop();
    }
  });

  it('has a shell on tty1 that takes keystrokes, and powers off on the ACPI power button', async () => {
    const vm = await bootVm({ disk: image.qcow2, sshPublicKeyFile: `${key}.pub` });
    try {
      await vm.waitUntilUp();
      // The keyboard path a VNC boot_command takes: PS/2 keys to the active VT, tty1.
      for (const qcode of qcodes('touch /tmp/typed-on-tty1\n')) {
        await vm.qmp('send-key', { keys: [{ type: 'qcode', data: qcode }] });
      }
      const deadline = Date.now() + 30_000;
      while ((await ssh(vm, 'test -e /tmp/typed-on-tty1')).code !== 0) {
        assert.ok(Date.now() < deadline, 'the command typed on tty1 did not run');
        await sleep(250);
      }
      await vm.qmp('system_powerdown');
      assert.deepEqual(await exitWithin(vm, 60_000), { code: 0, signal: null });
    } finally {
      await vm.stop();
    }
  });
});
