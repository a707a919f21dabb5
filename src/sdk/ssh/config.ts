/**
 * The SSH options' resolution (packer-plugin-sdk `communicator/config.go`
 * `prepareSSH`): from the options as the communicator schema decoded them (durations
 * already milliseconds), Packer's defaults applied, key files read and checked, the
 * algorithm lists and tunnels validated. Mistakes come back as diagnostics. Builders
 * check the options with it at prepare; the SSH communicator connects with its result.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { errorDiag } from '../../hcl/diagnostic.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import type { CommunicatorConfig } from '../communicator-config.js';
import { certificateKey, parseSshKey } from './cert-auth.js';
import { parseTunnel } from './tunnel-spec.js';
import type { TunnelSpec } from './tunnel-spec.js';

export type FileTransferMethod = 'scp' | 'sftp';

/**
 * Resolved options: Packer's defaults applied, durations in milliseconds (0 = none /
 * disabled, negative keep-alive = disabled), key files read into memory.
 */
export interface SshConfig {
  readonly ssh_host: string;
  readonly ssh_port: number;
  readonly ssh_username: string;
  readonly ssh_password: string | undefined;
  readonly ssh_private_key_file: string | undefined;
  /** The contents of `ssh_private_key_file`. */
  readonly ssh_private_key: Buffer | undefined;
  /** The contents of `ssh_certificate_file` (an OpenSSH `*-cert.pub` line), used with that key. */
  readonly ssh_certificate: string | undefined;
  readonly ssh_agent_auth: boolean;
  readonly ssh_timeout_ms: number;
  /** Authentication failures tolerated before giving up; 0 = unlimited (bounded by the timeout). */
  readonly ssh_handshake_attempts: number;
  readonly pause_before_connecting_ms: number;
  readonly ssh_pty: boolean;
  readonly ssh_keep_alive_interval_ms: number;
  readonly ssh_read_write_timeout_ms: number;
  readonly ssh_file_transfer_method: FileTransferMethod;
  readonly bastion: BastionConfig | undefined;
  readonly proxy: ProxyConfig | undefined;
  readonly ssh_ciphers: readonly string[] | undefined;
  readonly ssh_key_exchange_algorithms: readonly string[] | undefined;
  readonly tunnels: readonly TunnelSpec[];
  readonly ssh_disable_agent_forwarding: boolean;
  readonly ssh_clear_authorized_keys: boolean;
  readonly temporary_key_pair_type: 'rsa' | 'ed25519';
  /** RSA key size; Packer's default 4096. Ignored for ed25519. */
  readonly temporary_key_pair_bits: number;
}

export interface BastionConfig {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string | undefined;
  readonly privateKey: Buffer | undefined;
  /** OpenSSH certificate text for `privateKey`. */
  readonly certificate: string | undefined;
  readonly agentAuth: boolean;
  readonly interactive: boolean;
}

export interface ProxyConfig {
  readonly host: string;
  readonly port: number;
  readonly username: string | undefined;
  readonly password: string | undefined;
}

const requireCjs = createRequire(import.meta.url);
/** ssh2's supported algorithms, loaded only to check a template's own list (see parseSshKey). */
const supported = (): { SUPPORTED_CIPHER: readonly string[]; SUPPORTED_KEX: readonly string[] } => requireCjs('ssh2/lib/protocol/constants.js') as ReturnType<typeof supported>;

/** `~` and `~/…` expand to the current user's home, as Packer's pathing.ExpandUser does. */
export function expandUser(p: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/')) return path.join(os.homedir(), p.slice(2));
  return p;
}

export interface ResolvedSshConfig {
  /** Usable even with errors (the failing fields keep their defaults). */
  readonly config: SshConfig;
  readonly diagnostics: readonly Diagnostic[];
}

