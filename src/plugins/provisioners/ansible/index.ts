/**
 * The `ansible` provisioner: runs `ansible-playbook` on this host against the machine,
 * through kiln's SSH proxy over the build's communicator (or straight over SSH with
 * `use_proxy = false`), as packer-plugin-ansible's `ansible` does.
 */
import { defineProvisioner, prepared, prepareError } from '../../../sdk/component.js';
import { ansibleSchema, resolveAnsible } from './config.js';
import { provisionAnsible } from './provision.js';
import { ansibleVersion, checkInstalled } from './version.js';

export default defineProvisioner({
  name: 'ansible',
  schema: ansibleSchema,
  async prepare(config) {
    const { settings, diagnostics } = resolveAnsible(config);
    if (!settings.skipVersionCheck) {
      const missing = checkInstalled(settings.command);
      if (missing) diagnostics.push(prepareError(missing, 'command'));
      // Started now, awaited when the provisioner runs: the build meanwhile gets its machine.
      else void ansibleVersion(settings.command);
    }
    return prepared(settings, diagnostics);
  },
  provision: (settings, ctx) => provisionAnsible(settings, ctx),
});
