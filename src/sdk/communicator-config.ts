/**
 * The communicator options every builder with a machine to reach accepts
 * (packer-plugin-sdk `communicator/config.go`): `communicator`,
 * `pause_before_connecting`, `ssh_*` and `winrm_*`. Spread the fragment into a
 * builder's schema; the helpers give Packer's derived values (host, port, user). The
 * options are declared here once: the SSH communicator and `sdk/ssh/config.ts` read
 * this schema's decoded values (durations in milliseconds).
 *
 *     const schema = { ...communicatorSchema, ...sshInterfaceSchema, image: str() };
 */
import type { Infer } from './schema/index.js';
import { bool, duration, int, list, str } from './schema/index.js';

/** The options of the `ssh` communicator (its component's schema). */
export const sshSchema = {
  ssh_host: str().doc('The address to connect to; usually found by the builder.'),
  ssh_port: int().doc('Default 22.'),
  ssh_username: str().doc('Required for `ssh`.'),
  ssh_password: str().doc('Password to log in with; also the answer to keyboard-interactive prompts.'),
  ssh_keypair_name: str().doc('Name of an existing cloud key pair to use.'),
  temporary_key_pair_name: str().doc('Name of the temporary key pair a builder creates; default `packer_<uuid>`.'),
  temporary_key_pair_type: str().doc('`rsa` (the default) or `ed25519` (`dsa`, `ecdsa` not supported by kiln).'),
  temporary_key_pair_bits: int().doc('RSA key size; default 4096.'),
  ssh_ciphers: list(str()).doc('Allowed ciphers, most preferred first; default the SSH library\'s list.'),
  ssh_clear_authorized_keys: bool().doc('Remove the temporary key from authorized_keys at the end of provisioning.'),
  ssh_key_exchange_algorithms: list(str()).doc('Allowed key exchange algorithms, most preferred first; default the SSH library\'s list.'),
  ssh_private_key_file: str().doc('Private key to authenticate with; `~` is expanded.'),
  ssh_certificate_file: str().doc('A signed certificate for the private key.'),
  ssh_pty: bool().doc('Request a terminal for commands.'),
  ssh_timeout: duration().doc('How long to wait for SSH; default 5m (with 10 handshake attempts) when neither is set.'),
  ssh_wait_timeout: duration().deprecated('use ssh_timeout').doc('Old name of `ssh_timeout`.'),
  ssh_agent_auth: bool().doc('Authenticate with the agent at SSH_AUTH_SOCK.'),
  ssh_disable_agent_forwarding: bool().doc('Do not forward the local SSH agent to the machine.'),
  ssh_handshake_attempts: int().doc('Authentication failures tolerated; default 10.'),
  ssh_bastion_host: str().doc('A jump host to reach the machine through.'),
  ssh_bastion_port: int().doc('Default 22.'),
  ssh_bastion_agent_auth: bool().doc('Authenticate to the bastion with the agent at SSH_AUTH_SOCK.'),
  ssh_bastion_username: str().doc('User on the bastion.'),
  ssh_bastion_password: str().doc('Password on the bastion.'),
  ssh_bastion_interactive: bool().doc('Answer the bastion\'s keyboard-interactive prompts from the terminal.'),
  ssh_bastion_private_key_file: str().doc('Default: `ssh_private_key_file`.'),
  ssh_bastion_certificate_file: str().doc('A signed certificate for the bastion\'s private key.'),
  ssh_file_transfer_method: str().doc('`scp` (the default) or `sftp`.'),
  ssh_proxy_host: str().doc('A SOCKS5 proxy to connect through.'),
  ssh_proxy_port: int().doc('Default 1080.'),
  ssh_proxy_username: str().doc('User for the SOCKS5 proxy.'),
  ssh_proxy_password: str().doc('Password for the SOCKS5 proxy.'),
  ssh_keep_alive_interval: duration().doc('Default 5s; negative disables keep-alives.'),
  ssh_read_write_timeout: duration().doc('Drop a connection idle this long; default off.'),
  ssh_remote_tunnels: list(str()).doc('`PORT:HOST:PORT` forwards from the machine.'),
  ssh_local_tunnels: list(str()).doc('`PORT:HOST:PORT` forwards to the machine.'),
};

/** The options of WinRM (no communicator implements it yet; kept for Packer's checks). */
export const winrmSchema = {
  winrm_username: str().doc('Required for `winrm`.'),
  winrm_password: str().doc('Password for `winrm`.'),
  winrm_host: str().doc('The address to connect to; usually found by the builder.'),
  winrm_no_proxy: bool().doc('Connect directly, ignoring proxy settings in the environment.'),
  winrm_port: int().doc('Default 5985, or 5986 with `winrm_use_ssl`.'),
  winrm_timeout: duration().doc('Default 30m.'),
  winrm_use_ssl: bool().doc('Connect over HTTPS.'),
  winrm_insecure: bool().doc('Do not check the HTTPS certificate.'),
  winrm_use_ntlm: bool().doc('Authenticate with NTLM instead of basic authentication.'),
};

export const communicatorSchema = {
  communicator: str().doc('How to reach the machine: `ssh` (the default), `winrm`, `none`, or a builder-specific type such as `docker`.'),
  pause_before_connecting: duration().doc('Connect, then wait this long and connect again before provisioning (a machine that reboots once up).'),
  ...sshSchema,
  ...winrmSchema,
};

/** For builders that pick the machine's address from several (Packer's `SSHInterface`). */
export const sshInterfaceSchema = {
  ssh_interface: str().doc('Which of the machine\'s addresses to use (builder-specific values).'),
  ssh_ip_version: str().doc('`4` or `6`.'),
};

export type CommunicatorConfig = Infer<typeof communicatorSchema>;

/** The communicator type: `communicator`, or `ssh` when unset. */
export function communicatorType(c: CommunicatorConfig): string {
  return c.communicator || 'ssh';
}

const KNOWN_TYPES = ['ssh', 'winrm', 'docker', 'dockerWindowsContainer', 'none'];

/**
 * Packer's `Config.Prepare` checks that are not the SSH communicator's (which
 * `resolveSshConfig` makes): the type, and WinRM's required user.
 */
export function communicatorErrors(c: CommunicatorConfig): string[] {
  const type = communicatorType(c);
  if (!KNOWN_TYPES.includes(type)) return [`Communicator type ${type} is invalid`];
  if (type === 'winrm' && !c.winrm_username) return ['winrm_username must be specified.'];
  return [];
}

export function commHost(c: CommunicatorConfig): string {
  const type = communicatorType(c);
  return type === 'ssh' ? (c.ssh_host ?? '') : type === 'winrm' ? (c.winrm_host ?? '') : '';
}

export function commPort(c: CommunicatorConfig): number {
  const type = communicatorType(c);
  if (type === 'ssh') return c.ssh_port || 22;
  if (type === 'winrm') return c.winrm_port || (c.winrm_use_ssl ? 5986 : 5985);
  return 0;
}

export function commUser(c: CommunicatorConfig): string {
  const type = communicatorType(c);
  return type === 'ssh' ? (c.ssh_username ?? '') : type === 'winrm' ? (c.winrm_username ?? '') : '';
}

export function commPassword(c: CommunicatorConfig): string {
  const type = communicatorType(c);
  return type === 'ssh' ? (c.ssh_password ?? '') : type === 'winrm' ? (c.winrm_password ?? '') : '';
}
