/**
 * `ssh_local_tunnels` and `ssh_remote_tunnels` as the options spell them:
 * `PORT:HOST:HOSTPORT` (packer-plugin-sdk's tunnel syntax). The SSH communicator opens
 * the listeners.
 */
export interface TunnelSpec {
  readonly direction: 'local' | 'remote';
  readonly listenPort: number;
  readonly forwardHost: string;
  readonly forwardPort: number;
}

export type TunnelParse = { readonly kind: 'ok'; readonly tunnel: TunnelSpec } | { readonly kind: 'error'; readonly message: string };

function port(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 0 && n <= 65535 ? n : undefined;
}

/** Parses `PORT:HOST:HOSTPORT` (HOST may be a bracketed IPv6 address). */
export function parseTunnel(spec: string, direction: TunnelSpec['direction']): TunnelParse {
  const colon = spec.indexOf(':');
  if (colon < 0) return { kind: 'error', message: `Error parsing tunnel '${spec}': expected PORT:HOST:HOSTPORT` };
  const listenPort = port(spec.slice(0, colon));
  const forward = spec.slice(colon + 1);
  const m = /^(\[[^\]]*\]|[^:]*):([^:]*)$/.exec(forward);
  if (!m) return { kind: 'error', message: `Error parsing forwarding, must be a tcp address: ${forward}` };
  const forwardPort = port(m[2] ?? '');
  if (forwardPort === undefined) return { kind: 'error', message: 'Error parsing forwarding port, must be a valid port' };
  if (listenPort === undefined) return { kind: 'error', message: 'Error parsing listening port, must be a valid port' };
  const host = (m[1] ?? '').replace(/^\[|\]$/g, '');
  return { kind: 'ok', tunnel: { direction, listenPort, forwardHost: host, forwardPort } };
}
