/**
 * The SSH communicator: Packer's `sdk-internals/communicator/ssh` behaviour on ssh2.
 * One connection, re-dialled on demand after it drops (a reboot), one channel per
 * command or transfer. SCP by default, SFTP with `ssh_file_transfer_method = "sftp"`.
 */
import { constants as osConstants } from 'node:os';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { ClientChannel, ExecOptions, PseudoTtyOptions, SFTPWrapper } from 'ssh2';
import type { CommandResult, Communicator, RemoteCommand, UploadInfo } from '../../../sdk/communicator.js';
import type { InteractivePrompt } from './auth.js';
import type { SshConfig } from '../../../sdk/ssh/config.js';
import { connectWithRetry } from './connect.js';
import { openExecChannel } from './exec-channel.js';
import type { ExecChannel } from './exec-channel.js';
import type { Connection, DialOptions, SshLogger } from './connect.js';
import { scpDownload, scpDownloadDir, scpUpload, scpUploadDir } from './scp.js';
import { isGlob } from '../../../support/shell-quote.js';
import { sftpDownload, sftpDownloadDir, sftpUpload, sftpUploadDir } from './sftp.js';
import { openTunnels } from './tunnels.js';
import { sleep } from '../../../support/sleep.js';

export interface SshCommunicatorOptions {
  /** Receives every connection attempt, reconnect and transfer (Packer's log lines). Default: silent. */
  readonly log?: SshLogger;
  /**
   * Private keys held in memory, e.g. a temporary key pair's `privateKey`; offered after
   * `ssh_private_key_file` and before the password.
   */
  readonly privateKeys?: ReadonlyArray<string | Buffer>;
  /** Answers `ssh_bastion_interactive` prompts (default: ask on /dev/tty). */
  readonly prompt?: InteractivePrompt;
  /** Receives ssh2's packet trace (every packet sent and received); for diagnosis. Default: none. */
  readonly trace?: (line: string) => void;
  /**
   * An open TCP connection to `ssh_host:ssh_port` (a builder's probe that saw the
   * banner, with what it read put back): the first dial uses it instead of connecting.
   * Closed unused when the connection goes through a bastion or a proxy.
   */
  readonly socket?: Socket;
}

const PTY: PseudoTtyOptions = { term: 'xterm', rows: 40, cols: 80, modes: { ECHO: 0, TTY_OP_ISPEED: 14400, TTY_OP_OSPEED: 14400 } };

/** Go's exit status for a signal death: 128 + the signal number. */
function signalStatus(name: string): number {
  const num = (osConstants.signals as Record<string, number | undefined>)[`SIG${name}`];
  return 128 + (num ?? 0);
}

interface ChannelInternals {
  readonly outgoing?: { readonly id?: number; readonly state?: string };
  readonly _client?: { readonly _protocol?: { signal(id: number, name: string): void } };
}

/**
 * Sends a signal request. ssh2's `Channel.signal` is silent once our side has sent EOF
 * (we close stdin at once, as Packer does), so this goes to its protocol object directly.
 */
function sendSignal(ch: ClientChannel, name: string): void {
  const internals = ch as unknown as ChannelInternals;
  const id = internals.outgoing?.id;
  const state = internals.outgoing?.state;
  if (id === undefined || (state !== 'open' && state !== 'eof')) return;
  try {
    internals._client?._protocol?.signal(id, name);
  } catch {
    // the connection is already gone
  }
}

export class SshCommunicator implements Communicator {
  readonly type = 'ssh';
  private conn: Connection | undefined;
  private connecting: Promise<Connection> | undefined;
  private closeTunnels: (() => void) | undefined;
  private closed = false;
  private sftp: { readonly conn: Connection; readonly session: SFTPWrapper } | undefined;
  private agentForwarding: boolean;
  private readonly dial: DialOptions;

