/**
 * Real SSH servers for tests: OpenSSH `sshd`, `dropbear` and Dante's `danted` (SOCKS5),
 * each started on 127.0.0.1 with its own config and host key in a temp dir, stopped by
 * PID after. Tests run as root; the test user is created once with a password and an
 * ed25519 key. A missing binary throws with the Debian package to install: never a skip.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, appendFileSync, chownSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const TEST_USER = 'kilntest';
export const TEST_PASSWORD = 'kiln-Test-pw-42';

export interface TestUser {
  readonly name: string;
  readonly password: string;
  readonly home: string;
  readonly uid: number;
  readonly gid: number;
  /** OpenSSH-format ed25519 private key listed in the user's authorized_keys. */
  readonly privateKeyPath: string;
  readonly publicKey: string;
}

export interface TestServer {
  readonly kind: 'openssh' | 'dropbear' | 'danted';
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly dir: string;
  readonly logPath: string;
  /** Resolves once the port accepts connections (at once unless started with a delay). */
  readonly ready: Promise<void>;
  /** Kills the server and every session process it forked (a crash or a reboot). */
  kill(): void;
  /**
   * Stops (SIGSTOP) the server and its session processes: connections stay open but
   * nothing answers, as with a hung machine. `thaw()` continues them.
   */
  freeze(): void;
  thaw(): void;
  /** Starts it again on the same port with the same config. */
  restart(): Promise<void>;
  /** Kills it and removes its temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Start the server this long after returning (a machine that boots late). */
  readonly delayMs?: number;
  /** Extra lines for the server's config (sshd_config / danted.conf). */
  readonly extraConfig?: readonly string[];
}

