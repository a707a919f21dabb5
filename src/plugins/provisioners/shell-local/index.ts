/**
 * The `shell-local` provisioner: runs commands or scripts on the machine running
 * kiln, with the build's generated data (Packer's `provisioner/shell-local`).
 */
import { defineProvisioner, prepareError, prepared } from '../../../sdk/component.js';
import { resolveShellLocal, runShellLocal, shellLocalSchema } from '../../../sdk/shell-local/index.js';

export default defineProvisioner({
  name: 'shell-local',
  schema: shellLocalSchema,
  async prepare(config) {
    const { settings, errors } = resolveShellLocal(config);
    return prepared(settings, errors.map((e) => prepareError(e)));
  },
  provision: (settings, ctx) => runShellLocal(settings, { ui: ctx.ui, signal: ctx.signal, packer: ctx.packer, generatedData: ctx.generatedData, ...(ctx.ledger ? { ledger: ctx.ledger } : {}) }),
});
