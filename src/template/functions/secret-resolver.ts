/**
 * How kiln answers secret functions synchronously.
 *
 * HCL calls functions synchronously, but every secret source is a network call. Two
 * mechanisms, in order:
 * 1. **Pre-pass** ({@link SecretResolver.prefetch}): before evaluating, the template
 *    layer collects the secret calls whose arguments are constants
 *    (`secretCallsIn`, the common case: `vault("secret/data/app", "password")`), fetches
 *    them all concurrently and caches each result (value or error).
 * 2. **Synchronous fallback**: a call the pre-pass could not see (arguments computed
 *    from variables or locals) is fetched by a short-lived child process running the same
 *    fetch code, waited for with `execFileSync`. It costs a Node start-up per distinct
 *    call, but keeps evaluation single-pass and exact; results are cached too.
 * Why not block the event loop on a worker (Atomics.wait)? It gives the same result
 * with more moving parts, and the child process also isolates the AWS SDK's load time
 * from runs that never use it.
 *
 * Tests can construct a resolver with their own `fetch` and without the fallback.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SecretFunctions, SecretResult } from '../../sdk/interpolate/context.js';
import type { Env, SecretCall } from './secret-backends.js';
import { fetchSecret } from './secret-backends.js';

export interface SecretResolverOptions {
  /** The environment of the secret sources; default `process.env`. */
  readonly env?: Env;
  /** The asynchronous lookup; default {@link fetchSecret}. */
  readonly fetch?: (call: SecretCall, env: Env) => Promise<SecretResult>;
  /** The lookup for calls that were not prefetched; default a child process; `false` = none. */
  readonly fetchSync?: ((call: SecretCall, env: Env) => SecretResult) | false;
}

/** A stable cache key for a call. */
export function secretCallKey(call: SecretCall): string {
  switch (call.kind) {
    case 'vault':
      return JSON.stringify([call.kind, call.path, call.key]);
    case 'consul_key':
      return JSON.stringify([call.kind, call.key]);
    case 'aws_secretsmanager':
      return JSON.stringify([call.kind, call.name, call.key ?? null]);
    case 'aws_secretsmanager_raw':
      return JSON.stringify([call.kind, call.name]);
  }
}

/** Secret results for one run: prefetched asynchronously, answered synchronously. */
export class SecretResolver {
  private readonly cache = new Map<string, SecretResult>();
  private readonly env: Env;
  private readonly fetchAsync: (call: SecretCall, env: Env) => Promise<SecretResult>;
  private readonly fetchSync: ((call: SecretCall, env: Env) => SecretResult) | false;

  constructor(options: SecretResolverOptions = {}) {
    this.env = options.env ?? process.env;
    this.fetchAsync = options.fetch ?? fetchSecret;
    this.fetchSync = options.fetchSync ?? fetchSecretInChild;
  }

  /** Fetches every call not cached yet, concurrently. Never rejects. */
  async prefetch(calls: Iterable<SecretCall>): Promise<void> {
    const pending = new Map<string, SecretCall>();
    for (const c of calls) {
      const k = secretCallKey(c);
      if (!this.cache.has(k)) pending.set(k, c);
    }
    await Promise.all(
      [...pending].map(async ([k, c]) => {
        this.cache.set(k, await this.fetchAsync(c, this.env).catch((e: unknown) => ({ kind: 'error' as const, message: String(e) })));
      }),
    );
  }

  /** The result of `call`: cached, else fetched synchronously (see the module comment). */
  lookup(call: SecretCall): SecretResult {
    const k = secretCallKey(call);
    let r = this.cache.get(k);
    if (r === undefined) {
      r = this.fetchSync === false ? { kind: 'error', message: `secret ${k} was not fetched before evaluation` } : this.fetchSync(call, this.env);
      this.cache.set(k, r);
    }
    return r;
  }

  /** The same lookups for the legacy JSON template engine. */
  asSecretFunctions(): SecretFunctions {
    return {
      vault: (path, key) => this.lookup({ kind: 'vault', path, key }),
      consulKey: (key) => this.lookup({ kind: 'consul_key', key }),
      awsSecret: (name, key) => this.lookup({ kind: 'aws_secretsmanager', name, key }),
      awsSecretRaw: (name) => this.lookup({ kind: 'aws_secretsmanager_raw', name }),
    };
  }
}

/** Runs {@link fetchSecret} in a child Node process and waits for it. */
export function fetchSecretInChild(call: SecretCall, env: Env): SecretResult {
  // Under tsx (tests, `npm run dev`) this module is .ts and the child needs the loader too.
  const self = import.meta.url;
  const script = fileURLToPath(new URL(`./secret-fetch-child${self.endsWith('.ts') ? '.ts' : '.js'}`, self));
  const loader = self.endsWith('.ts') ? ['--import', 'tsx'] : [];
  try {
    const out = execFileSync(process.execPath, [...loader, script], {
      input: JSON.stringify(call),
      env: { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } as NodeJS.ProcessEnv,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(out) as SecretResult;
  } catch (e) {
    const err = e as { stderr?: string; message?: string };
    return { kind: 'error', message: `secret lookup failed: ${(err.stderr ?? '').trim() || err.message || String(e)}` };
  }
}