function requireBinary(file: string, pkg: string): string {
  if (!existsSync(file)) {
    throw new Error(`${file} not found: install the Debian package "${pkg}" (listed in DEBIAN_PACKAGES in .ci/run)`);
  }
  return file;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves when `port` accepts a TCP connection; rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function run(file: string, args: readonly string[], input?: string): string {
  return execFileSync(file, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * Creates the test user (password login, bash, a home) and its key pair if missing.
 * Idempotent and safe when several test files call it at once.
 */
export function ensureTestUser(): TestUser {
  if (process.getuid?.() !== 0) throw new Error('SSH server tests must run as root (they create a test user)');
  const hasUser = () => {
    try {
      run('id', ['-u', TEST_USER]);
      return true;
    } catch {
      return false;
    }
  };
  if (!hasUser()) {
    try {
      run('useradd', ['-m', '-s', '/bin/bash', TEST_USER]);
    } catch (e) {
      if (!hasUser()) throw e;
    }
  }
  run('chpasswd', [], `${TEST_USER}:${TEST_PASSWORD}\n`);
  const uid = Number(run('id', ['-u', TEST_USER]).trim());
  const gid = Number(run('id', ['-g', TEST_USER]).trim());
  const home = run('getent', ['passwd', TEST_USER]).split(':')[5] ?? `/home/${TEST_USER}`;
  const keyDir = path.join(home, '.kiln-test');
  const privateKeyPath = path.join(keyDir, 'id_ed25519');
  if (!existsSync(`${privateKeyPath}.pub`)) {
    mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    const tmp = mkdtempSync(path.join(keyDir, 'gen-'));
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kiln-test', '-f', path.join(tmp, 'k')]);
    if (!existsSync(`${privateKeyPath}.pub`)) {
      renameSync(path.join(tmp, 'k'), privateKeyPath);
      renameSync(path.join(tmp, 'k.pub'), `${privateKeyPath}.pub`);
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  const publicKey = readFileSync(`${privateKeyPath}.pub`, 'utf8').trim();
  addAuthorizedKey(home, uid, gid, publicKey);
  return { name: TEST_USER, password: TEST_PASSWORD, home, uid, gid, privateKeyPath, publicKey };
}

/** Appends `line` to the user's ~/.ssh/authorized_keys unless it is there already. */
export function addAuthorizedKey(home: string, uid: number, gid: number, line: string): void {
  const sshDir = path.join(home, '.ssh');
  const file = path.join(sshDir, 'authorized_keys');
  mkdirSync(sshDir, { recursive: true, mode: 0o700 });
  chownSync(sshDir, uid, gid);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (!current.split('\n').includes(line)) appendFileSync(file, `${line}\n`, { mode: 0o600 });
  chownSync(file, uid, gid);
}

/** Every live process descended from `root` (found through /proc), `root` included. */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    for (const [pid, ppid] of parent) if (ppid === out[i]) out.push(pid);
  }
  return out;
}

interface Spec {
  readonly kind: TestServer['kind'];
  readonly file: string;
  readonly args: readonly string[];
}

function startServer(spec: Spec, port: number, dir: string, options: ServerOptions): TestServer {
  const logPath = path.join(dir, `${spec.kind}.log`);
  let child: ChildProcess | undefined;
  let stopped = false;
  const launch = async (): Promise<void> => {
    if (stopped) return;
    const out = spawn(spec.file, spec.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = out;
    const log = (d: Buffer | string): void => {
      if (!stopped) appendFileSync(logPath, d);
    };
    out.stdout?.on('data', log);
    out.stderr?.on('data', log);
    const exited = new Promise<never>((_, reject) =>
      out.once('exit', (code) => {
        const log = existsSync(logPath) ? readFileSync(logPath, 'utf8').slice(-2000) : '';
        reject(new Error(`${spec.kind} exited (code ${String(code)}) before listening on ${port}:\n${log}`));
      }),
    );
    out.once('error', (e) => log(`spawn error: ${e.message}\n`));
    await Promise.race([waitForPort(port), exited]);
  };
  const delay = options.delayMs ?? 0;
  const ready =
    delay > 0 ? new Promise<void>((r) => setTimeout(r, delay)).then(launch) : launch();
  ready.catch(() => undefined);
  const signalTree = (signals: readonly NodeJS.Signals[]): void => {
    const pid = child?.pid;
    if (pid === undefined || child?.exitCode !== null) return;
    const tree = descendants(pid);
    for (const signal of signals) {
      for (const p of tree) {
        try {
          process.kill(p, signal);
        } catch {
          // already gone
        }
      }
    }
  };
  // Freeze the whole tree first so no process can send a last word (an exit status)
  // before the connection drops, as when a machine loses power.
  const kill = (): void => signalTree(['SIGSTOP', 'SIGKILL']);
  return {
    kind: spec.kind,
    host: '127.0.0.1',
    port,
    dir,
    logPath,
    ready,
    kill,
    freeze: () => signalTree(['SIGSTOP']),
    thaw: () => signalTree(['SIGCONT']),
    async restart() {
      kill();
      await new Promise((r) => setTimeout(r, 100));
      await launch();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function tempDir(kind: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `kiln-${kind}-`));
}

/**
 * OpenSSH sshd in the foreground (`-D`, logging to `logPath` itself with `-E`, so its
 * log is complete even while the test's process is busy) with password, keyboard-interactive and
 * public-key auth, internal-sftp, TCP forwarding and agent forwarding allowed.
 */
export async function startSshd(options: ServerOptions = {}): Promise<TestServer> {
  const sshd = requireBinary('/usr/sbin/sshd', 'openssh-server');
  requireBinary('/usr/bin/ssh-keygen', 'openssh-client');
  const port = await freePort();
  const dir = tempDir('sshd');
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = path.join(dir, 'ssh_host_ed25519_key');
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    'UsePAM yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication yes',
    'PubkeyAuthentication yes',
    'PermitRootLogin no',
    'AllowTcpForwarding yes',
    'AllowAgentForwarding yes',
    'MaxAuthTries 20',
    'MaxStartups 100',
    'Subsystem sftp internal-sftp',
    ...(options.extraConfig ?? []),
  ];
  const configPath = path.join(dir, 'sshd_config');
  writeFileSync(configPath, `${config.join('\n')}\n`);
  return startServer({ kind: 'openssh', file: sshd, args: ['-D', '-E', path.join(dir, 'openssh.log'), '-f', configPath] }, port, dir, options);
}

/** dropbear in the foreground (`-F -E`) with its own ed25519 host key. */
export async function startDropbear(options: ServerOptions = {}): Promise<TestServer> {
  const dropbear = requireBinary('/usr/sbin/dropbear', 'dropbear-bin');
  const keygen = requireBinary('/usr/bin/dropbearkey', 'dropbear-bin');
  const port = await freePort();
  const dir = tempDir('dropbear');
  const hostKey = path.join(dir, 'dropbear_ed25519_host_key');
  run(keygen, ['-t', 'ed25519', '-f', hostKey]);
  const args = ['-F', '-E', '-p', `127.0.0.1:${port}`, '-r', hostKey, '-P', path.join(dir, 'dropbear.pid')];
  return startServer({ kind: 'dropbear', file: dropbear, args }, port, dir, options);
}

/** Dante's danted as a SOCKS5 proxy on loopback; `auth: 'username'` checks system passwords. */
export async function startDanted(options: ServerOptions & { readonly auth?: 'none' | 'username' } = {}): Promise<TestServer> {
  const danted = requireBinary('/usr/sbin/danted', 'dante-server');
  const port = await freePort();
  const dir = tempDir('danted');
  const method = options.auth ?? 'none';
  const config = [
    `logoutput: ${path.join(dir, 'danted.log')}`,
    `internal: 127.0.0.1 port = ${port}`,
    'external: 127.0.0.1',
    'clientmethod: none',
    `socksmethod: ${method}`,
    'user.privileged: root',
    'user.unprivileged: nobody',
    'client pass {\n  from: 127.0.0.0/8 to: 0.0.0.0/0\n}',
    'socks pass {\n  from: 127.0.0.0/8 to: 0.0.0.0/0\n  command: connect\n  log: connect\n}',
    ...(options.extraConfig ?? []),
  ];
  const configPath = path.join(dir, 'danted.conf');
  writeFileSync(configPath, `${config.join('\n')}\n`);
  const args = ['-f', configPath, '-p', path.join(dir, 'danted.pid'), '-N', '1'];
  return startServer({ kind: 'danted', file: danted, args }, port, dir, options);
}