/** Applies Packer's defaults and validation (`prepareSSH`) to `input`. */
export function resolveSshConfig(input: CommunicatorConfig): ResolvedSshConfig {
  const diags: Diagnostic[] = [];
  const keyFile = (name: 'ssh_private_key_file' | 'ssh_bastion_private_key_file', file: string | undefined) => {
    if (!file) return undefined;
    const full = expandUser(file);
    if (!existsSync(full)) {
      diags.push(errorDiag(`${name} is invalid`, `the file ${full} does not exist`));
      return undefined;
    }
    const data = readFileSync(full);
    const parsed = parseSshKey(data);
    if (parsed instanceof Error) {
      diags.push(errorDiag(`${name} is invalid`, `${full}: ${parsed.message}`));
      return undefined;
    }
    return data;
  };

  let timeout = input.ssh_timeout ?? 0;
  let attempts = input.ssh_handshake_attempts ?? 0;
  if (timeout === 0 && attempts === 0) {
    timeout = 5 * 60_000;
    attempts = 10;
  }
  // The deprecated spelling wins when set, as in Packer.
  if (input.ssh_wait_timeout) timeout = input.ssh_wait_timeout;
  const keepAlive = input.ssh_keep_alive_interval || 5000;

  const username = input.ssh_username ?? '';
  if (username === '') {
    diags.push(errorDiag('An ssh_username must be specified', 'Note: some builders used to default ssh_username to "root".'));
  }
  if (input.ssh_certificate_file && !input.ssh_private_key_file) {
    diags.push(errorDiag('ssh_private_key_file must be specified if ssh_certificate_file is specified', ''));
  }
  if (input.ssh_bastion_certificate_file && !input.ssh_bastion_private_key_file && !input.ssh_private_key_file) {
    diags.push(errorDiag('ssh_bastion_private_key_file must be specified if ssh_bastion_certificate_file is specified', ''));
  }
  const privateKey = keyFile('ssh_private_key_file', input.ssh_private_key_file);
  const certificate = (name: 'ssh_certificate_file' | 'ssh_bastion_certificate_file', file: string | undefined, key: Buffer | undefined) => {
    if (!file) return undefined;
    const full = expandUser(file);
    if (!existsSync(full)) {
      diags.push(errorDiag(`${name} is invalid`, `the file ${full} does not exist`));
      return undefined;
    }
    const text = readFileSync(full, 'utf8');
    if (key) {
      const check = certificateKey(key, text);
      if (check instanceof Error) diags.push(errorDiag(`${name} is invalid`, `${full}: ${check.message}`));
    }
    return text;
  };

  const method = input.ssh_file_transfer_method ?? 'scp';
  if (method !== 'scp' && method !== 'sftp') {
    diags.push(errorDiag(`ssh_file_transfer_method ('${method}') is invalid, valid methods: sftp, scp`, ''));
  }

  let bastion: BastionConfig | undefined;
  if (input.ssh_bastion_host) {
    // Packer reuses the target's key (and certificate) for the bastion when none is given.
    const ownKey = Boolean(input.ssh_bastion_private_key_file);
    const bastionKeyFile = ownKey ? input.ssh_bastion_private_key_file : input.ssh_private_key_file;
    const bastionCertFile = ownKey ? input.ssh_bastion_certificate_file : input.ssh_certificate_file;
    const bastionKey = keyFile('ssh_bastion_private_key_file', bastionKeyFile);
    const hasAuth = input.ssh_bastion_password || bastionKeyFile || input.ssh_bastion_agent_auth || input.ssh_bastion_interactive;
    if (!hasAuth) {
      diags.push(errorDiag('ssh_bastion_password, ssh_bastion_private_key_file or ssh_bastion_agent_auth must be specified', ''));
    }
    bastion = {
      host: input.ssh_bastion_host,
      port: input.ssh_bastion_port || 22,
      username: input.ssh_bastion_username ?? '',
      password: input.ssh_bastion_password || undefined,
      privateKey: bastionKey,
      certificate: certificate('ssh_bastion_certificate_file', bastionCertFile, bastionKey),
      agentAuth: input.ssh_bastion_agent_auth ?? false,
      interactive: input.ssh_bastion_interactive ?? false,
    };
  }
  const proxy: ProxyConfig | undefined = input.ssh_proxy_host
    ? {
        host: input.ssh_proxy_host,
        port: input.ssh_proxy_port || 1080,
        username: input.ssh_proxy_username || undefined,
        password: input.ssh_proxy_password || undefined,
      }
    : undefined;
  if (bastion && proxy) diags.push(errorDiag('please specify either ssh_bastion_host or ssh_proxy_host, not both', ''));

  const algorithms = (name: 'ssh_ciphers' | 'ssh_key_exchange_algorithms', which: 'SUPPORTED_CIPHER' | 'SUPPORTED_KEX') => {
    const list = input[name];
    if (!list || list.length === 0) return undefined;
    const known = supported()[which];
    const unknown = list.filter((a) => !known.includes(a));
    if (unknown.length > 0) {
      diags.push(errorDiag(`Unsupported ${name}: ${unknown.join(', ')}`, `Supported: ${known.join(', ')}`));
    }
    return list.filter((a) => known.includes(a));
  };

  const tunnels: TunnelSpec[] = [];
  for (const [name, direction] of [['ssh_local_tunnels', 'local'], ['ssh_remote_tunnels', 'remote']] as const) {
    for (const spec of input[name] ?? []) {
      const t = parseTunnel(spec, direction);
      if (t.kind === 'error') diags.push(errorDiag(`${name} ('${spec}') is invalid`, t.message));
      else tunnels.push(t.tunnel);
    }
  }

  const keyType = (input.temporary_key_pair_type ?? 'rsa').toLowerCase();
  if (keyType !== 'rsa' && keyType !== 'ed25519') {
    diags.push(errorDiag(`temporary_key_pair_type '${keyType}' is not supported`, 'kiln generates `rsa` (the default) or `ed25519` keys.'));
  }
  const bits = input.temporary_key_pair_bits || 4096;
  if (keyType === 'rsa' && bits < 1024) {
    diags.push(errorDiag('Invalid temporary_key_pair_bits', 'RSA keys must be at least 1024 bits.'));
  }

  const config: SshConfig = {
    ssh_host: input.ssh_host ?? '',
    ssh_port: input.ssh_port || 22,
    ssh_username: username,
    ssh_password: input.ssh_password || undefined,
    ssh_private_key_file: input.ssh_private_key_file,
    ssh_private_key: privateKey,
    ssh_certificate: certificate('ssh_certificate_file', input.ssh_certificate_file, privateKey),
    ssh_agent_auth: input.ssh_agent_auth ?? false,
    ssh_timeout_ms: timeout,
    ssh_handshake_attempts: attempts,
    pause_before_connecting_ms: input.pause_before_connecting ?? 0,
    ssh_pty: input.ssh_pty ?? false,
    ssh_keep_alive_interval_ms: keepAlive,
    ssh_read_write_timeout_ms: input.ssh_read_write_timeout ?? 0,
    ssh_file_transfer_method: method === 'sftp' ? 'sftp' : 'scp',
    bastion,
    proxy,
    ssh_ciphers: algorithms('ssh_ciphers', 'SUPPORTED_CIPHER'),
    ssh_key_exchange_algorithms: algorithms('ssh_key_exchange_algorithms', 'SUPPORTED_KEX'),
    tunnels,
    ssh_disable_agent_forwarding: input.ssh_disable_agent_forwarding ?? false,
    ssh_clear_authorized_keys: input.ssh_clear_authorized_keys ?? false,
    temporary_key_pair_type: keyType === 'ed25519' ? 'ed25519' : 'rsa',
    temporary_key_pair_bits: bits,
  };
  return { config, diagnostics: diags };
}
