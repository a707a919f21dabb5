/**
 * kiln's qemu-base VM image for tests (see `scripts/qemu-base/README.md`).
 * `ensureBaseImage()` builds it once per recipe into a cache folder;
 * `bootVm()` boots a throwaway copy-on-write overlay of it under QEMU (TCG: KVM is
 * not usable on the CI machines) with root's SSH key injected through fw_cfg.
 * Missing QEMU, root rights or Debian archive access fail the test with a message
 * saying what to install; nothing skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { qmpCall } from '../../src/plugins/builders/qemu/qmp.js';
import { REPO_ROOT } from './shared.js';
import { freePort } from './sshd.js';

/** The files of one built base image (all absolute paths). */
export interface BaseImage {
  readonly dir: string;
  /** The disk (MBR, syslinux on FAT, ext4 root labelled `base-root`); boots by itself. */
  readonly qcow2: string;
  /** The same disk as a sparse raw file. */
  readonly raw: string;
  /** Kernel, initramfs and command line for direct kernel boot (`-kernel/-initrd/-append`). */
  readonly kernel: string;
  readonly initrd: string;
  readonly cmdline: string;
  readonly sha256sums: string;
}

const RECIPE_DIR = path.join(REPO_ROOT, 'scripts', 'qemu-base');
const BUILD_TIMEOUT_MS = 10 * 60_000;
const LOCK_POLL_MS = 250;

/** sha256 (first 16 hex digits) of every recipe file's path, mode and content, README excluded. */
export function recipeHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const rel = path.relative(RECIPE_DIR, full);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else if (rel !== 'README.md') hash.update(`${rel}\0${st.mode & 0o111 ? 'x' : '-'}\0`).update(readFileSync(full)).update('\0');
    }
  };
  walk(RECIPE_DIR);
  return hash.digest('hex').slice(0, 16);
}

/** `$XDG_CACHE_HOME/kiln/qemu-base` (default `~/.cache/kiln/qemu-base`). */
export function baseImageCacheRoot(): string {
  const xdg = process.env['XDG_CACHE_HOME'];
  const cache = xdg !== undefined && xdg !== '' ? xdg : path.join(os.homedir(), '.cache');
  return path.join(cache, 'kiln', 'qemu-base');
}

let pending: Promise<BaseImage> | undefined;

/**
 * The base image for the current recipe, built on first use into
 * `<cache root>/<recipe hash>/` and reused after. Safe for concurrent callers: test
 * processes serialize on a lock folder, and a build lands by atomic rename, so a
 * crashed build never leaves a half-written image behind.
 */
