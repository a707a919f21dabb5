/**
 * The secret sources behind `vault`, `consul_key`, `aws_secretsmanager` and
 * `aws_secretsmanager_raw`, as packer-plugin-sdk's template/funcs.go reads them, with
 * its error texts. Each lookup is asynchronous and never throws: failures are results.
 */
import type { SecretResult } from '../../sdk/interpolate/context.js';

/** One secret lookup with literal arguments. */
export type SecretCall =
  | { readonly kind: 'vault'; readonly path: string; readonly key: string }
  | { readonly kind: 'consul_key'; readonly key: string }
  /** `key` undefined: `aws_secretsmanager(name, null)`. */
  | { readonly kind: 'aws_secretsmanager'; readonly name: string; readonly key: string | undefined }
  | { readonly kind: 'aws_secretsmanager_raw'; readonly name: string };

export type Env = Readonly<Record<string, string | undefined>>;

const ok = (value: string): SecretResult => ({ kind: 'ok', value });
const fail = (message: string): SecretResult => ({ kind: 'error', message });

/** Performs one lookup against the real service named by the environment. */
export async function fetchSecret(call: SecretCall, env: Env = process.env): Promise<SecretResult> {
  try {
    switch (call.kind) {
      case 'vault':
        return await vaultRead(call.path, call.key, env);
      case 'consul_key':
        return await consulGet(call.key, env);
      case 'aws_secretsmanager':
        return await awsSecret(call.name, call.key ?? '', false);
      case 'aws_secretsmanager_raw':
        return await awsSecret(call.name, '', true);
    }
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}

/** Go's `Get "url": reason` for a request that never got a response. */
function transportError(method: string, url: string, e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
  return `${method} "${url}": ${cause}`;
}

/**
 * Vault KV v1 or v2 over HTTP (`VAULT_ADDR`, default https://127.0.0.1:8200;
 * `VAULT_TOKEN`, required; `VAULT_NAMESPACE`). v2 answers `data.data[key]`, v1 `data[key]`.
 */
async function vaultRead(path: string, key: string, env: Env): Promise<SecretResult> {
  const token = env['VAULT_TOKEN'];
  if (token === undefined || token === '') return fail('Must set VAULT_TOKEN env var in order to use vault template function');
  const addr = (env['VAULT_ADDR'] || 'https://127.0.0.1:8200').replace(/\/+$/, '');
  const url = `${addr}/v1/${path.replace(/^\/+/, '')}`;
  const headers: Record<string, string> = { 'X-Vault-Token': token, 'X-Vault-Request': 'true' };
  if (env['VAULT_NAMESPACE']) headers['X-Vault-Namespace'] = env['VAULT_NAMESPACE'];
  let res: Response;
  try {
    res = await fetch(url, { headers });
  } catch (e) {
    return fail(`Error reading vault secret: ${transportError('Get', url, e)}`);
  }
  const text = await res.text();
  const body = parseJsonObject(text);
  const data = body?.['data'];
  if (res.status === 404) {
    const warnings = body?.['warnings'];
    if (!isObject(data) && !(Array.isArray(warnings) && warnings.length > 0)) return fail('Vault Secret does not exist at the given path');
  } else if (res.status >= 400) {
    const errors = Array.isArray(body?.['errors']) ? (body['errors'] as unknown[]).map((e) => `* ${String(e)}`).join('\n') : text;
    return fail(`Error reading vault secret: Error making API request.\n\nURL: GET ${url}\nCode: ${res.status}. Errors:\n\n${errors}`);
  }
  if (!isObject(data)) return emptyVault(body);
  const v2 = data['data'];
  if (v2 === undefined) {
    if (key in data) return asVaultString(data[key]);
    return emptyVault(body);
  }
  if (isObject(v2) && key in v2) return asVaultString(v2[key]);
  return fail('Vault path does not contain the requested key');
}

function emptyVault(body: Record<string, unknown> | undefined): SecretResult {
  const warnings = Array.isArray(body?.['warnings']) ? (body['warnings'] as unknown[]).map(String) : [];
  return fail(
    'Vault data was empty at the given path. Check the Vault function docs for help: https://www.packer.io/docs/templates/hcl_templates/functions/contextual/vault. ' +
      `Original warnings from Vault call: ${warnings.join('; ')}`,
  );
}

// Packer asserts the value is a Go string and would crash otherwise; we report it instead.
function asVaultString(v: unknown): SecretResult {
  return typeof v === 'string' ? ok(v) : fail(`Vault secret value is not a string but ${v === null ? 'null' : typeof v}`);
}

/**
 * Consul KV (`CONSUL_HTTP_ADDR`, default 127.0.0.1:8500, `http://`/`https://` optional;
 * `CONSUL_HTTP_SSL`; `CONSUL_HTTP_TOKEN`; `CONSUL_HTTP_AUTH` user:password).
 */
async function consulGet(key: string, env: Env): Promise<SecretResult> {
  let addr = env['CONSUL_HTTP_ADDR'] || '127.0.0.1:8500';
  if (!/^https?:\/\//.test(addr)) addr = `${/^(1|t|true)$/i.test(env['CONSUL_HTTP_SSL'] ?? '') ? 'https' : 'http'}://${addr}`;
  const url = `${addr.replace(/\/+$/, '')}/v1/kv/${key.split('/').map(encodeURIComponent).join('/')}?raw`;
  const headers: Record<string, string> = {};
  if (env['CONSUL_HTTP_TOKEN']) headers['X-Consul-Token'] = env['CONSUL_HTTP_TOKEN'];
  if (env['CONSUL_HTTP_AUTH']) headers['Authorization'] = `Basic ${Buffer.from(env['CONSUL_HTTP_AUTH']).toString('base64')}`;
  let res: Response;
  try {
    res = await fetch(url, { headers });
  } catch (e) {
    return fail(`error reading consul key: ${transportError('Get', url, e)}`);
  }
  const body = await res.text();
  if (res.status === 404) return fail(`key does not exist at the given path: ${key}`);
  if (res.status !== 200) return fail(`error reading consul key: Unexpected response code: ${res.status} (${body})`);
  if (body === '') return fail(`value is empty at path ${key}`);
  return ok(body);
}

/**
 * AWS Secrets Manager through the SDK's default chain (environment, shared config and
 * credentials files, SSO, IMDS/ECS roles; `AWS_REGION` or `AWS_DEFAULT_REGION`;
 * `AWS_ENDPOINT_URL*`). The SDK is loaded only when a template uses these functions.
 */
async function awsSecret(name: string, key: string, raw: boolean): Promise<SecretResult> {
  if (name === '') return fail('At least one secret name must be provided');
  // The SDK warns on Node 20 at first use; kiln pins a release that supports it.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const region = process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'];
  const client = new SecretsManagerClient(region ? { region } : {});
  try {
    const resp = await client.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSCURRENT' }));
    if (resp.SecretString === undefined) return fail('Secret is not string');
    return secretValue(resp.SecretString, key, raw);
  } catch (e) {
    const err = e as { name?: string; message?: string };
    return fail(`operation error Secrets Manager: GetSecretValue, ${err.name ?? 'Error'}: ${err.message ?? String(e)}`);
  } finally {
    client.destroy();
  }
}

/** The SDK's getSecretValue: plain text or raw as is; JSON objects answer `key` (or their only entry). */
export function secretValue(secret: string, key: string, raw: boolean): SecretResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    return ok(secret);
  }
  if (raw) return ok(secret);
  if (parsed === null) parsed = {}; // Go unmarshals JSON null into an empty map
  if (!isObject(parsed)) return fail(`json: cannot unmarshal ${goJsonKind(parsed)} into Go value of type map[string]interface {}`);
  const entries = Object.entries(parsed);
  if (key === '' && entries.length > 1) return fail('Secret has multiple values and no key was set');
  if (key === '' && entries.length === 1) return stringSecret(entries[0]![1]);
  if (Object.prototype.hasOwnProperty.call(parsed, key)) return stringSecret(parsed[key]);
  return fail(`No secret found for key ${JSON.stringify(key)}`);
}

function stringSecret(v: unknown): SecretResult {
  if (typeof v === 'string') return ok(v);
  if (typeof v === 'number') return ok(formatFloatNoDecimals(v));
  const goType = v === null ? '<nil>' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
  return fail(`Unsupported secret value type: ${goType}`);
}

/** Go's strconv.FormatFloat(v, 'f', 0, 64): round half to even, all integer digits. */
function formatFloatNoDecimals(v: number): string {
  let r = Math.round(v);
  if (Math.abs(v % 1) === 0.5) r = 2 * Math.round(v / 2);
  if (Object.is(r, -0) || (r === 0 && v < 0)) return '-0';
  return BigInt(r).toString();
}

function goJsonKind(v: unknown): string {
  return typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? 'array' : 'null';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
