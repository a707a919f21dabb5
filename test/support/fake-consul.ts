/**
 * A stand-in Consul for tests. Consul is not packaged for Debian 12, so this small HTTP
 * server speaks the KV read subset of Consul's HTTP API: `GET /v1/kv/<key>?raw` (the
 * stored bytes) and `GET /v1/kv/<key>` (a JSON array with the base64 `Value`), 404 for a
 * missing key, and ACL tokens (`X-Consul-Token` or `?token=`; 403 `ACL not found`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeConsulOptions {
  /** Keys and their values. */
  readonly kv: Readonly<Record<string, string>>;
  /** When set, every request must carry this token. */
  readonly token?: string;
}

export interface FakeConsul {
  /** `127.0.0.1:<port>`, for `CONSUL_HTTP_ADDR`. */
  readonly address: string;
  readonly requests: string[];
  stop(): Promise<void>;
}

export async function startFakeConsul(options: FakeConsulOptions): Promise<FakeConsul> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${url.pathname}${url.search}`);
    const token = req.headers['x-consul-token'] ?? url.searchParams.get('token') ?? undefined;
    if (options.token !== undefined && token !== options.token) {
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      return res.end('ACL not found');
    }
    if (req.method !== 'GET' || !url.pathname.startsWith('/v1/kv/')) {
      res.writeHead(405);
      return res.end();
    }
    const key = decodeURIComponent(url.pathname.slice('/v1/kv/'.length));
    const value = options.kv[key];
    if (value === undefined) {
      res.writeHead(404, { 'X-Consul-Index': '1' });
      return res.end();
    }
    if (url.searchParams.has('raw')) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Consul-Index': '1' });
      return res.end(value);
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Consul-Index': '1' });
    res.end(JSON.stringify([{ LockIndex: 0, Key: key, Flags: 0, Value: value === '' ? null : Buffer.from(value).toString('base64'), CreateIndex: 1, ModifyIndex: 1 }]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
