/**
 * The `ssh` connector for the connect step: resolves the SSH options, waits for SSH
 * with the SSH communicator's retry rules and says what Packer's StepConnectSSH says.
 * Builders reaching machines over SSH pass it as `connectors: { ssh: sshConnector }`.
 */
import type { Communicator } from '../../../sdk/communicator.js';
import { sshSettings } from '../../../sdk/communicator-config.js';
import type { Connector } from '../../../sdk/steps/index.js';
import { resolveSshConfig, SshCommunicator, SshTimeoutError } from '../../communicators/ssh/index.js';

/** A connector that also offers `privateKeys` (a temporary key pair) after the configured ones. */
export function sshConnectorWith(privateKeys: readonly (string | Buffer)[] = []): Connector {
  return async ({ ui, signal, host, config }): Promise<Communicator> => {
    const { config: resolved, diagnostics } = resolveSshConfig({ ...sshSettings(config), ssh_host: host });
    if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => (d.detail ? `${d.summary}: ${d.detail}` : d.summary)).join('\n'));
    ui.say('Waiting for SSH to become available...');
    try {
      const comm = await SshCommunicator.connect(resolved, { privateKeys }, signal);
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
  };
}

export const sshConnector: Connector = sshConnectorWith();
