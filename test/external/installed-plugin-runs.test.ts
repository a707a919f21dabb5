/**
 * A plugin installed by `kiln init` runs: the release server publishes a wrapper around
 * Packer 1.6.6's null builder that answers `describe` itself (no protocol_version, as an
 * SDK < 0.6 plugin) and execs `packer plugin packer-builder-null` for `start builder …`.
 * After init, discovery finds it under its template name and the RPC client drives
 * ConfigSpec, Prepare and Run through the 3-part handshake the 1.6.6 component prints.
 * Then `kiln build` runs a template whose source is that installed plugin's builder, with
 * kiln's own shell-local provisioner.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

test('kiln build runs the builder of a plugin kiln init installed (missing before init)', async () => {
  const work = path.join(tmp, 'build');
  const env = { PACKER_PLUGIN_PATH: path.join(work, 'plugins'), KILN_PLUGIN_MIRROR: server.url };
  const tpl = path.join(work, 'build.pkr.hcl');
  const out = path.join(work, 'out.txt');
  mkdirSync(work, { recursive: true });
  writeFileSync(
    tpl,
    `packer {\n  required_plugins {\n    nullish = {\n      source  = "github.com/community/nullish"\n      version = "~> 1.6"\n    }\n  }\n}\n` +
      `source "nullish" "x" {\n  communicator = "none"\n}\n` +
      `build {\n  sources = ["source.nullish.x"]\n  provisioner "shell-local" {\n    inline = ["echo built-by-plugin > ${out}"]\n  }\n}\n`,
  );
  const before = await runMain(['build', '-color=false', tpl], { env, cwd: work });
  assert.equal(before.status, 1);
  assert.match(before.stdout, /nullish/);
  const init = await runMain(['init', tpl], { env, cwd: work });
  assert.equal(init.status, 0, init.stdout);
  const build = await runMain(['build', '-color=false', tpl], { env, cwd: work });
  assert.equal(build.status, 0, build.stdout + build.stderr);
  assert.match(build.stdout, /--> nullish\.x: Did not export anything\. This is the null builder/);
  assert.equal(readFileSync(out, 'utf8'), 'built-by-plugin\n');
});
