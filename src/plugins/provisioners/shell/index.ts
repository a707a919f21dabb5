/**
 * The `shell` provisioner: uploads scripts (or inline commands) to the machine and runs
 * them through the communicator (Packer's `provisioner/shell`).
 */
import { defineProvisioner, prepared } from '../../../sdk/component.js';
import { resolveShell, shellSchema } from './config.js';

export default defineProvisioner({
  name: 'shell',
  schema: shellSchema,
  async prepare(config) {
    const { settings, diagnostics } = resolveShell(config);
    return prepared(settings, diagnostics);
  },
  // The upload-and-run code is loaded when a build runs the step, not by validate.
  provision: async (prepared, ctx) => (await import('./provision.js')).provisionShell(prepared, ctx),
});
