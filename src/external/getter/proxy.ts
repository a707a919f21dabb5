/**
 * Which proxy a URL goes through: `HTTPS_PROXY` / `HTTP_PROXY` (or their lower-case
 * forms) by the URL's scheme, unless `NO_PROXY` lists its host — the rules of Go's
 * http.ProxyFromEnvironment, which Packer's getters use.
 */

function envOf(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name] || env[name.toLowerCase()] || undefined;
}

/** Whether `NO_PROXY` exempts `host` (`*`; exact names; `.example.com` and `example.com` cover subdomains; optional `:port`). */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(',')) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(entry);
    if (m?.[2] && m[2] !== port) continue;
    entry = (m?.[1] ?? entry).replace(/^\[|\]$/g, '');
    if (entry.startsWith('*.')) entry = entry.slice(1);
    if (host === entry || host.endsWith(entry.startsWith('.') ? entry : `.${entry}`)) return true;
  }
  return false;
}

/** The proxy URL for `url` under `env`, or undefined for a direct connection. */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const raw = url.protocol === 'https:' ? envOf(env, 'HTTPS_PROXY') : envOf(env, 'HTTP_PROXY');
  if (!raw || bypassesProxy(url, envOf(env, 'NO_PROXY'))) return undefined;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
}
