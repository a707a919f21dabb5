/**
 * A SOCKS5 CONNECT client (RFC 1928) with optional username/password auth (RFC 1929),
 * for `ssh_proxy_host`. About eighty lines of our own instead of a dependency: the SSH
 * communicator only needs CONNECT over TCP, no BIND, UDP, SOCKS4 or proxy chains.
 */
import net from 'node:net';

export interface Socks5Options {
  readonly proxyHost: string;
  readonly proxyPort: number;
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  /** Milliseconds for the whole handshake; 0 = none. */
  readonly timeoutMs?: number;
}

const REPLIES: Readonly<Record<number, string>> = {
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

/** Connects through the proxy; resolves with the socket once the tunnel to host:port is open. */
export async function socks5Connect(opts: Socks5Options): Promise<net.Socket> {
  const sock = net.connect(opts.proxyPort, opts.proxyHost);
  let buffered = Buffer.alloc(0);
  let want: { n: number; resolve: (b: Buffer) => void } | undefined;
  let failure: Error | undefined;
  let fail: (e: Error) => void = (e) => (failure = e);
  const pump = () => {
    if (want && buffered.length >= want.n) {
      const out = buffered.subarray(0, want.n);
      buffered = buffered.subarray(want.n);
      const w = want;
      want = undefined;
      w.resolve(out);
    }
  };
  const onData = (d: Buffer) => {
    buffered = Buffer.concat([buffered, d]);
    pump();
  };
  sock.on('data', onData);
  const read = (n: number) =>
    new Promise<Buffer>((resolve, reject) => {
      if (failure) return reject(failure);
      fail = reject;
      want = { n, resolve };
      pump();
    });
  sock.once('error', (e) => fail(new Error(`Can't connect to the proxy ${opts.proxyHost}:${opts.proxyPort}: ${e.message}`)));
  sock.once('close', () => fail(new Error(`the SOCKS proxy ${opts.proxyHost}:${opts.proxyPort} closed the connection`)));
  const timer = opts.timeoutMs ? setTimeout(() => sock.destroy(new Error('timed out')), opts.timeoutMs) : undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      fail = reject;
    });
    const withAuth = opts.username !== undefined;
    sock.write(Buffer.from(withAuth ? [5, 2, 0, 2] : [5, 1, 0]));
    const [ver, method] = await read(2);
    if (ver !== 5) throw new Error(`${opts.proxyHost}:${opts.proxyPort} is not a SOCKS5 proxy`);
    if (method === 2) {
      const user = Buffer.from(opts.username ?? '');
      const pass = Buffer.from(opts.password ?? '');
      sock.write(Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([pass.length]), pass]));
      const [, status] = await read(2);
      if (status !== 0) throw new Error(`the SOCKS proxy rejected the username/password for "${opts.username ?? ''}"`);
    } else if (method !== 0) {
      throw new Error('the SOCKS proxy accepts none of our authentication methods (set ssh_proxy_username/ssh_proxy_password?)');
    }
    const ipType = net.isIP(opts.host);
    const addr =
      ipType === 4
        ? Buffer.from([1, ...opts.host.split('.').map(Number)])
        : Buffer.concat([Buffer.from([3, Buffer.byteLength(opts.host)]), Buffer.from(opts.host)]);
    const portBuf = Buffer.from([opts.port >> 8, opts.port & 0xff]);
    sock.write(Buffer.concat([Buffer.from([5, 1, 0]), addr, portBuf]));
    const head = await read(4);
    if (head[1] !== 0) throw new Error(`SOCKS proxy: ${REPLIES[head[1] ?? 1] ?? 'unknown error'} (connecting to ${opts.host}:${opts.port})`);
    const atyp = head[3];
    const rest = atyp === 1 ? 4 : atyp === 4 ? 16 : (await read(1))[0] ?? 0;
    await read(rest + 2);
    // Paused so nothing is lost before the SSH client attaches its own listener.
    sock.pause();
    sock.off('data', onData);
    sock.removeAllListeners('close');
    sock.removeAllListeners('error');
    if (buffered.length > 0) sock.unshift(buffered);
    return sock;
  } catch (e) {
    sock.destroy();
    throw e;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
