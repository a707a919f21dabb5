/**
 * The `shell-local` provisioner: runs commands or scripts on the machine running
 * kiln, with the build's generated data (Packer's `provisioner/shell-local`).
 */
import { defineProvisioner, prepareError, prepared } from '../../../sdk/component.js';
import { resolveShellLocal, shellLocalSchema } from '../../../sdk/shell-local/config.js';

export default defineProvisioner({
  name: 'shell-local',
  schema: shellLocalSchema,
  async prepare(config) {
    const { settings, errors } = resolveShellLocal(config);
    return prepared(settings, errors.map((e) => prepareError(e)));
  },
  // The runner (child processes, temp files) is loaded when a build runs the step, not by validate.
  provision: async (settings, ctx) => (await import('../../../sdk/shell-local/run.js')).runShellLocal(settings, { ui: ctx.ui, signal: ctx.signal, packer: ctx.packer, generatedData: ctx.generatedData, ...(ctx.ledger ? { ledger: ctx.ledger } : {}) }),
});
