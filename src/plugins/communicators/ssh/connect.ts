/**
 * Dialling: a direct TCP connection, a SOCKS5 proxy or a bastion host, then the SSH
 * handshake; and the retry loop Packer runs while a machine boots (keep re-dialling
 * until `ssh_timeout`, give up after `ssh_handshake_attempts` authentication failures).
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { Client, ConnectConfig, ParsedKey } from 'ssh2';
import { authMethods, methodNames, ttyPrompt } from './auth.js';
import { certificateKey } from '../../../sdk/ssh/cert-auth.js';
import type { AuthSpec, InteractivePrompt } from './auth.js';
import type { SshConfig } from '../../../sdk/ssh/config.js';
import { socks5Connect } from './socks5.js';
import { sleep } from '../../../support/sleep.js';

export type SshLogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Where the communicator reports what it does (Packer's `[INFO]`/`[DEBUG]` log lines). */
export type SshLogger = (level: SshLogLevel, message: string) => void;

export interface DialOptions {
  readonly config: SshConfig;
  /** Private keys held in memory (a temporary key pair), tried after ssh_private_key_file. */
  readonly privateKeys: readonly Buffer[];
  readonly log: SshLogger;
  /** Answers `ssh_bastion_interactive` prompts; defaults to asking on /dev/tty. */
  readonly prompt?: InteractivePrompt | undefined;
  /** Receives ssh2's packet trace, one line per packet sent or received. */
  readonly trace?: ((line: string) => void) | undefined;
  /** Hands over, once, a connection that is already open to the target (see `SshCommunicatorOptions.socket`). */
  readonly takeSocket?: () => net.Socket | undefined;
}

/** An established SSH connection and what it holds open (bastion, proxy socket). */
export interface Connection {
  readonly client: Client;
  /** True until the transport closes. */
  isOpen(): boolean;
  /** Closes the client and the bastion behind it. */
  close(): void;
}

/** Authentication was refused: counts toward `ssh_handshake_attempts`. */
export class SshAuthError extends Error {
  override readonly name = 'SshAuthError';
}

/** No connection within `ssh_timeout`. */
export class SshTimeoutError extends Error {
  override readonly name = 'SshTimeoutError';
}

const DIAL_TIMEOUT_MS = 15_000;
const HANDSHAKE_TIMEOUT_MS = 60_000;
const RETRY_DELAY_MS = 1000;
const AUTH_RETRY_DELAY_MS = 2000;

/** TCP keep-alives, and no Nagle: commands are small request/response exchanges that Nagle plus delayed ACKs would stall. */
function tuned(sock: net.Socket): net.Socket {
  sock.setKeepAlive(true, 5000);
  sock.setNoDelay(true);
  return sock;
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    const timer = setTimeout(() => sock.destroy(new Error(`dial tcp ${host}:${port}: i/o timeout`)), timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      resolve(tuned(sock));
    });
    sock.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

interface HandshakeTarget {
  readonly label: string;
  readonly sock: Duplex;
  readonly auth: AuthSpec;
}

