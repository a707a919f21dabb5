/**
 * The SSH proxy Ansible connects to (Packer's adapter): an SSH server on 127.0.0.1
 * that turns each session into the build's communicator calls.
 * - `exec`: `scp -t`/`scp -f` are served as legacy SCP (scp.ts); any other command is
 *   run on the machine with the session's stdin, stdout, stderr and exit status.
 * - `subsystem sftp`: streamed to the machine's own `sftp-server` when it has one
 *   (found once, at start; one process per session, as Packer does with
 *   `sftp_command`), else served by kiln over the communicator's file calls (sftp.ts,
 *   for machines without it, such as most container images). `sftp_command` forces
 *   the command.
 * - `pty-req` and `env` are accepted and ignored; shells and forwarding are refused.
 * Only the configured user with the one authorized key gets in. Host keys and the
 * client's algorithms are ssh2's modern defaults (curve25519, ed25519/ECDSA/rsa-sha2).
 *
 * `close()` stops listening, ends every connection (so a ControlPersist master of
 * Ansible's goes too) and aborts the commands still running.
 */
import type net from 'node:net';
import type { AuthContext, Connection, ServerChannel, Session } from 'ssh2';
import ssh2 from 'ssh2';
import type { Communicator } from '../../../../sdk/communicator.js';
import type { Ui } from '../../../../sdk/ui.js';
import type { ProxyKeys } from './keys.js';
import { capture } from './remote.js';
import { parseScp, serveScp } from './scp.js';
import type { FileContext } from './sftp.js';
import { serveSftp } from './sftp.js';

export interface ProxyOptions {
  readonly user: string;
  readonly keys: ProxyKeys;
  /** First port to try (ten tries); 0 picks a free one. */
  readonly localPort: number;
  /** Non-empty: run this on the machine for SFTP sessions instead of kiln's server. */
  readonly sftpCommand: string;
  readonly comm: Communicator;
  readonly ui: Ui;
  readonly signal: AbortSignal;
}

export interface Proxy {
  readonly port: number;
  close(): Promise<void>;
}

export async function startProxy(opts: ProxyOptions): Promise<Proxy> {
  const stop = new AbortController();
  const signal = AbortSignal.any([opts.signal, stop.signal]);
  const files: FileContext = { comm: opts.comm, signal, log: () => undefined };
  const clients = new Set<Connection>();
  const server = new ssh2.Server({ hostKeys: [opts.keys.hostKey] }, (client) => {
    clients.add(client);
    // Small request/response packets: without TCP_NODELAY, Nagle and delayed ACKs stall each exchange.
    (client as unknown as { setNoDelay(on: boolean): void }).setNoDelay(true);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => authenticate(ctx, opts));
    client.on('ready', () => client.on('session', (accept) => onSession(accept(), sessions, files, signal)));
  });
  server.on('error', (err: Error) => opts.ui.error(`SSH proxy: ${err.message}`));
  const sftpServer = opts.sftpCommand || (await findSftpServer(opts.comm, signal));
  const sessions = { ...opts, sftpCommand: sftpServer };
  const port = await listen(server, opts.localPort, opts.ui);
  let closed: Promise<void> | undefined;
  return {
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        stop.abort(new Error('the SSH proxy was shut down'));
        server.close(() => resolve());
        for (const c of clients) c.end();
        // A client that does not answer the disconnect is cut off.
        setTimeout(() => {
          for (const c of clients) (c as unknown as { _sock?: net.Socket })._sock?.destroy();
        }, 500).unref();
      });
      return closed;
    },
  };
}

function authenticate(ctx: AuthContext, opts: ProxyOptions): void {
  if (ctx.method === 'publickey' && ctx.username === opts.user && ctx.key.data.equals(opts.keys.userKey.getPublicSSH())) {
    // Without a signature the client only asks whether the key would do.
    if (!ctx.signature) return ctx.accept();
    if (opts.keys.userKey.verify(ctx.blob ?? Buffer.alloc(0), ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
  }
  ctx.reject(['publickey']);
}

async function listen(server: ssh2.Server, first: number, ui: Ui): Promise<number> {
  const tries = first === 0 ? 1 : 10;
  for (let i = 0; i < tries; i++) {
    const port = first === 0 ? 0 : first + i;
    try {
      return await new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.removeListener('error', reject);
          const addr = (server as unknown as { address(): net.AddressInfo | null }).address();
          resolve(addr?.port ?? port);
        });
      });
    } catch (err) {
      ui.say((err as Error).message);
    }
  }
  throw new Error('Error setting up SSH proxy connection');
}

/** Where the machine keeps OpenSSH's sftp-server (Debian, Red Hat, Alpine/Arch, the old link); '' when nowhere. */
async function findSftpServer(comm: Communicator, signal: AbortSignal): Promise<string> {
  const candidates = ['/usr/lib/openssh/sftp-server', '/usr/libexec/openssh/sftp-server', '/usr/lib/ssh/sftp-server', '/usr/lib/sftp-server'];
  try {
    const res = await capture(comm, `for p in ${candidates.join(' ')}; do if [ -x "$p" ]; then echo "$p"; exit 0; fi; done; exit 0`, signal);
    const found = res.stdout.trim();
    return res.status === 0 && candidates.includes(found) ? found : '';
  } catch {
    return '';
  }
}

function onSession(session: Session, opts: ProxyOptions, files: FileContext, signal: AbortSignal): void {
  session.on('pty', (accept) => accept?.());
  session.on('env', (accept) => accept?.());
  session.on('exec', (accept, _reject, info) => {
    const channel = accept();
    void finish(channel, execute(info.command, channel, opts.comm, signal));
  });
  if (opts.sftpCommand === '') session.on('sftp', (accept) => serveSftp(accept(), files));
  session.on('subsystem', (accept, reject, info) => {
    if (info.name !== 'sftp') {
      opts.ui.error(`unsupported subsystem requested: ${info.name}`);
      reject?.();
      return;
    }
    const channel = accept();
    void finish(channel, runRemote(opts.sftpCommand, channel, opts.comm, signal));
  });
}

/** Sends the exit status (none for a dropped connection) and closes the channel. */
async function finish(channel: ServerChannel, status: Promise<number | undefined>): Promise<void> {
  const code = await status.catch(() => 255);
  if (code !== undefined) channel.exit(code);
  channel.end();
}

async function execute(command: string, channel: ServerChannel, comm: Communicator, signal: AbortSignal): Promise<number | undefined> {
  const scp = command.startsWith('scp ') ? parseScp(command) : undefined;
  if (scp) return serveScp(scp.flags, scp.target, { in: channel, out: channel }, comm, signal);
  return runRemote(command, channel, comm, signal);
}

async function runRemote(command: string, channel: ServerChannel, comm: Communicator, signal: AbortSignal): Promise<number | undefined> {
  const res = await comm.run(
    {
      command,
      stdin: channel,
      onStdout: (d) => channel.write(d),
      onStderr: (d) => channel.stderr.write(d),
    },
    signal,
  );
  return res.kind === 'exited' ? res.exitStatus : undefined;
}
