/**
 * A plugin installed by `kiln init` runs: the release server publishes a wrapper around
 * Packer 1.6.6's null builder that answers `describe` itself (no protocol_version, as an
 * SDK < 0.6 plugin) and execs `packer plugin packer-builder-null` for `start builder …`.
 * After init, discovery finds it under its template name and the RPC client drives
 * ConfigSpec, Prepare and Run through the 3-part handshake the 1.6.6 component prints.
 * (`kiln build` does not route to plugins yet; this drives the components layer.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { builderVariables, prepareBuilder, runBuilder } from '../../src/external/components/calls.js';
import { launchOf, PluginInstance } from '../../src/external/components/instance.js';
import { chooseVersion, findInstalledPlugins, goPlatform } from '../../src/external/discovery/index.js';
import { ctyJsonBytes } from '../../src/external/rpc/cty-wire.js';
import * as cty from '../../src/hcl/cty/index.js';
import type { ObjectSpec } from '../../src/hcl/dec/spec.js';
import { objectSpecEntries } from '../../src/hcl/dec/spec.js';
import { recordingUi } from '../../src/plugins/provisioners/test-helpers.js';
import { ok } from '../../src/sdk/result.js';
import { FakeReleaseServer } from '../support/fake-release-server.js';
import { runMain } from '../support/run-main.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-installed-runs-'));
let server: FakeReleaseServer;
before(async () => {
  server = await new FakeReleaseServer(goPlatform()).start();
  server.add({ source: 'github.com/community/nullish', version: '1.6.6', describe: { builders: ['-packer-default-plugin-name-'], packer16: { '-packer-default-plugin-name-': 'null' } } });
});
after(async () => {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
});

test('kiln init installs a wrapped Packer 1.6.6 builder that then runs through the RPC client', async () => {
  const pluginDir = path.join(tmp, 'plugins');
  const env = { PACKER_PLUGIN_PATH: pluginDir, KILN_PLUGIN_MIRROR: server.url };
  const tpl = path.join(tmp, 'nullish.pkr.hcl');
  writeFileSync(tpl, 'packer {\n  required_plugins {\n    nullish = {\n      source  = "github.com/community/nullish"\n      version = "~> 1.6"\n    }\n  }\n}\n');
  const init = await runMain(['init', tpl], { env });
  assert.equal(init.status, 0, init.stdout);
  assert.match(init.stdout, /^Installed plugin github\.com\/community\/nullish v1\.6\.6 in /);

  const { plugins, diagnostics } = await findInstalledPlugins({ pluginPath: pluginDir, env: process.env });
  assert.deepEqual(diagnostics, []);
  const plugin = chooseVersion(plugins, 'github.com/community/nullish', '~> 1.6');
  assert.ok(plugin);
  assert.equal(plugin.protocolVersion, undefined);
  assert.deepEqual(plugin.components.builder, ['nullish']);
  const launch = launchOf(plugin, 'builder', 'nullish', process.env);
  assert.ok(launch && !launch.protobuf);
  const inst = await PluginInstance.start(launch, process.env);
  try {
    assert.equal(inst.process.handshake.form, 'legacy');
    const spec = (await inst.spec()) as ObjectSpec;
    const attrs: Record<string, cty.Value> = {};
    for (const [k, s] of objectSpecEntries(spec)) if (s.kind === 'attr') attrs[k] = k === 'communicator' ? cty.stringVal('none') : cty.nullVal(s.type);
    const vars = builderVariables({ buildName: 'n', builderType: 'nullish', coreVersion: '1.16.0', debug: false, force: false, onError: 'cleanup', userVariables: {}, sensitiveVariables: [] });
    const prep = await prepareBuilder(inst, [vars, ctyJsonBytes(cty.objectVal(attrs))]);
    assert.equal(prep.error, undefined);
    const hooks: string[] = [];
    const res = await runBuilder(inst, recordingUi(), { run: async (name) => (hooks.push(name), ok(undefined)) }, new AbortController().signal);
    assert.equal(res.kind, 'ok');
    assert.deepEqual(hooks, ['packer_provision']);
    assert.equal(res.kind === 'ok' ? res.value?.builderId : undefined, 'fnoeding.null');
  } finally {
    await inst.stop();
  }
});
