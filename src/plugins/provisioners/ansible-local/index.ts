/**
 * The `ansible-local` provisioner: uploads playbooks, roles and vars to the machine
 * and runs `ansible-playbook -c local` there, as packer-plugin-ansible's
 * `ansible-local` does.
 */
import { defineProvisioner, prepared } from '../../../sdk/component.js';
import { ansibleLocalSchema, resolveAnsibleLocal } from './config.js';
import { provisionAnsibleLocal } from './provision.js';

export default defineProvisioner({
  name: 'ansible-local',
  schema: ansibleLocalSchema,
  async prepare(config) {
    const { settings, diagnostics } = resolveAnsibleLocal(config);
    return prepared(settings, diagnostics);
  },
  provision: (settings, ctx) => provisionAnsibleLocal(settings, ctx),
});
