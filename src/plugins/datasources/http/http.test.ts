import assert from 'node:assert/strict';
import { prepareErrors } from '../../provisioners/test-helpers.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type * as cty from '../../../hcl/cty/index.js';
import { anyToPlain } from '../../../sdk/schema/index.js';
import type { HttpDatasourceConfig } from './index.js';
import { fetchHttpData, httpDatasource, isContentTypeText } from './index.js';
import { canonicalHeaderKey } from './go-http.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('http data source (against a local node:http server)', () => {
  let server: http.Server;
  let base = '';
  const seen: Seen[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        const u = new URL(req.url ?? '/', base);
        switch (u.pathname) {
          case '/text':
            res.writeHead(200, [['Content-Type', 'text/plain; charset=utf-8'], ['x-multi', 'a'], ['X-Multi', 'b'], ['set-cookie', 'c=1']]);
            res.end('hello ✓');
            return;
          case '/echo':
            res.writeHead(201, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ method: req.method, body, auth: req.headers['authorization'] ?? null }));
            return;
          case '/missing':
            res.writeHead(404, { 'content-type': 'text/plain' });
            res.end('no');
            return;
          case '/gzip':
            res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
            res.end(gzipSync('zipped text'));
            return;
          case '/binary':
            res.writeHead(200, { 'content-type': 'application/octet-stream' });
            res.end('bin');
            return;
          case '/see-other':
            res.writeHead(303, { location: '/echo' });
            res.end();
            return;
          case '/temporary':
            res.writeHead(307, { location: '/echo' });
            res.end();
            return;
          case '/loop':
            res.writeHead(302, { location: `/loop?n=${Number(u.searchParams.get('n') ?? 0) + 1}` });
            res.end();
            return;
          default:
            res.writeHead(500);
            res.end();
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const cfg = (over: Partial<HttpDatasourceConfig>): HttpDatasourceConfig => ({ method: 'GET', ...over });
  const plain = (v: cty.Value) => anyToPlain(v) as Record<string, unknown>;

  it('returns url, body, headers (canonical names, repeats joined) and status', async () => {
    const res = await httpDatasource.execute(cfg({ url: `${base}/text` }), new AbortController().signal);
    assert.ok(res.kind === 'ok', res.kind === 'error' ? res.error.message : '');
    const out = plain(res.value);
    assert.equal(out['url'], `${base}/text`);
    assert.equal(out['body'], 'hello ✓');
    assert.equal(out['status_code'], 200);
    const headers = out['request_headers'] as Record<string, string>;
    assert.equal(headers['Content-Type'], 'text/plain; charset=utf-8');
    assert.equal(headers['X-Multi'], 'a, b');
    assert.equal(headers['Set-Cookie'], 'c=1');
    assert.deepEqual(out['response_headers'], headers);
    const req = seen.at(-1);
    assert.equal(req?.headers['user-agent'], 'Go-http-client/1.1');
    assert.equal(req?.headers['accept-encoding'], 'gzip');
  });

  it('sends method, headers and body', async () => {
    const res = await fetchHttpData(cfg({ url: `${base}/echo`, method: 'PUT', request_headers: { 'x-token': 'abc' }, request_body: '{"a":1}' }));
    assert.ok(res.kind === 'ok');
    assert.deepEqual(JSON.parse(plain(res.value)['body'] as string), { method: 'PUT', body: '{"a":1}', auth: null });
    assert.equal(plain(res.value)['status_code'], 201);
    assert.equal(seen.at(-1)?.headers['x-token'], 'abc');
  });

  it('follows redirects the way Go does (303 becomes GET without body, 307 keeps both)', async () => {
    let res = await fetchHttpData(cfg({ url: `${base}/see-other`, method: 'POST', request_body: 'payload', request_headers: { Authorization: 'Bearer t' } }));
    assert.ok(res.kind === 'ok');
    assert.deepEqual(JSON.parse(plain(res.value)['body'] as string), { method: 'GET', body: '', auth: 'Bearer t' });
    res = await fetchHttpData(cfg({ url: `${base}/temporary`, method: 'POST', request_body: 'payload' }));
    assert.ok(res.kind === 'ok');
    assert.deepEqual(JSON.parse(plain(res.value)['body'] as string), { method: 'POST', body: 'payload', auth: null });
    // The url output is the one requested, not where the redirects led.
    assert.equal(plain(res.value)['url'], `${base}/temporary`);
    res = await fetchHttpData(cfg({ url: `${base}/loop` }));
    assert.ok(res.kind === 'error');
    assert.equal(res.error.message, `Get "${base}/loop?n=10": stopped after 10 redirects`);
  });

  it("fails on a non-2xx status with Packer's message", async () => {
    const res = await fetchHttpData(cfg({ url: `${base}/missing` }));
    assert.ok(res.kind === 'error');
    assert.equal(res.error.message, 'HTTP request error. Response code: 404');
  });

  it('decompresses gzip transparently and drops Content-Encoding', async () => {
    const res = await fetchHttpData(cfg({ url: `${base}/gzip` }));
    assert.ok(res.kind === 'ok');
    assert.equal(plain(res.value)['body'], 'zipped text');
    assert.equal((plain(res.value)['request_headers'] as Record<string, string>)['Content-Encoding'], undefined);
  });

  it('warns about non-text content but still returns it', async () => {
    const warnings: string[] = [];
    const res = await fetchHttpData(cfg({ url: `${base}/binary` }), undefined, (w) => warnings.push(w));
    assert.ok(res.kind === 'ok');
    assert.equal(plain(res.value)['body'], 'bin');
    assert.deepEqual(warnings, ['Content-Type is not recognized as a text type, got "application/octet-stream"\nIf the content is binary data, Packer may not properly handle the contents of the response.']);
  });

  it("reports transport failures in Go's words", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    let res = await fetchHttpData(cfg({ url: `http://127.0.0.1:${port}/x`, method: 'DELETE' }));
    assert.ok(res.kind === 'error');
    assert.equal(res.error.message, `Delete "http://127.0.0.1:${port}/x": dial tcp 127.0.0.1:${port}: connect: connection refused`);
    res = await fetchHttpData(cfg({ url: 'ftp://example.invalid/x' }));
    assert.ok(res.kind === 'error');
    assert.equal(res.error.message, 'Get "ftp://example.invalid/x": unsupported protocol scheme "ftp"');
  });

  it("checks url and method at prepare with Packer's messages", async () => {
    assert.deepEqual(await prepareErrors(httpDatasource, cfg({ url: '' })), ['the `url` must be specified']);
    assert.deepEqual(await prepareErrors(httpDatasource, cfg({ url: 'http://x', method: 'NONEEXISTING' })), ['the `method` must be one of [HEAD GET POST PUT DELETE OPTIONS PATCH]']);
    assert.deepEqual(await prepareErrors(httpDatasource, cfg({ url: 'http://x', method: 'get' })), ['the `method` must be one of [HEAD GET POST PUT DELETE OPTIONS PATCH]']);
    assert.deepEqual(await prepareErrors(httpDatasource, cfg({ url: 'http://x', method: 'PATCH' })), []);
  });

  it('classifies content types as Packer does', () => {
    assert.equal(isContentTypeText('text/html'), true);
    assert.equal(isContentTypeText('text/csv; charset=US-ASCII'), true);
    assert.equal(isContentTypeText('application/json'), true);
    assert.equal(isContentTypeText('application/json; charset="utf-8"'), true);
    assert.equal(isContentTypeText('application/samlmetadata+xml'), true);
    assert.equal(isContentTypeText('text/plain; charset=iso-8859-1'), false);
    assert.equal(isContentTypeText('application/xml'), false);
    assert.equal(isContentTypeText('text/'), false);
    assert.equal(isContentTypeText(''), false);
    assert.equal(canonicalHeaderKey('x-amz-meta-foo'), 'X-Amz-Meta-Foo');
    assert.equal(canonicalHeaderKey('bad key'), 'bad key');
  });
});
