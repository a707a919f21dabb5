/**
 * The `shell-local` provisioner: runs commands or scripts on the machine running
 * kiln, with the build's generated data (Packer's `provisioner/shell-local`).
 */
import { defineProvisioner } from '../../../sdk/component.js';
import { fail } from '../../../sdk/result.js';
import { resolveShellLocal, runShellLocal, shellLocalSchema } from '../../../sdk/shell-local/index.js';

export default defineProvisioner({
  name: 'shell-local',
  schema: shellLocalSchema,
  prepare(config) {
    return { errors: resolveShellLocal(config).errors, warnings: [] };
  },
  async provision(config, ctx) {
    // Core decodes the config again with the real generated data, so resolve again.
    const { settings, errors } = resolveShellLocal(config);
    if (errors.length > 0) return fail(errors.join('\n'));
    return runShellLocal(settings, { ui: ctx.ui, signal: ctx.signal, packer: ctx.packer, generatedData: ctx.generatedData });
  },
});
