/**
 * Packer's StepSSHKeyGen: with SSH and no password, key file or agent, makes a
 * temporary key pair. The run step gives its public key to the guest through fw_cfg
 * (`opt/ssh_authorized_keys`, read by kiln's base image and by any guest that looks
 * there) and `{{ .SSHPublicKey }}` in qemuargs, boot_command and http_content.
 */
import { communicatorType } from '../../../../sdk/communicator-config.js';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE, halt } from '../../../../sdk/multistep/step.js';
import { generateKeyPair } from '../../../../sdk/ssh/key-pair.js';
import type { QemuState } from '../state.js';

/** True when the template gives no SSH credential, so a temporary key pair is needed. */
export function needsTemporaryKey(state: QemuState): boolean {
  const c = state.config;
  return communicatorType(c) === 'ssh' && !c.ssh_password && !c.ssh_private_key_file && c.ssh_agent_auth !== true;
}

export function stepSshKeyGen(): Step<QemuState> {
  return {
    name: 'StepSSHKeyGen',
    async run(state) {
      // Already set: the key pair kept with the RAM state this build resumes from.
      if (!needsTemporaryKey(state) || state.sshPrivateKey !== undefined) return CONTINUE;
      const c = state.config;
      const type = c.temporary_key_pair_type === 'ed25519' ? 'ed25519' : 'rsa';
      state.ui.say(`Creating temporary ${type.toUpperCase()} SSH key for instance...`);
      try {
        const pair = await generateKeyPair({ type, bits: c.temporary_key_pair_bits || 4096, ...(c.temporary_key_pair_name ? { comment: c.temporary_key_pair_name } : {}) });
        state.sshPublicKey = pair.publicKey;
        state.sshPrivateKey = pair.privateKey;
        return CONTINUE;
      } catch (err) {
        return halt(`Error creating temporary SSH key: ${(err as Error).message}`);
      }
    },
  };
}
