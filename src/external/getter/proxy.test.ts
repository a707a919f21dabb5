import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, test } from 'node:test';
import { httpGet } from './http.js';
import { bypassesProxy, proxyFor } from './proxy.js';

describe('proxy selection', () => {
  test('HTTPS_PROXY and HTTP_PROXY by scheme, lower-case forms too', () => {
    const env = { HTTPS_PROXY: 'proxy.corp:3128', http_proxy: 'http://p2:8080' };
    assert.equal(proxyFor(new URL('https://github.com/x'), env)?.toString(), 'http://proxy.corp:3128/');
    assert.equal(proxyFor(new URL('http://example.com/x'), env)?.toString(), 'http://p2:8080/');
    assert.equal(proxyFor(new URL('https://github.com/x'), {}), undefined);
  });

  test('NO_PROXY: names, domains, ports and *', () => {
    const u = new URL('https://api.github.com/repos');
    assert.ok(bypassesProxy(u, 'github.com'));
    assert.ok(bypassesProxy(u, '.github.com'));
    assert.ok(bypassesProxy(u, 'localhost, api.github.com'));
    assert.ok(bypassesProxy(u, '*'));
    assert.ok(bypassesProxy(u, 'github.com:443'));
    assert.ok(!bypassesProxy(u, 'github.com:8443'));
    assert.ok(!bypassesProxy(u, 'hub.com'));
    assert.ok(!bypassesProxy(u, ''));
    assert.equal(proxyFor(u, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'github.com' }), undefined);
  });

  test('a plain HTTP GET goes through HTTP_PROXY with the absolute URL', async () => {
    const seen: string[] = [];
    const origin = http.createServer((_req, res) => res.end('from origin'));
    const proxy = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      const target = new URL(req.url ?? '');
      http.get(target, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const o = (origin.address() as AddressInfo).port;
      const p = (proxy.address() as AddressInfo).port;
      const r = await httpGet(`http://127.0.0.1:${o}/file`, { env: { HTTP_PROXY: `http://127.0.0.1:${p}` } });
      assert.ok('response' in r && r.response.body.toString() === 'from origin');
      assert.deepEqual(seen, [`http://127.0.0.1:${o}/file`]);
      const direct = await httpGet(`http://127.0.0.1:${o}/file`, { env: { HTTP_PROXY: `http://127.0.0.1:${p}`, NO_PROXY: '127.0.0.1' } });
      assert.ok('response' in direct);
      assert.equal(seen.length, 1);
    } finally {
      origin.close();
      proxy.close();
    }
  });

  test('an HTTPS GET asks HTTPS_PROXY for a CONNECT tunnel; a refusal is an error value', async () => {
    const seen: string[] = [];
    const proxy = http.createServer();
    proxy.on('connect', (req: http.IncomingMessage, socket: Socket) => {
      seen.push(`${req.url} ${req.headers['proxy-authorization'] ?? ''}`.trim());
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const p = (proxy.address() as AddressInfo).port;
      const r = await httpGet('https://github.com/hashicorp/x', { env: { HTTPS_PROXY: `http://u:pw@127.0.0.1:${p}` } });
      assert.ok('error' in r);
      assert.match(r.error, /^GET https:\/\/github\.com\/hashicorp\/x: proxy 127\.0\.0\.1:\d+ refused the tunnel: 403/);
      assert.deepEqual(seen, [`github.com:443 Basic ${Buffer.from('u:pw').toString('base64')}`]);
    } finally {
      proxy.close();
    }
  });
});