/** SSH handshake and authentication over `sock`; resolves with a ready client. */
function handshake(t: HandshakeTarget, config: SshConfig, timeoutMs: number, log: SshLogger, trace?: (line: string) => void): Promise<Client> {
  const client = new ssh2.Client();
  const methods = authMethods(t.auth);
  const agentSock = process.env['SSH_AUTH_SOCK'];
  const cfg: ConnectConfig = {
    sock: t.sock as ConnectConfig['sock'],
    username: t.auth.username,
    authHandler: methods as unknown as NonNullable<ConnectConfig['authHandler']>,
    readyTimeout: timeoutMs,
    keepaliveInterval: config.ssh_keep_alive_interval_ms > 0 ? config.ssh_keep_alive_interval_ms : 0,
    keepaliveCountMax: 3,
    ...(trace ? { debug: (m: string) => trace(`${t.label}: ${m}`) } : {}),
    // The agent is given for forwarding; it authenticates only when authMethods lists it.
    ...(agentSock && !config.ssh_disable_agent_forwarding ? { agent: agentSock } : {}),
    algorithms: {
      ...(config.ssh_ciphers ? { cipher: [...config.ssh_ciphers] as NonNullable<ConnectConfig['algorithms']>['cipher'] } : {}),
      ...(config.ssh_key_exchange_algorithms ? { kex: [...config.ssh_key_exchange_algorithms] as NonNullable<ConnectConfig['algorithms']>['kex'] } : {}),
    },
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      client.end();
      t.sock.destroy();
      const level = (e as Error & { level?: string }).level;
      if (level === 'client-authentication') {
        reject(new SshAuthError(`ssh: unable to authenticate as user "${t.auth.username}" on ${t.label} (methods tried: ${methodNames(methods).join(', ') || 'none'}): ${e.message}`));
      } else {
        reject(new Error(`ssh: handshake with ${t.label} failed: ${e.message}`, { cause: e }));
      }
    };
    client.on('error', (e: Error) => (settled ? log('debug', `ssh ${t.label}: ${e.message}`) : fail(e)));
    client.once('close', () => fail(new Error('connection closed during the handshake')));
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      resolve(client);
    });
    if (methods.length === 0) return fail(Object.assign(new Error('no authentication method configured (set ssh_password, ssh_private_key_file or ssh_agent_auth)'), { level: 'client-authentication' }));
    client.connect(cfg);
  });
}

/** The key itself, or the key with its OpenSSH certificate when one is configured. */
function withCertificate(key: Buffer, certificate: string | undefined): Buffer | ParsedKey {
  if (certificate === undefined) return key;
  const k = certificateKey(key, certificate);
  if (k instanceof Error) throw new Error(`ssh_certificate_file: ${k.message}`);
  return k;
}

function forwardOut(bastion: Client, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) =>
    bastion.forwardOut('127.0.0.1', 0, host, port, (err, stream) => (err ? reject(new Error(`bastion cannot reach ${host}:${port}: ${err.message}`)) : resolve(stream))),
  );
}

/** One attempt: open the transport, handshake, authenticate. */
export async function dialOnce(opts: DialOptions, timeoutMs: number): Promise<Connection> {
  const { config, log } = opts;
  const target = `${config.ssh_host}:${config.ssh_port}`;
  const dialMs = Math.min(DIAL_TIMEOUT_MS, timeoutMs);
  const shakeMs = Math.min(HANDSHAKE_TIMEOUT_MS, timeoutMs);
  let bastion: Client | undefined;
  let raw: net.Socket | undefined;
  let sock: Duplex;
  const b = config.bastion;
  const given = opts.takeSocket?.();
  if (given && (b || config.proxy || given.destroyed)) given.destroy();
  if (b) {
    const label = `bastion ${b.host}:${b.port}`;
    log('info', `connecting with SSH to host ${target} through bastion at ${b.host}:${b.port}`);
    raw = await tcpConnect(b.host, b.port, dialMs);
    const auth: AuthSpec = {
      username: b.username,
      password: b.password,
      privateKeys: b.privateKey ? [withCertificate(b.privateKey, b.certificate)] : [],
      agent: b.agentAuth ? process.env['SSH_AUTH_SOCK'] : undefined,
      interactive: b.interactive ? (opts.prompt ?? ttyPrompt) : undefined,
    };
    bastion = await handshake({ label, sock: raw, auth }, config, shakeMs, log, opts.trace);
    try {
      sock = await forwardOut(bastion, config.ssh_host, config.ssh_port);
    } catch (e) {
      bastion.end();
      throw e;
    }
  } else if (config.proxy) {
    const p = config.proxy;
    log('info', `connecting with SSH to host ${target} through SOCKS5 proxy ${p.host}:${p.port}`);
    raw = await socks5Connect({ proxyHost: p.host, proxyPort: p.port, host: config.ssh_host, port: config.ssh_port, username: p.username, password: p.password, timeoutMs: dialMs });
    sock = raw;
  } else {
    raw = given && !given.destroyed ? tuned(given) : await tcpConnect(config.ssh_host, config.ssh_port, dialMs);
    sock = raw;
  }
  const rw = config.ssh_read_write_timeout_ms;
  if (rw > 0 && raw) raw.setTimeout(rw, () => raw?.destroy(new Error(`no data for ${rw} ms (ssh_read_write_timeout)`)));
  const agent = config.ssh_agent_auth ? process.env['SSH_AUTH_SOCK'] : undefined;
  if (config.ssh_agent_auth && !agent) throw new Error('Cannot connect to SSH Agent: SSH_AUTH_SOCK is not set');
  const auth: AuthSpec = {
    username: config.ssh_username,
    password: config.ssh_password,
    privateKeys: [...(config.ssh_private_key ? [withCertificate(config.ssh_private_key, config.ssh_certificate)] : []), ...opts.privateKeys],
    agent,
  };
  let client: Client;
  try {
    client = await handshake({ label: target, sock, auth }, config, shakeMs, log, opts.trace);
  } catch (e) {
    bastion?.end();
    throw e;
  }
  let open = true;
  client.once('close', () => {
    open = false;
    bastion?.end();
  });
  return {
    client,
    isOpen: () => open,
    close: () => {
      open = false;
      client.end();
      bastion?.end();
    },
  };
}

