/**
 * A real Docker engine for tests. `startDockerEngine()` uses an engine that already
 * answers (on `DOCKER_HOST`, or on the default socket) and leaves it alone; otherwise it
 * starts Debian's `dockerd` (package docker.io) as root with its own data root, exec
 * root, pidfile and socket in a temp folder, and stops it when asked (or, at the
 * latest, when the test process exits). A missing or broken engine fails the test with
 * a message saying what to install; it never skips.
 *
 * Flags that make dockerd work in the build sandbox (verified on dockerd
 * 20.10.24+dfsg1, kernel 6.18, as root, no systemd):
 * - `--bridge=none --iptables=false --ip-masq=false`: the defaults create a host-wide
 *   `docker0` bridge and iptables chains (and set the FORWARD policy to DROP), which
 *   outlive the daemon and collide when two test processes each start one. Tests need
 *   no container networking: pushes and pulls are made by the daemon itself on the
 *   host's network.
 * - `--shutdown-timeout=1`: containers running `/bin/sh` as PID 1 ignore SIGTERM, so a
 *   stop would otherwise wait 10 s per container.
 * - The storage driver is left to dockerd: it picks overlay2 on ext4 here and falls
 *   back to vfs where overlay cannot work. `KILN_DOCKERD_ARGS` (space-separated) adds
 *   flags, e.g. `--storage-driver=vfs`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

/** A Docker engine the tests may use. */
export interface DockerEngine {
  /** The `DOCKER_HOST` value that reaches it (e.g. `unix:///tmp/kiln-dockerd-x/docker.sock`). */
  readonly host: string;
  /** `process.env` with `DOCKER_HOST` set: pass it to every `docker` CLI the test spawns. */
  readonly env: NodeJS.ProcessEnv;
  /** True when this process started the daemon (and will stop it). */
  readonly started: boolean;
  /** Runs the docker CLI against this engine; throws with its stderr when it fails. */
  docker(args: readonly string[], input?: Buffer | string): string;
  /** Stops the daemon if this process started it; otherwise does nothing. Safe to call twice. */
  stop(): Promise<void>;
}

const DEFAULT_SOCKET = '/var/run/docker.sock';
const READY_TIMEOUT_MS = 60_000;

let shared: Promise<DockerEngine> | undefined;

/**
 * The engine for this test process: started once, shared by every caller in the
 * process. Call `stop()` in an `after` hook of the test file.
 */
export function startDockerEngine(): Promise<DockerEngine> {
  shared ??= openEngine().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}

async function openEngine(): Promise<DockerEngine> {
  const fromEnv = process.env['DOCKER_HOST'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!dockerInfoWorks(fromEnv)) {
      throw new Error(`kiln tests: DOCKER_HOST=${fromEnv} is set but no Docker engine answers there (docker info failed).`);
    }
    return existingEngine(fromEnv);
  }
  if (existsSync(DEFAULT_SOCKET) && (await ping(DEFAULT_SOCKET, 2_000))) {
    return existingEngine(`unix://${DEFAULT_SOCKET}`);
  }
  return launchDaemon();
}

function existingEngine(host: string): DockerEngine {
  const env = { ...process.env, DOCKER_HOST: host };
  return { host, env, started: false, docker: (args, input) => dockerSync(env, args, input), stop: async () => {} };
}

function dockerInfoWorks(host: string): boolean {
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    env: { ...process.env, DOCKER_HOST: host },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return r.status === 0;
}

function requireDockerd(): string {
  for (const candidate of ['/usr/sbin/dockerd', '/usr/bin/dockerd', '/usr/local/bin/dockerd']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(
    'kiln tests: no Docker engine is running and dockerd is not installed. ' +
      'Install Debian\'s docker.io (listed in DEBIAN_PACKAGES in .ci/run): apt-get install docker.io',
  );
}

/**
 * Starts a daemon of this process's own, whatever engine is already running: its own
 * data root (an empty image store), exec root, pidfile and socket. For tests that need
 * a second engine; `stop()` it in an `after` hook.
 */
export function launchDockerEngine(): Promise<DockerEngine> {
  return launchDaemon();
}

async function launchDaemon(): Promise<DockerEngine> {
  const dockerd = requireDockerd();
  if (process.getuid?.() !== 0) {
    throw new Error('kiln tests: no Docker engine is running, and starting dockerd needs root.');
  }
  // Short path: the daemon's and containerd's unix sockets live below it (108-byte limit).
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-dockerd-'));
  const socket = path.join(dir, 'docker.sock');
  const logPath = path.join(dir, 'dockerd.log');
  const extra = (process.env['KILN_DOCKERD_ARGS'] ?? '').split(/\s+/).filter((a) => a !== '');
  const args = [
    `--data-root=${path.join(dir, 'data')}`,
    `--exec-root=${path.join(dir, 'exec')}`,
    `--pidfile=${path.join(dir, 'dockerd.pid')}`,
    `--host=unix://${socket}`,
    '--bridge=none',
    '--iptables=false',
    '--ip-masq=false',
    '--shutdown-timeout=1',
    ...extra,
  ];
  // The server writes its log straight to the file: through a pipe to this process it
  // would block on a full pipe whenever the caller sits in spawnSync (bench, CLI tests).
  const logFd = openSync(logPath, 'a');
  const child = spawn(dockerd, args, { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const ready = await waitReady(child, socket);
  if (ready !== 'ready') {
    killOnExit();
    process.removeListener('exit', killOnExit);
    throw new Error(`kiln tests: dockerd ${ready}.\n  ${dockerd} ${args.join(' ')}\n--- ${logPath} (tail) ---\n${tail(logPath)}`);
  }

  const host = `unix://${socket}`;
  const env = { ...process.env, DOCKER_HOST: host };
  let stopped: Promise<void> | undefined;
  return {
    host,
    env,
    started: true,
    docker: (a, input) => dockerSync(env, a, input),
    stop: () => {
      stopped ??= stopDaemon(child, dir, killOnExit);
      return stopped;
    },
  };
}

async function waitReady(child: ChildProcess, socket: string): Promise<'ready' | string> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  while (Date.now() < deadline) {
    if (spawnError) return `could not be spawned: ${spawnError.message}`;
    if (child.exitCode !== null || child.signalCode !== null) {
      return `exited during start-up (${child.exitCode ?? child.signalCode})`;
    }
    if (existsSync(socket) && (await ping(socket, 1_000))) return 'ready';
    await new Promise((r) => setTimeout(r, 100));
  }
  return `did not answer on ${socket} within ${READY_TIMEOUT_MS / 1000} s`;
}

async function stopDaemon(child: ChildProcess, dir: string, killOnExit: () => void): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  process.removeListener('exit', killOnExit);
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** GET /_ping on a unix socket; true when the engine answers OK. */
function ping(socket: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath: socket, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-25).join('\n');
  } catch {
    return '(no log)';
  }
}