export function ensureBaseImage(): Promise<BaseImage> {
  pending ??= buildOrReuse().catch((err: unknown) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

function imageIn(dir: string): BaseImage {
  const at = (name: string): string => path.join(dir, name);
  return {
    dir,
    qcow2: at('base.qcow2'),
    raw: at('base.raw'),
    kernel: at('vmlinuz'),
    initrd: at('initrd.img'),
    cmdline: readFileSync(at('cmdline'), 'utf8').trim(),
    sha256sums: at('SHA256SUMS'),
  };
}

/**
 * True when the folder holds a complete build. A build lands by rename only once it
 * succeeded, so presence suffices; hashing 280 MB on every test run would not pay.
 */
function verified(dir: string): boolean {
  return ['SHA256SUMS', 'base.qcow2', 'base.raw', 'vmlinuz', 'initrd.img', 'cmdline'].every((f) => existsSync(path.join(dir, f)));
}

async function buildOrReuse(): Promise<BaseImage> {
  const root = baseImageCacheRoot();
  const dir = path.join(root, recipeHash());
  if (verified(dir)) return imageIn(dir);
  await mkdir(root, { recursive: true });
  const lock = `${dir}.lock`;
  await acquireLock(lock);
  try {
    if (verified(dir)) return imageIn(dir); // another process built it meanwhile
    await rm(dir, { recursive: true, force: true }); // damaged
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await runBuild(tmp, `${dir}.build.log`);
    await rename(tmp, dir);
    return imageIn(dir);
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** A lock folder holding the owner's PID; a lock whose owner is gone is taken over. */
async function acquireLock(lock: string): Promise<void> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(path.join(lock, 'pid'), String(process.pid));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number(await readFile(path.join(lock, 'pid'), 'utf8').catch(() => ''));
    if (owner > 0 && !alive(owner)) await rm(lock, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`kiln tests: timed out waiting for the qemu-base build lock ${lock}`);
    await sleep(LOCK_POLL_MS);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function runBuild(out: string, logPath: string): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error('kiln tests: building the qemu-base image needs root (scripts/qemu-base/build-base.sh).');
  }
  requireTool('qemu-img', 'qemu-utils');
  requireTool('mkfs.ext4', 'e2fsprogs');
  const script = path.join(RECIPE_DIR, 'build-base.sh');
  const child = spawn('bash', [script], { env: { ...process.env, OUT: out }, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => chunks.push(c));
  const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearTimeout(timer));
  const log = Buffer.concat(chunks).toString('utf8');
  await writeFile(logPath, log);
  if (code !== 0) {
    await rm(out, { recursive: true, force: true });
    throw new Error(`kiln tests: ${script} failed (exit ${code}); its output (also in ${logPath}):\n${log.slice(-4000)}`);
  }
}

function requireTool(tool: string, debianPackage: string): void {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`]);
  if (r.status !== 0) {
    throw new Error(`kiln tests: '${tool}' is not installed; apt-get install ${debianPackage} (it is listed in DEBIAN_PACKAGES in .ci/run).`);
  }
}

/** How to boot a VM from a base disk. */
export interface BootVmOptions {
  /** The disk to boot (usually `BaseImage.qcow2`); the VM writes to a fresh qcow2 overlay on top. */
  readonly disk: string;
  /** A public key file given to the guest as fw_cfg `opt/ssh_authorized_keys`; undefined: none. */
  readonly sshPublicKeyFile?: string;
  /** Guest RAM in MiB; default 512. */
  readonly memoryMb?: number;
  /** Serve the VGA console (tty1 has a shell) over VNC on 127.0.0.1; default: no display. */
  readonly vnc?: boolean;
  /** More QEMU arguments, appended last. */
  readonly extraArgs?: readonly string[];
}

/** A QEMU process started by `bootVm()`. */
export interface RunningVm {
  /** Host port forwarded to the guest's port 22, on 127.0.0.1. */
  readonly sshPort: number;
  /** Host port of the VNC server on 127.0.0.1; undefined unless `vnc` was asked for. */
  readonly vncPort: number | undefined;
  /** The VM's temp folder (overlay, serial log, QMP socket); removed by `stop()`. */
  readonly dir: string;
  readonly overlay: string;
  readonly serialLog: string;
  readonly qmpSocket: string;
  readonly pid: number;
  /** The full command line QEMU was started with. */
  readonly argv: readonly string[];
  /** Settles when QEMU exits: exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The serial console's output so far (kernel, init, dropbear's log). */
  serial(): string;
  /** Resolves once the serial log matches `pattern`; rejects on timeout or when QEMU exits first. */
  waitForSerial(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Waits for the guest's `base: up` line: dropbear listens and the NIC has its DHCP lease. */
  waitUntilUp(timeoutMs?: number): Promise<void>;
  /** Runs one QMP command (`system_powerdown`, `query-status`, ...) and returns its `return` value. */
  qmp(command: string, args?: Record<string, unknown>): Promise<unknown>;
  /** Ends QEMU if still running (QMP `quit`, then SIGKILL) and removes the temp folder. Safe to call twice. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const QMP_TIMEOUT_MS = 10_000;
const UP_TIMEOUT_MS = 120_000;
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Boots `disk` under `qemu-system-x86_64 -accel tcg` with a fresh overlay, user-mode
 * networking (guest :22 forwarded to a free 127.0.0.1 port), the key in fw_cfg, the
 * serial console in a file and a QMP socket. Resolves once QEMU is running (QMP
 * answers), not when the guest is up: use `waitUntilUp()` before dialling SSH.
 */
export async function bootVm(options: BootVmOptions): Promise<RunningVm> {
  requireTool('qemu-system-x86_64', 'qemu-system-x86');
  requireTool('qemu-img', 'qemu-utils');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-vm-'));
  try {
    const overlay = path.join(dir, 'disk.qcow2');
    // -F: qemu-img 7.2 refuses a backing file without its format; -b must be absolute
    // because a relative one is resolved from the overlay's folder.
    const created = spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', path.resolve(options.disk), '-F', 'qcow2', overlay], { encoding: 'utf8' });
    if (created.status !== 0) throw new Error(`kiln tests: qemu-img create failed: ${created.stderr}`);
    // A port picked free may be taken before QEMU binds it: retry with new ones.
    for (let attempt = 1; ; attempt++) {
      try {
        return await startQemu(dir, overlay, options);
      } catch (err) {
        if (!(err instanceof PortTaken) || attempt >= 5) throw err;
      }
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

class PortTaken extends Error {}

async function startQemu(dir: string, overlay: string, options: BootVmOptions): Promise<RunningVm> {
  const sshPort = await freePort();
  const vncPort = options.vnc === true ? await freePort() : undefined;
  const serialLog = path.join(dir, 'serial.log');
  const qmpSocket = path.join(dir, 'qmp.sock');
  await rm(serialLog, { force: true });
  const argv = [
    '-accel', 'tcg',
    '-m', String(options.memoryMb ?? 512),
    '-drive', `file=${overlay},if=virtio,format=qcow2`,
    '-netdev', `user,id=n0,hostfwd=tcp:127.0.0.1:${sshPort}-:22`,
    '-device', 'virtio-net,netdev=n0',
    '-serial', `file:${serialLog}`,
    '-qmp', `unix:${qmpSocket},server=on,wait=off`,
    ...(vncPort === undefined ? ['-display', 'none'] : ['-vnc', `127.0.0.1:${vncPort - 5900}`]),
    ...(options.sshPublicKeyFile === undefined ? [] : ['-fw_cfg', `name=opt/ssh_authorized_keys,file=${path.resolve(options.sshPublicKeyFile)}`]),
    ...(options.extraArgs ?? []),
  ];
  const child = spawn('qemu-system-x86_64', argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.on('error', (err) => {
      live.delete(child);
      stderr += String(err);
      resolve({ code: null, signal: null });
    });
  });
  let gone = false;
  void exited.then(() => (gone = true));

  const qmp = (command: string, args?: Record<string, unknown>): Promise<unknown> => qmpCall(qmpSocket, command, args);
  const ready = await Promise.race([exited.then(() => false), waitForQmp(qmp, () => gone)]);
  if (!ready) {
    if (/host forwarding rule|Address already in use|Failed to find an available port/i.test(stderr)) throw new PortTaken(stderr);
    throw new Error(`kiln tests: qemu-system-x86_64 exited at start: ${stderr.trim()}\n  argv: ${argv.join(' ')}`);
  }

  const serial = (): string => (existsSync(serialLog) ? readFileSync(serialLog, 'utf8') : '');
  const waitForSerial = async (pattern: RegExp, timeoutMs = UP_TIMEOUT_MS): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(serial())) {
      if (gone) throw new Error(`kiln tests: QEMU exited before the serial log matched ${pattern}; serial log:\n${serial().slice(-3000)}\n${stderr}`);
      if (Date.now() > deadline) throw new Error(`kiln tests: serial log did not match ${pattern} within ${timeoutMs} ms; serial log:\n${serial().slice(-3000)}`);
      await sleep(50);
    }
  };
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (!gone) {
        await qmp('quit').catch(() => undefined);
        const quit = await Promise.race([exited.then(() => true), sleep(5_000, undefined, { ref: false }).then(() => false)]);
        if (!quit) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  return {
    sshPort,
    vncPort,
    dir,
    overlay,
    serialLog,
    qmpSocket,
    pid: child.pid ?? -1,
    argv: ['qemu-system-x86_64', ...argv],
    exited,
    serial,
    waitForSerial,
    waitUntilUp: (timeoutMs) => waitForSerial(/^base: up /m, timeoutMs),
    qmp,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

async function waitForQmp(qmp: (command: string) => Promise<unknown>, gone: () => boolean): Promise<boolean> {
  const deadline = Date.now() + QMP_TIMEOUT_MS;
  while (!gone()) {
    try {
      await qmp('query-status');
      return true;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`kiln tests: QEMU's QMP socket did not answer: ${String(err)}`, { cause: err });
      await sleep(50);
    }
  }
  return false;
}
