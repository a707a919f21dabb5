/**
 * The `ansible-local` provisioner: uploads playbooks, roles and vars to the machine
 * and runs `ansible-playbook -c local` there, as packer-plugin-ansible's
 * `ansible-local` does.
 */
import { defineProvisioner } from '../../../sdk/component.js';
import { fail } from '../../../sdk/result.js';
import { ansibleLocalSchema, resolveAnsibleLocal } from './config.js';
import { provisionAnsibleLocal } from './provision.js';

export default defineProvisioner({
  name: 'ansible-local',
  schema: ansibleLocalSchema,
  prepare(config) {
    return { errors: resolveAnsibleLocal(config).errors, warnings: [] };
  },
  async provision(config, ctx) {
    const { settings, errors } = resolveAnsibleLocal(config);
    if (errors.length > 0) return fail(errors.join('\n'));
    return provisionAnsibleLocal(settings, ctx);
  },
});
