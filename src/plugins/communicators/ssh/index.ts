/**
 * The SSH communicator plugin: Packer's SSH options, connection with retry, exec,
 * SCP/SFTP transfers, bastion and SOCKS5 proxies, tunnels, temporary key pairs.
 *
 * ```ts
 * const { config, diagnostics } = resolveSshConfig({ ssh_host, ssh_username, ssh_password });
 * const comm = await SshCommunicator.connect(config, { log }, signal);
 * ```
 */
export { SshCommunicator } from './ssh-communicator.js';
export type { SshCommunicatorOptions } from './ssh-communicator.js';
export { resolveSshConfig, expandUser } from './config.js';
export type { SshConfig, SshConfigInput, BastionConfig, ProxyConfig, FileTransferMethod, ResolvedSshConfig } from './config.js';
export { SshAuthError, SshTimeoutError } from './connect.js';
export type { SshLogger, SshLogLevel } from './connect.js';
export { generateKeyPair } from './key-pair.js';
export type { KeyPair, KeyPairOptions } from './key-pair.js';
export { clearAuthorizedKeys } from './clear-authorized-keys.js';
export type { InteractivePrompt } from './auth.js';
export type { TunnelSpec } from './tunnels.js';