/** Races `p` against `signal`; the loser's result is dropped (and a late connection closed). */
function abortable(p: Promise<Connection>, signal: AbortSignal | undefined): Promise<Connection> {
  if (!signal) return p;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      p.then((c) => c.close(), () => undefined);
      reject(signal.reason as Error);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Dials until a connection is up: connection failures retry until `ssh_timeout`,
 * authentication failures until `ssh_handshake_attempts`. Each attempt is logged.
 */
export async function connectWithRetry(opts: DialOptions, signal?: AbortSignal): Promise<Connection> {
  const { config, log } = opts;
  const target = `${config.ssh_host}:${config.ssh_port}`;
  const started = Date.now();
  const deadline = config.ssh_timeout_ms > 0 ? started + config.ssh_timeout_ms : Infinity;
  let authFailures = 0;
  let lastError: Error | undefined;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new SshTimeoutError(`Timeout waiting for SSH to ${target} after ${config.ssh_timeout_ms} ms (${attempt - 1} attempts); last error: ${lastError?.message ?? 'none'}`);
    }
    log('info', `Attempting SSH connection to ${target} (attempt ${attempt})...`);
    try {
      const conn = await abortable(dialOnce(opts, Math.max(1000, Math.min(remaining, HANDSHAKE_TIMEOUT_MS))), signal);
      log('info', `Connected to SSH at ${target} as ${config.ssh_username}`);
      return conn;
    } catch (e) {
      signal?.throwIfAborted();
      lastError = e as Error;
      if (e instanceof SshAuthError) {
        authFailures++;
        log('warn', `authentication failure ${authFailures}${config.ssh_handshake_attempts > 0 ? ` of ${config.ssh_handshake_attempts}` : ''}: ${lastError.message}`);
        if (config.ssh_handshake_attempts > 0 && authFailures >= config.ssh_handshake_attempts) {
          throw new SshAuthError(
            `${lastError.message} — gave up after ${authFailures} authentication attempt(s). ` +
              'This can happen if your username/password or key are wrong; check ssh_username, ssh_password and ssh_private_key_file.',
            { cause: e },
          );
        }
        await sleep(Math.min(AUTH_RETRY_DELAY_MS, Math.max(0, deadline - Date.now())), signal);
        signal?.throwIfAborted();
      } else {
        log('debug', `SSH connection attempt ${attempt} to ${target} failed: ${lastError.message}`);
        await sleep(Math.min(RETRY_DELAY_MS, Math.max(0, deadline - Date.now())), signal);
        signal?.throwIfAborted();
      }
    }
  }
}
