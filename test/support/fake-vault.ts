/**
 * A stand-in Vault for tests. Vault is not packaged for Debian 12 (and no binary can be
 * downloaded here), so this small HTTP server speaks the subset of Vault's HTTP API the
 * `vault()` function uses: token auth (`X-Vault-Token`; 403 `permission denied`),
 * `GET /v1/<kv2-mount>/data/<path>` for KV v2 (`{"data":{"data":{...},"metadata":{...}}}`),
 * `GET /v1/<kv1-mount>/<path>` for KV v1 (`{"data":{...}}`), 404 `{"errors":[]}` for a
 * missing secret, and the warning Vault gives for a v1-style read of a v2 mount.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeVaultOptions {
  readonly token: string;
  /** KV v2 secrets by mount then path (`{ secret: { 'app/db': { password: 'x' } } }`). */
  readonly kv2?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  /** KV v1 secrets by mount then path. */
  readonly kv1?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
}

export interface FakeVault {
  /** `http://127.0.0.1:<port>`, for `VAULT_ADDR`. */
  readonly address: string;
  /** Paths requested so far (`/v1/...`), for assertions. */
  readonly requests: string[];
  stop(): Promise<void>;
}

const V2_WARNING = "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";

/** Starts the fake on a free loopback port. */
export async function startFakeVault(options: FakeVaultOptions): Promise<FakeVault> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname);
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { errors: ['unsupported operation'] });
    if (req.headers['x-vault-token'] !== options.token) return send(403, { errors: ['permission denied'] });
    const [mount = '', ...rest] = url.pathname.replace(/^\/v1\//, '').split('/');
    const kv2 = options.kv2?.[mount];
    if (kv2 !== undefined) {
      if (rest[0] !== 'data') return send(404, { errors: [], warnings: [V2_WARNING] });
      const data = kv2[rest.slice(1).join('/')];
      if (data === undefined) return send(404, { errors: [] });
      return send(200, { request_id: 'fake', lease_duration: 0, renewable: false, data: { data, metadata: { version: 1, destroyed: false } }, warnings: null });
    }
    const kv1 = options.kv1?.[mount];
    const data = kv1?.[rest.join('/')];
    if (data === undefined) return send(404, { errors: [] });
    return send(200, { request_id: 'fake', lease_duration: 2764800, renewable: false, data, warnings: null });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Runs the fake in a child process. Needed when the code under test blocks this
 * process's event loop while it waits for Vault (the synchronous secret fallback).
 */
export async function startFakeVaultProcess(options: FakeVaultOptions): Promise<Omit<FakeVault, 'requests'>> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`fake Vault process exited (${code})`)));
  });
  return {
    address,
    stop: async () => {
      if (child.exitCode !== null || child.pid === undefined) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(child.pid, 'SIGTERM');
      await done;
    },
  };
}

if (process.argv[1] === new URL(import.meta.url).pathname && process.argv[2] !== undefined) {
  const vault = await startFakeVault(JSON.parse(process.argv[2]) as FakeVaultOptions);
  process.stdout.write(`${vault.address}\n`);
}
