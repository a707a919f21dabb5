/**
 * The null builder's options: the communicator options only (Packer's
 * `builder/null/config.go`), with its extra checks when a communicator is used.
 */
import { commHost, commPassword, commUser, communicatorErrors, communicatorSchema, communicatorType } from '../../../sdk/communicator-config.js';
import type { CommunicatorConfig } from '../../../sdk/communicator-config.js';
import type { PrepareDiagnostic } from '../../../sdk/component.js';
import { prepareError } from '../../../sdk/component.js';
import { resolveSshConfig } from '../../../sdk/ssh/config.js';

export const nullSchema = { ...communicatorSchema };

/** Packer's checks of the null builder's communicator options. */
export function prepareNull(c: CommunicatorConfig): PrepareDiagnostic[] {
  const errors = communicatorErrors(c);
  const type = communicatorType(c);
  if (type === 'ssh') {
    for (const d of resolveSshConfig(c).diagnostics) {
      // Packer prints the username hint on an indented second line.
      errors.push(d.summary.startsWith('An ssh_username') ? `${d.summary}\n  ${d.detail}` : d.detail ? `${d.summary}: ${d.detail}` : d.summary);
    }
  }
  if (type !== 'none') {
    if (commHost(c) === '') errors.push('a Host must be specified, please reference your communicator documentation');
    if (commUser(c) === '') errors.push('a Username must be specified, please reference your communicator documentation');
    const agent = c.ssh_agent_auth ?? false;
    const password = c.ssh_password ?? '';
    const keyFile = c.ssh_private_key_file ?? '';
    if (!agent && commPassword(c) === '' && keyFile === '') {
      errors.push('one authentication method must be specified, please reference your communicator documentation');
    }
    if ((agent && (password !== '' || keyFile !== '')) || (password !== '' && keyFile !== '')) {
      errors.push('only one of ssh_agent_auth, ssh_password, and ssh_private_key_file must be specified');
    }
  }
  return errors.map((e) => prepareError(e));
}
