/**
 * The `ssh` communicator: Packer's SSH options (resolved by `sdk/ssh/config.ts`),
 * connection with retry, exec, SCP/SFTP transfers, bastion and SOCKS5 proxies,
 * tunnels. Registered as the communicator component `ssh`; its module API is for the
 * communicator's own tests.
 *
 * ```ts
 * const { config, diagnostics } = resolveSshConfig({ ssh_host, ssh_username, ssh_password });
 * const comm = await SshCommunicator.connect(config, { log }, signal);
 * ```
 */
import { sshSchema } from '../../../sdk/communicator-config.js';
import { defineCommunicator } from '../../../sdk/component.js';
import { connectSsh } from './connector.js';

export { SshCommunicator } from './ssh-communicator.js';
export type { SshCommunicatorOptions } from './ssh-communicator.js';
export { SshAuthError, SshTimeoutError } from './connect.js';
export type { SshLogger, SshLogLevel } from './connect.js';
export { clearAuthorizedKeys } from './clear-authorized-keys.js';
export type { InteractivePrompt } from './auth.js';

export default defineCommunicator({ name: 'ssh', schema: sshSchema, connect: connectSsh });
