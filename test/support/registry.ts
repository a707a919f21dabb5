/**
 * A real Distribution registry for tests: Debian's `docker-registry` (2.8) on
 * 127.0.0.1 with filesystem storage in a temp folder, optionally behind htpasswd basic
 * auth (the file made with `htpasswd -Bbn` from apache2-utils). Docker treats
 * 127.0.0.0/8 as an insecure registry by default, so plain HTTP works with no daemon
 * configuration. A missing binary or a failed start fails the test; it never skips.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './sshd.js';

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

export interface Registry {
  /** `127.0.0.1:<port>`: the prefix of image references pushed here. */
  readonly address: string;
  /** The credentials it demands; undefined for an open registry. */
  readonly auth: RegistryCredentials | undefined;
  /** Stops the server by its PID and removes its storage. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartRegistryOptions {
  /** Require these credentials (htpasswd, bcrypt). */
  readonly auth?: RegistryCredentials;
}

const BINARY = '/usr/bin/docker-registry';
const READY_TIMEOUT_MS = 30_000;

/** Starts a registry on a free loopback port and resolves once `/v2/` answers. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<Registry> {
  if (!existsSync(BINARY)) {
    throw new Error("kiln tests: docker-registry is not installed; apt-get install docker-registry (in DEBIAN_PACKAGES in .ci/run).");
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-registry-'));
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const config = [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'storage')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${address}`,
  ];
  if (options.auth) {
    await writeFile(path.join(dir, 'htpasswd'), htpasswd(options.auth));
    config.push('auth:', '  htpasswd:', '    realm: kiln-test', `    path: ${path.join(dir, 'htpasswd')}`);
  }
  await writeFile(path.join(dir, 'config.yml'), config.join('\n') + '\n');

  const logPath = path.join(dir, 'registry.log');
  // The server writes its log straight to the file: through a pipe to this process it
  // would block on a full pipe whenever the caller sits in spawnSync (bench, CLI tests).
  const logFd = openSync(logPath, 'a');
  const child = spawn(BINARY, ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let ready = false;
  while (!ready && Date.now() < deadline && child.exitCode === null) {
    ready = await answers(address, options.auth !== undefined);
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) {
    killOnExit();
    process.removeListener('exit', killOnExit);
    const text = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
    await rm(dir, { recursive: true, force: true });
    throw new Error(`kiln tests: docker-registry did not start on ${address}:\n${text}`);
  }

  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
    process.removeListener('exit', killOnExit);
    await rm(dir, { recursive: true, force: true });
  };
  return {
    address,
    auth: options.auth,
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
}

/** One `user:bcrypt-hash` line from `htpasswd -Bbn` (apache2-utils). */
function htpasswd(auth: RegistryCredentials): string {
  const r = spawnSync('htpasswd', ['-Bbn', auth.username, auth.password], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`kiln tests: htpasswd failed (install apache2-utils): ${r.error?.message ?? r.stderr}`);
  }
  return r.stdout.trim() + '\n';
}

/** An open registry answers `/v2/` with 200; one behind auth with 401. */
async function answers(address: string, withAuth: boolean): Promise<boolean> {
  try {
    const res = await fetch(`http://${address}/v2/`, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.status === (withAuth ? 401 : 200);
  } catch {
    return false;
  }
}
