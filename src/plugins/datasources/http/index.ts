/**
 * The `http` data source: requests a URL and exposes the response (`url`, `body`,
 * `request_headers` — which, as in Packer, holds the response headers). kiln adds
 * `status_code` and `response_headers` (the same map under an honest name).
 */
import * as cty from '../../../hcl/cty/index.js';
import type { PrepareDiagnostic, Prepared } from '../../../sdk/component.js';
import { prepareError, prepared } from '../../../sdk/component.js';
import { defineDatasource } from '../../../sdk/component.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { map, str } from '../../../sdk/schema/index.js';
import { goHttpDo } from './go-http.js';

export const HTTP_METHODS = ['HEAD', 'GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'] as const;

const schema = {
  url: str().doc('The URL to request; it must answer with a 2xx status. Required.'),
  method: str().default('GET').doc('HEAD, GET, POST, PUT, DELETE, OPTIONS or PATCH.'),
  request_headers: map(str()).doc('Extra request headers.'),
  request_body: str().doc('The request payload; none when empty.'),
};

export type HttpDatasourceConfig = Infer<typeof schema>;

const headersType = cty.mapOf(cty.stringType);

export const httpDatasource = defineDatasource({
  name: 'http',
  schema,
  outputType: cty.objectOf({ url: cty.stringType, body: cty.stringType, request_headers: headersType, response_headers: headersType, status_code: cty.numberType }),
  prepare: prepareHttp,
  execute: (config: HttpDatasourceConfig, signal: AbortSignal) => fetchHttpData(config, signal),
});

async function prepareHttp(config: HttpDatasourceConfig): Promise<Prepared<HttpDatasourceConfig>> {
  const errors: PrepareDiagnostic[] = [];
  if (!config.url) errors.push(prepareError('the `url` must be specified'));
  if (config.method === '') config.method = 'GET';
  if (!(HTTP_METHODS as readonly string[]).includes(config.method)) errors.push(prepareError(`the \`method\` must be one of [${HTTP_METHODS.join(' ')}]`, 'method'));
  return prepared(config, errors);
}

/**
 * Performs the request. `onWarning` receives Packer's note about a non-text content
 * type (Packer prints it from the plugin process, where nobody sees it).
 */
export async function fetchHttpData(config: HttpDatasourceConfig, signal?: AbortSignal, onWarning?: (text: string) => void): Promise<Result<cty.Value>> {
  const res = await goHttpDo({
    method: config.method || 'GET',
    url: config.url ?? '',
    headers: config.request_headers ?? {},
    ...(config.request_body ? { body: config.request_body } : {}),
    ...(signal ? { signal } : {}),
  });
  if (res.kind === 'error') return fail(res.message);
  const { status, headers, body } = res.value;
  if (status < 200 || status >= 300) return fail(`HTTP request error. Response code: ${status}`);
  const contentType = headers.get('Content-Type')?.[0] ?? '';
  if (!isContentTypeText(contentType)) {
    onWarning?.(`Content-Type is not recognized as a text type, got ${JSON.stringify(contentType)}\nIf the content is binary data, Packer may not properly handle the contents of the response.`);
  }
  const joined = new Map<string, cty.Value>();
  for (const [k, v] of headers) joined.set(k, cty.stringVal(v.join(', ')));
  const headerVal = joined.size > 0 ? cty.mapVal(joined) : cty.mapValEmpty(cty.stringType);
  return ok(
    cty.objectVal({
      url: cty.stringVal(config.url ?? ''),
      body: cty.stringVal(body.toString('utf8')),
      request_headers: headerVal,
      response_headers: headerVal,
      status_code: cty.numberIntVal(status),
    }),
  );
}

/** Text types Packer accepts without a warning: text/*, JSON, SAML metadata; charset utf-8, us-ascii or none. */
export function isContentTypeText(contentType: string): boolean {
  const parsed = parseMediaType(contentType);
  if (!parsed) return false;
  if (!/^text\/.+/.test(parsed.type) && parsed.type !== 'application/json' && !parsed.type.startsWith('application/samlmetadata+xml')) return false;
  const charset = (parsed.params.get('charset') ?? '').toLowerCase();
  return charset === '' || charset === 'utf-8' || charset === 'us-ascii';
}

/** A reduced `mime.ParseMediaType`: lower-cased type, parameters with optional quotes; undefined when malformed. */
function parseMediaType(v: string): { type: string; params: Map<string, string> } | undefined {
  const [head = '', ...rest] = v.split(';');
  const type = head.trim().toLowerCase();
  if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+(\/[!#$%&'*+\-.^_`|~0-9a-z]+)?$/.test(type)) return undefined;
  const params = new Map<string, string>();
  for (const p of rest) {
    if (p.trim() === '') continue;
    const m = /^\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*=\s*("(?:[^"\\]|\\.)*"|[!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*$/.exec(p);
    if (!m) return undefined;
    const key = (m[1] as string).toLowerCase();
    if (params.has(key)) return undefined;
    const raw = m[2] as string;
    params.set(key, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw);
  }
  return { type, params };
}

export default httpDatasource;
