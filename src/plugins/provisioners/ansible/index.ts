/**
 * The `ansible` provisioner: runs `ansible-playbook` on this host against the machine,
 * through kiln's SSH proxy over the build's communicator (or straight over SSH with
 * `use_proxy = false`), as packer-plugin-ansible's `ansible` does.
 */
import { defineProvisioner } from '../../../sdk/component.js';
import { fail } from '../../../sdk/result.js';
import { ansibleSchema, resolveAnsible } from './config.js';
import { provisionAnsible } from './provision.js';
import { ansibleVersion, checkInstalled } from './version.js';

export default defineProvisioner({
  name: 'ansible',
  schema: ansibleSchema,
  prepare(config) {
    const { settings, errors } = resolveAnsible(config);
    if (!settings.skipVersionCheck) {
      const missing = checkInstalled(settings.command);
      if (missing) errors.push(missing);
      // Started now, awaited when the provisioner runs: the build meanwhile gets its machine.
      else void ansibleVersion(settings.command);
    }
    return { errors, warnings: [] };
  },
  async provision(config, ctx) {
    const { settings, errors } = resolveAnsible(config);
    if (errors.length > 0) return fail(errors.join('\n'));
    return provisionAnsible(settings, ctx);
  },
});
