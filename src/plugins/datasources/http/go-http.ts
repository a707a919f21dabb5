/**
 * An HTTP client with the observable behaviour of Go's default `http.Client`, which
 * Packer's `http` data source uses: redirects followed (at most 10; 301/302/303 turn
 * into GET without a body; sensitive headers dropped across hosts), transparent gzip,
 * response headers under canonical names, and Go's error texts.
 */
import http from 'node:http';
import https from 'node:https';
import { gunzipSync } from 'node:zlib';

export interface GoRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** undefined: no body. */
  readonly body?: string;
  readonly signal?: AbortSignal;
}

export interface GoResponse {
  readonly status: number;
  /** Canonical header names (`Content-Type`); repeated headers in order. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  readonly body: Buffer;
}

export type GoHttpResult = { readonly kind: 'ok'; readonly value: GoResponse } | { readonly kind: 'error'; readonly message: string };

const SENSITIVE = ['authorization', 'www-authenticate', 'cookie', 'cookie2'];

/** Sends the request and follows redirects; errors come back as Go's `*url.Error` text. */
export async function goHttpDo(req: GoRequest): Promise<GoHttpResult> {
  const op = req.method.slice(0, 1) + req.method.slice(1).toLowerCase();
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return { kind: 'error', message: `parse "${req.url}": invalid URL` };
  }
  let method = req.method;
  let body = req.body;
  let headers: Record<string, string> = { ...req.headers };
  const firstHost = url.hostname;
  for (let redirects = 0; ; redirects++) {
    const where = `${op} "${redirects === 0 ? req.url : url.href}"`;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'error', message: `${where}: unsupported protocol scheme "${url.protocol.slice(0, -1)}"` };
    if (url.hostname === '') return { kind: 'error', message: `${where}: http: no Host in request URL` };
    let res: GoResponse;
    try {
      res = await send(url, method, headers, body, req.signal);
    } catch (err) {
      return { kind: 'error', message: `${where}: ${goNetError(err)}` };
    }
    const location = res.headers.get('Location')?.[0];
    const redirect = [301, 302, 303, 307, 308].includes(res.status) && location !== undefined;
    if (!redirect) return { kind: 'ok', value: res };
    if (redirects === 9) return { kind: 'error', message: `${op} "${new URL(location, url).href}": stopped after 10 redirects` };
    if (res.status <= 303 && method !== 'GET' && method !== 'HEAD') {
      method = 'GET';
      body = undefined;
    } else if (res.status <= 303) body = undefined;
    url = new URL(location, url);
    if (url.hostname !== firstHost && !url.hostname.endsWith(`.${firstHost}`)) {
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !SENSITIVE.includes(k.toLowerCase())));
    }
  }
}

function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, signal?: AbortSignal): Promise<GoResponse> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[canonicalHeaderKey(k)] = v;
  out['User-Agent'] ??= 'Go-http-client/1.1';
  const askedGzip = out['Accept-Encoding'] === undefined && out['Range'] === undefined && method !== 'HEAD';
  if (askedGzip) out['Accept-Encoding'] = 'gzip';
  if (body !== undefined) out['Content-Length'] = String(Buffer.byteLength(body));
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = lib.request(url, { method, headers: out, ...(signal ? { signal } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const headerMap = new Map<string, string[]>();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          const name = canonicalHeaderKey(res.rawHeaders[i] as string);
          const list = headerMap.get(name) ?? [];
          list.push(res.rawHeaders[i + 1] as string);
          headerMap.set(name, list);
        }
        let data = Buffer.concat(chunks);
        if (askedGzip && headerMap.get('Content-Encoding')?.[0]?.toLowerCase() === 'gzip' && data.length > 0) {
          try {
            data = gunzipSync(data);
          } catch (err) {
            reject(err);
            return;
          }
          headerMap.delete('Content-Encoding');
          headerMap.delete('Content-Length');
        }
        resolve({ status: res.statusCode ?? 0, headers: headerMap, body: data });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** Go's `textproto.CanonicalMIMEHeaderKey`: `content-type` → `Content-Type`; keys with invalid bytes unchanged. */
export function canonicalHeaderKey(key: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(key)) return key;
  return key.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** Node's socket errors as Go's `net` errors read. */
function goNetError(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${e.address}:${e.port}: connect: connection refused`;
    case 'ENOTFOUND':
      return `dial tcp: lookup ${e.hostname}: no such host`;
    case 'ECONNRESET':
      return 'EOF';
    case 'ABORT_ERR':
      return 'context canceled';
    default:
      return e.message;
  }
}
