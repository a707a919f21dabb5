/**
 * `ssh_clear_authorized_keys`: after provisioning, remove the temporary key from the
 * user's and root's authorized_keys, as Packer's StepCleanupTempKeys does (cosmetic:
 * the private key never leaves this machine; needs `sed` on the guest).
 */
import type { Communicator } from '../../../sdk/communicator.js';

export interface ClearAuthorizedKeysResult {
  /** The commands run and how each ended; failures are reported, never thrown. */
  readonly steps: ReadonlyArray<{ readonly command: string; readonly outcome: string }>;
}

/** Escapes `text` for use inside a sed basic regular expression between `/…/`. */
function sedLiteral(text: string): string {
  return text.replace(/[\\/.*[\]^$]/g, (c) => `\\${c}`);
}

/**
 * Deletes every line ending in ` <comment>` from `~/.ssh/authorized_keys`, then from
 * `/root/.ssh/authorized_keys` through sudo. The comment must not contain a single
 * quote (temporary key comments are `packer_<uuid>`).
 */
export async function clearAuthorizedKeys(comm: Communicator, comment: string, signal?: AbortSignal): Promise<ClearAuthorizedKeysResult> {
  if (comment.includes("'")) throw new Error('clearAuthorizedKeys: the key comment must not contain a single quote');
  const pattern = `/ ${sedLiteral(comment)}$/d`;
  const commands = [
    `sed -i.bak '${pattern}' ~/.ssh/authorized_keys; rm ~/.ssh/authorized_keys.bak`,
    `sudo sed -i.bak '${pattern}' /root/.ssh/authorized_keys; sudo rm /root/.ssh/authorized_keys.bak`,
  ];
  const steps: Array<{ command: string; outcome: string }> = [];
  for (const command of commands) {
    try {
      const r = await comm.run({ command }, signal);
      steps.push({ command, outcome: r.kind === 'exited' ? `exit ${r.exitStatus}` : `disconnected: ${r.reason}` });
    } catch (e) {
      signal?.throwIfAborted();
      steps.push({ command, outcome: `error: ${(e as Error).message}` });
    }
  }
  return { steps };
}
