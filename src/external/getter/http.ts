/**
 * HTTP(S) GETs for the getters: redirects followed, proxies from the environment,
 * cancellation, and a progress callback. Errors are values with the URL in them.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { proxyFor } from './proxy.js';

export interface GetOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly headers?: Readonly<Record<string, string>>;
  /** Headers sent only to URLs under this prefix (an API token must not follow a redirect elsewhere). */
  readonly scopedHeaders?: { readonly prefix: string; readonly headers: Readonly<Record<string, string>> };
  readonly signal?: AbortSignal;
  /** Called as the body arrives; `total` is undefined without a Content-Length. */
  readonly onProgress?: (received: number, total: number | undefined) => void;
}

/** A complete response. */
export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const MAX_REDIRECTS = 10;
const USER_AGENT = 'kiln-plugin-getter';
/** No bytes for this long ends a request (a stalled connection, a half-dead mirror). */
const IDLE_TIMEOUT_MS = 60_000;

/** GETs `url`, following redirects; resolves to the final response or an error message. Never throws. */
export async function httpGet(url: string, opts: GetOptions): Promise<{ response: HttpResponse } | { error: string }> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let res: IncomingMessage;
    try {
      res = await open(new URL(current), opts);
    } catch (e) {
      return { error: `GET ${current}: ${(e as Error).message}` };
    }
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      current = new URL(res.headers.location, current).toString();
      continue;
    }
    try {
      const body = await readBody(res, opts);
      return { response: { url: current, status, headers: res.headers, body } };
    } catch (e) {
      return { error: `GET ${current}: ${(e as Error).message}` };
    }
  }
  return { error: `GET ${url}: stopped after ${MAX_REDIRECTS} redirects` };
}

function readBody(res: IncomingMessage, opts: GetOptions): Promise<Buffer> {
  const length = Number(res.headers['content-length']);
  const total = Number.isFinite(length) && length >= 0 ? length : undefined;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    res.on('data', (c: Buffer) => {
      chunks.push(c);
      received += c.length;
      opts.onProgress?.(received, total);
    });
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('connection closed before the response was complete')));
    res.on('end', () => {
      if (!res.complete || (total !== undefined && received !== total)) reject(new Error(`connection closed after ${received} of ${total ?? '?'} bytes`));
      else resolve(Buffer.concat(chunks));
    });
  });
}

function headersFor(url: URL, opts: GetOptions): Record<string, string> {
  return { 'user-agent': USER_AGENT, ...opts.headers, ...(opts.scopedHeaders && url.toString().startsWith(opts.scopedHeaders.prefix) ? opts.scopedHeaders.headers : {}) };
}

function open(url: URL, opts: GetOptions): Promise<IncomingMessage> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new Error(`unsupported protocol ${url.protocol}`));
  const proxy = proxyFor(url, opts.env);
  const headers = headersFor(url, opts);
  if (!proxy) return send((url.protocol === 'https:' ? https : http).request(url, { headers, ...signalOpt(opts) }), opts);
  if (url.protocol === 'http:') {
    // A plain HTTP request through a proxy names the absolute URL.
    return send(http.request({ host: proxy.hostname, port: proxy.port || 80, path: url.toString(), headers: { ...headers, host: url.host, ...proxyAuth(proxy) }, ...signalOpt(opts) }), opts);
  }
  return tunnel(proxy, url, opts).then((socket) =>
    send(https.request(url, { headers, createConnection: () => tls.connect({ socket, servername: url.hostname }), ...signalOpt(opts) }), opts),
  );
}

function signalOpt(opts: GetOptions): { signal?: AbortSignal } {
  return opts.signal ? { signal: opts.signal } : {};
}

function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const cred = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(cred).toString('base64')}` };
}

function tunnel(proxy: URL, url: URL, opts: GetOptions): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: proxy.hostname, port: proxy.port || 80, method: 'CONNECT', path: `${url.hostname}:${url.port || 443}`, headers: proxyAuth(proxy), ...signalOpt(opts) });
    req.on('connect', (res: IncomingMessage, socket: Socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`proxy ${proxy.host} refused the tunnel: ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trim()));
      }
    });
    req.on('error', reject);
    req.end();
  });
}

function send(req: http.ClientRequest, opts: GetOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new Error('timed out waiting for the server')));
    req.on('response', resolve);
    req.on('error', (e) => reject(opts.signal?.aborted ? new Error('cancelled') : e));
    req.end();
  });
}
