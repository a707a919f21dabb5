/**
 * The `shell` provisioner: uploads scripts (or inline commands) to the machine and runs
 * them through the communicator (Packer's `provisioner/shell`).
 */
import { defineProvisioner } from '../../../sdk/component.js';
import { fail } from '../../../sdk/result.js';
import { resolveShell, shellSchema } from './config.js';
import { provisionShell } from './provision.js';

export default defineProvisioner({
  name: 'shell',
  schema: shellSchema,
  prepare(config) {
    return { errors: resolveShell(config).errors, warnings: [] };
  },
  async provision(config, ctx) {
    const { settings, errors } = resolveShell(config);
    if (errors.length > 0) return fail(errors.join('\n'));
    return provisionShell(settings, ctx);
  },
});