  private constructor(readonly config: SshConfig, options: SshCommunicatorOptions) {
    let socket = options.socket;
    this.dial = {
      config,
      privateKeys: (options.privateKeys ?? []).map((k) => (Buffer.isBuffer(k) ? k : Buffer.from(k))),
      log: options.log ?? (() => undefined),
      prompt: options.prompt,
      trace: options.trace,
      takeSocket: () => {
        const given = socket;
        socket = undefined;
        return given;
      },
    };
    this.agentForwarding = !config.ssh_disable_agent_forwarding && Boolean(process.env['SSH_AUTH_SOCK']);
  }

  /**
   * Connects (retrying while the machine boots, see `ssh_timeout` and
   * `ssh_handshake_attempts`) and returns the communicator. With
   * `pause_before_connecting`, connects once, disconnects, waits, then connects again.
   * Rejects with `SshAuthError`, `SshTimeoutError`, or the signal's reason.
   */
  static async connect(config: SshConfig, options: SshCommunicatorOptions = {}, signal?: AbortSignal): Promise<SshCommunicator> {
    const comm = new SshCommunicator(config, options);
    if (config.pause_before_connecting_ms > 0) {
      const first = await connectWithRetry(comm.dial, signal);
      first.close();
      comm.dial.log('info', `Pausing ${config.pause_before_connecting_ms} ms before connecting...`);
      await sleep(config.pause_before_connecting_ms, signal);
      signal?.throwIfAborted();
    }
    await comm.connection(signal);
    return comm;
  }

  /** The live connection, re-dialled (with the same retry rules) when it has dropped. */
  private async connection(signal?: AbortSignal): Promise<Connection> {
    if (this.closed) throw new Error('ssh communicator: already closed');
    if (this.conn?.isOpen()) return this.conn;
    if (this.conn) {
      this.dial.log('info', 'SSH connection lost; reconnecting');
      this.drop();
    }
    this.connecting ??= (async () => {
      const conn = await connectWithRetry(this.dial, signal);
      try {
        if (this.config.tunnels.length > 0) this.closeTunnels = await openTunnels(conn.client, this.config.tunnels, (m) => this.dial.log('info', m));
      } catch (e) {
        conn.close();
        throw e;
      }
      if (this.closed) conn.close();
      this.conn = conn;
      return conn;
    })().finally(() => (this.connecting = undefined));
    return await this.connecting;
  }

  private drop(): void {
    this.sftp = undefined;
    this.closeTunnels?.();
    this.closeTunnels = undefined;
    this.conn?.close();
    this.conn = undefined;
  }

  /** Opens an exec channel; a dead connection is re-dialled once. */
  private async exec(command: string, opts: ExecOptions, signal?: AbortSignal): Promise<ExecChannel> {
    for (let attempt = 0; ; attempt++) {
      const conn = await this.connection(signal);
      const withAgent = this.agentForwarding ? { ...opts, agentForward: true } : opts;
      try {
        return await openExecChannel(conn.client, command, withAgent);
      } catch (e) {
        const message = (e as Error).message;
        if (this.agentForwarding && /agent forwarding/i.test(message)) {
          this.dial.log('warn', `SSH agent forwarding refused by the server; continuing without it`);
          this.agentForwarding = false;
          continue;
        }
        if (attempt > 0 || this.closed) throw e;
        this.dial.log('warn', `ssh session open error: ${message}, attempting reconnect`);
        if (this.conn === conn) this.drop();
      }
    }
  }

