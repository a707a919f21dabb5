/**
 * The `ssh` communicator's connect (Packer's StepConnectSSH): resolves the SSH options
 * for the host the builder found, waits for SSH with the communicator's retry rules,
 * offering the builder's temporary keys after the configured ones, and says what
 * Packer says.
 */
import type { Communicator, ConnectRequest } from '../../../sdk/communicator.js';
import { resolveSshConfig } from '../../../sdk/ssh/config.js';
import { SshTimeoutError } from './connect.js';
import { SshCommunicator } from './ssh-communicator.js';

export async function connectSsh({ ui, signal, host, config, privateKeys = [], socket }: ConnectRequest): Promise<Communicator> {
  // pause_before_connecting is the connect step's: the communicator connects once per call.
  const { config: resolved, diagnostics } = resolveSshConfig({ ...config, ssh_host: host, pause_before_connecting: 0 });
  if (diagnostics.length > 0) {
    socket?.destroy();
    throw new Error(diagnostics.map((d) => (d.detail ? `${d.summary}: ${d.detail}` : d.summary)).join('\n'));
  }
  ui.say('Waiting for SSH to become available...');
  try {
    const comm = await SshCommunicator.connect(resolved, { privateKeys, ...(socket ? { socket } : {}) }, signal);
    ui.say('Connected to SSH!');
    return comm;
  } catch (err) {
    if (signal.aborted) throw err;
    if (err instanceof SshTimeoutError) {
      ui.error('Timeout waiting for SSH.');
      throw new Error('Timeout waiting for SSH.', { cause: err });
    }
    ui.error(`Error waiting for SSH: ${(err as Error).message}`);
    throw err;
  }
}
