/**
 * The step cache's contract on the built-in components: fields naming local files are
 * marked `.localPath()`, fields that do not change the result `.noEffect()`, and both
 * read back from the registry's schemas with `cacheMarks`.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ComponentKind } from '../../src/sdk/component.js';
import { cacheMarks } from '../../src/sdk/schema/cache-marks.js';
import { isRuntimeSpec } from '../../src/sdk/schema/spec.js';
import { builtinRegistry } from '../../src/plugins/registry.js';

async function marks(kind: ComponentKind, name: string) {
  const d = await builtinRegistry().load(kind, name);
  assert.ok(d && !isRuntimeSpec(d.schema));
  return cacheMarks(d.schema);
}

it('are readable from the built-in components', async () => {
  const shell = await marks('provisioner', 'shell');
  assert.deepEqual(shell.localPaths, ['script', 'scripts']);
  assert.ok(shell.noEffect.includes('pause_after'));
  const file = await marks('provisioner', 'file');
  assert.deepEqual(file.localPaths, ['source', 'sources']);
  const qemu = await marks('builder', 'qemu');
  for (const f of ['iso_url', 'http_directory', 'floppy_files', 'cd_files']) assert.ok(qemu.localPaths.includes(f), f);
  for (const f of ['boot_wait', 'shutdown_timeout', 'vnc_port_min', 'http_port_min']) assert.ok(qemu.noEffect.includes(f), f);
  assert.deepEqual((await marks('provisioner', 'sleep')).noEffect, ['duration']);
  const ansible = await marks('provisioner', 'ansible');
  for (const f of ['playbook_file', 'galaxy_file', 'inventory_file']) assert.ok(ansible.localPaths.includes(f), f);
  assert.ok(ansible.noEffect.includes('local_port'));
  const local = await marks('provisioner', 'ansible-local');
  for (const f of ['playbook_dir', 'role_paths', 'group_vars']) assert.ok(local.localPaths.includes(f), f);
});
