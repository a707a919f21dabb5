/**
 * `ssh_local_tunnels` and `ssh_remote_tunnels`: `PORT:HOST:HOSTPORT` specs and the
 * listeners that carry them over an SSH connection, as packer-plugin-sdk does:
 * a local tunnel listens on this machine's localhost:PORT and connects to HOST:HOSTPORT
 * from the remote side; a remote tunnel listens on the remote localhost:PORT and
 * connects to HOST:HOSTPORT from this machine.
 */
import net from 'node:net';
import type { Client } from 'ssh2';
import type { TunnelSpec } from '../../../sdk/ssh/tunnel-spec.js';

function pipeBoth(a: NodeJS.ReadWriteStream & { destroy(): void }, b: NodeJS.ReadWriteStream & { destroy(): void }): void {
  a.pipe(b).pipe(a);
  const end = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', end);
  b.on('error', end);
  a.on('close', end);
  b.on('close', end);
}

/**
 * Opens every tunnel over `client` and returns a function that closes them. Rejects when
 * a listener cannot be bound (Packer fails the connection in that case too).
 */
export async function openTunnels(client: Client, tunnels: readonly TunnelSpec[], log: (msg: string) => void): Promise<() => void> {
  const closers: Array<() => void> = [];
  try {
    for (const t of tunnels) {
      if (t.direction === 'local') {
        const server = net.createServer((sock) => {
          client.forwardOut(sock.remoteAddress ?? '127.0.0.1', sock.remotePort ?? 0, t.forwardHost, t.forwardPort, (err, stream) => {
            if (err) {
              log(`tunnel: forward to ${t.forwardHost}:${t.forwardPort} failed: ${err.message}`);
              sock.destroy();
              return;
            }
            pipeBoth(sock, stream);
          });
        });
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(t.listenPort, '127.0.0.1', () => resolve());
        });
        closers.push(() => server.close());
        log(`tunnel: local 127.0.0.1:${t.listenPort} forwarding to ${t.forwardHost}:${t.forwardPort} on the remote side`);
      } else {
        await new Promise<void>((resolve, reject) =>
          client.forwardIn('localhost', t.listenPort, (err) => (err ? reject(new Error(`Tunnel: Failed to bind remote localhost:${t.listenPort}: ${err.message}`)) : resolve())),
        );
        const onConnection = (info: { destPort: number }, accept: () => NodeJS.ReadWriteStream & { destroy(): void }, reject: () => void) => {
          if (info.destPort !== t.listenPort) return;
          const sock = net.connect(t.forwardPort, t.forwardHost, () => pipeBoth(accept(), sock));
          sock.once('error', () => reject());
        };
        client.on('tcp connection', onConnection);
        closers.push(() => {
          client.off('tcp connection', onConnection);
          client.unforwardIn('localhost', t.listenPort, () => undefined);
        });
        log(`tunnel: remote localhost:${t.listenPort} forwarding to ${t.forwardHost}:${t.forwardPort} here`);
      }
    }
  } catch (e) {
    for (const c of closers) c();
    throw e;
  }
  return () => {
    for (const c of closers) {
      try {
        c();
      } catch {
        // the connection is already gone
      }
    }
  };
}