function dockerSync(env: NodeJS.ProcessEnv, args: readonly string[], input?: Buffer | string): string {
  const r = spawnSync('docker', args, { env, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  if (r.error) throw new Error(`docker ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Busybox applets linked in the test image: what the communicator and tests run. */
const APPLETS = [
  'sh', 'ls', 'cat', 'echo', 'mkdir', 'env', 'tar', 'chown', 'chmod', 'id', 'rm', 'sleep',
  'test', 'printf', 'true', 'false', 'cp', 'mv', 'touch', 'stat', 'grep', 'tr', 'kill', 'ps', 'wc', 'sha256sum',
];

/** The local base image's reference; no registry is reachable here, so it is imported. */
export const BUSYBOX_IMAGE = 'kiln-test/busybox:1';

/**
 * Makes sure `BUSYBOX_IMAGE` exists on `engine`: a root filesystem with Debian's
 * statically linked busybox (package busybox-static), the applets above, `/tmp`,
 * and `/etc/passwd` with `root` and `builder` (uid 1000), loaded with `docker import`.
 * Returns the image reference.
 */
export async function ensureBusyboxImage(engine: DockerEngine): Promise<string> {
  const present = spawnSync('docker', ['image', 'inspect', BUSYBOX_IMAGE], { env: engine.env, stdio: 'ignore' });
  if (present.status === 0) return BUSYBOX_IMAGE;
  const busybox = '/bin/busybox';
  const pkg = spawnSync('dpkg-query', ['-W', '-f=${Status}', 'busybox-static'], { encoding: 'utf8' });
  if (!existsSync(busybox) || !pkg.stdout.includes('install ok installed')) {
    throw new Error('kiln tests: the busybox base image needs Debian\'s busybox-static (in DEBIAN_PACKAGES in .ci/run).');
  }
  const root = await mkdtemp(path.join(os.tmpdir(), 'kiln-bbroot-'));
  try {
    await mkdir(path.join(root, 'bin'));
    await mkdir(path.join(root, 'etc'));
    await mkdir(path.join(root, 'tmp'));
    await mkdir(path.join(root, 'home', 'builder'), { recursive: true });
    await chmod(path.join(root, 'tmp'), 0o1777);
    await copyFile(busybox, path.join(root, 'bin', 'busybox'));
    await chmod(path.join(root, 'bin', 'busybox'), 0o755);
    for (const applet of APPLETS) await symlink('busybox', path.join(root, 'bin', applet));
    await writeFile(path.join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nbuilder:x:1000:1000::/home/builder:/bin/sh\n');
    await writeFile(path.join(root, 'etc', 'group'), 'root:x:0:\nbuilder:x:1000:\n');
    const tar = spawnSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', root, '-cf', '-', '.'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    if (tar.status !== 0) throw new Error(`kiln tests: tar of the busybox root failed: ${tar.stderr.toString()}`);
    engine.docker(['import', '--change', 'ENV PATH=/bin', '-', BUSYBOX_IMAGE], tar.stdout);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return BUSYBOX_IMAGE;
}

/** The build container's ID, from the docker builder's `Container ID:` line of `out`; fails the test when there is none. */
export function containerIdIn(out: string): string {
  const m = /Container ID: ([0-9a-f]{64})/.exec(out);
  if (!m?.[1]) throw new Error(`no container was started:\n${out}`);
  return m[1];
}

/** Waits (up to 10 s) until `engine` no longer knows container `id` (removal after `--rm` is the engine's); throws if it stays. */
export async function assertContainerGone(engine: DockerEngine, id: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (engine.docker(['ps', '-a', '-q', '--no-trunc', '--filter', `id=${id}`]).trim() === '') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`container ${id} was not removed`);
}