  /**
   * Runs the command. A channel that closes without an exit status or signal (the
   * connection dropped, or the server closed it) ends as `disconnected`, as Packer's
   * `ExitMissingError` does; a dead connection is noticed by the keep-alives
   * (`ssh_keep_alive_interval`), so a lost command does not wait forever.
   */
  async run(cmd: RemoteCommand, signal?: AbortSignal): Promise<CommandResult> {
    signal?.throwIfAborted();
    this.dial.log('debug', `starting remote command: ${cmd.command}`);
    const { channel: ch, ended } = await this.exec(cmd.command, this.config.ssh_pty ? { pty: PTY } : {}, signal);
    ch.on('data', (d: Buffer) => cmd.onStdout?.(d));
    ch.stderr.on('data', (d: Buffer) => cmd.onStderr?.(d));
    const onAbort = () => {
      this.dial.log('info', `cancelling remote command: ${cmd.command}`);
      sendSignal(ch, 'KILL');
      ch.close();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (cmd.stdin) cmd.stdin.pipe(ch);
    else ch.end();
    const end = await ended;
    signal?.removeEventListener('abort', onAbort);
    cmd.stdin?.unpipe(ch);
    if (signal?.aborted) throw signal.reason as Error;
    const status = end.status ?? (end.signal !== undefined ? signalStatus(end.signal) : undefined);
    if (status !== undefined) {
      this.dial.log('debug', `remote command exited with ${status}: ${cmd.command}`);
      return { kind: 'exited', exitStatus: status };
    }
    this.dial.log('warn', `remote command exited without exit status or exit signal: ${cmd.command}`);
    return { kind: 'disconnected', reason: 'the remote command exited without exit status or exit signal (the SSH channel closed first)' };
  }

  /** The connection's SFTP session, opened on first use and kept while it lives. */
  private async sftpSession(signal?: AbortSignal): Promise<SFTPWrapper> {
    const conn = await this.connection(signal);
    if (this.sftp && this.sftp.conn === conn) return this.sftp.session;
    // One long-lived session, not one per transfer: dropbear trips over rapid
    // subsystem open/close cycles ("Unable to start subsystem", a failed assertion).
    const session = await new Promise<SFTPWrapper>((resolve, reject) =>
      conn.client.sftp((err, s) => (err ? reject(new Error(`sftpSession error: ${err.message}`)) : resolve(s))),
    );
    const entry = { conn, session };
    session.on('close', () => {
      if (this.sftp === entry) this.sftp = undefined;
    });
    this.sftp = entry;
    return session;
  }

  /** Runs `fn` on the SFTP session; an abort ends the session (the next transfer opens another). */
  private async withSftp<T>(fn: (sftp: SFTPWrapper) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const sftp = await this.sftpSession(signal);
    const onAbort = () => {
      this.sftp = undefined;
      sftp.end();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await fn(sftp);
    } catch (e) {
      signal?.throwIfAborted();
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private readonly openExec = (signal?: AbortSignal) => (command: string) => this.exec(command, {}, signal);

  private get useSftp(): boolean {
    return this.config.ssh_file_transfer_method === 'sftp';
  }

  async upload(dst: string, source: Readable | Buffer, info?: UploadInfo, signal?: AbortSignal): Promise<void> {
    this.dial.log('debug', `${this.config.ssh_file_transfer_method}: uploading ${dst}`);
    if (this.useSftp) return await this.withSftp((s) => sftpUpload(s, dst, source, info), signal);
    await scpUpload(this.openExec(signal), dst, source, info, signal);
  }

  async uploadDir(dst: string, src: string, exclude: readonly string[] = [], signal?: AbortSignal): Promise<void> {
    this.dial.log('debug', `Upload dir '${src}' to '${dst}'`);
    if (this.useSftp) return await this.withSftp((s) => sftpUploadDir(s, dst, src, exclude), signal);
    await scpUploadDir(this.openExec(signal), dst, src, exclude, signal);
  }

  async download(src: string, sink: Writable, signal?: AbortSignal): Promise<void> {
    this.dial.log('debug', `${this.config.ssh_file_transfer_method}: downloading ${src}`);
    if (this.useSftp) return await this.withSftp((s) => sftpDownload(s, src, sink), signal);
    await scpDownload(this.openExec(signal), src, sink, signal);
  }

  async downloadDir(src: string, dst: string, exclude: readonly string[] = [], signal?: AbortSignal): Promise<void> {
    this.dial.log('debug', `Download dir '${src}' to '${dst}'`);
    // SFTP has no shell to expand a glob: those go through scp, as all of Packer's do.
    if (this.useSftp && !isGlob(src)) return await this.withSftp((s) => sftpDownloadDir(s, src, dst, exclude), signal);
    await scpDownloadDir(this.openExec(signal), src, dst, exclude, signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pending = this.connecting;
    this.drop();
    await pending?.then((c) => c.close(), () => undefined);
  }
}
