/**
 * A real AWS API emulator for tests: moto's `moto_server` (pip package moto; on PATH, in
 * pyenv's Python, or in the venv scripts/install-test-deps.sh makes when it is missing)
 * on 127.0.0.1 and a free port. A missing moto fails the test loudly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './sshd.js';

export interface MotoServer {
  /** `http://127.0.0.1:<port>`, for an SDK `endpoint` or `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  /** Environment for code that uses the default credential chain against this server. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops the server by its PID. Safe to call twice. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/** The moto_server executable: on PATH, pyenv's shim, or install-test-deps.sh's venv. */
export function findMotoServer(): string {
  const onPath = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' }).stdout.trim();
  if (onPath !== '') return onPath;
  const pyenvRoot = process.env['PYENV_ROOT'] ?? path.join(os.homedir(), '.pyenv');
  for (const candidate of [path.join(pyenvRoot, 'shims', 'moto_server'), path.join(pyenvRoot, 'versions', '3.11.7', 'bin', 'moto_server'), '/opt/kiln-moto/bin/moto_server']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error("kiln tests: moto_server not found: run scripts/install-test-deps.sh as root, or pip install 'moto[server]'");
}

/** Starts moto_server and resolves once it answers HTTP. */
export async function startMoto(): Promise<MotoServer> {
  const bin = findMotoServer();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'], detached: false });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = async (): Promise<void> => {
    if (exited || child.pid === undefined) return;
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid, 'SIGTERM');
    await done;
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited) throw new Error(`kiln tests: moto_server exited early: ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      await res.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`kiln tests: moto_server did not answer on ${endpoint}: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stop,
  };
}
