/**
 * The Packer 1.16 plugin protocol against a current-SDK plugin built from Go modules
 * (test/go-plugins, SDK 0.6.10): discovery's `describe`, the 4-part handshake,
 * `start … --protobuf` with protobuf specs (nested block and block list), the gob path
 * with PACKER_FORCE_GOB=1, Builder Prepare/Run with generated variables, and the
 * Datasource service with cty msgpack values.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as cty from '../../src/hcl/cty/index.js';
import type { Spec } from '../../src/hcl/dec/spec.js';
import { objectSpecEntries } from '../../src/hcl/dec/spec.js';
import { configure, execute, prepareBuilder, runBuilder } from '../../src/external/components/calls.js';
import { launchOf, PluginInstance } from '../../src/external/components/instance.js';
import { findInstalledPlugins } from '../../src/external/discovery/index.js';
import type { InstalledPlugin } from '../../src/external/discovery/types.js';
import { ctyJsonBytes } from '../../src/external/rpc/cty-wire.js';
import { recordingUi } from '../../src/plugins/provisioners/test-helpers.js';
import { ok } from '../../src/sdk/result.js';
import { installGoPlugins } from '../support/go-plugins.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-sdk-proto-'));
let kilntest: InstalledPlugin;
before(async () => {
  installGoPlugins(dir, ['kilntest']);
  const found = await findInstalledPlugins({ pluginPath: dir, env: process.env });
  assert.deepEqual(found.diagnostics, []);
  const p = found.plugins.find((x) => x.name === 'kilntest');
  assert.ok(p, 'kilntest plugin discovered');
  kilntest = p;
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A readable form of a spec: kinds, names and cty types. */
function shape(s: Spec): unknown {
  switch (s.kind) {
    case 'object':
      return Object.fromEntries(objectSpecEntries(s).map(([k, v]) => [k, shape(v)]));
    case 'attr':
      return `${cty.friendlyName(s.type)}${s.required ? '!' : ''}`;
    case 'block':
    case 'block-list':
      return { [s.kind]: shape(s.nested) };
    default:
      return s.kind;
  }
}

const echoShape = {
  message: 'string',
  labels: 'map of string',
  options: { block: { level: 'number', tags: 'list of string' } },
  step: { 'block-list': { name: 'string' } },
};

function echoConfig(message: string): Uint8Array {
  return ctyJsonBytes(
    cty.objectVal({
      message: cty.stringVal(message),
      labels: cty.mapVal({ a: cty.stringVal('b') }),
      options: cty.objectVal({ level: cty.numberIntVal(3), tags: cty.listVal([cty.stringVal('x'), cty.stringVal('y')]) }),
      step: cty.listVal([cty.objectVal({ name: cty.stringVal('one') }), cty.objectVal({ name: cty.stringVal('two') })]),
    }),
  );
}

const vars = { packer_build_name: 'b', packer_builder_type: 'kilntest', packer_debug: 'false', packer_force: 'false', packer_on_error: 'cleanup' };

test('describe says protocol v2; start --protobuf; 4-part handshake; protobuf spec with nested blocks; Prepare and Run', async () => {
  assert.equal(kilntest.protocolVersion, 'v2');
  assert.deepEqual(kilntest.components.builder, ['kilntest']);
  const launch = launchOf(kilntest, 'builder', 'kilntest', process.env);
  assert.equal(launch?.protobuf, true);
  const inst = await PluginInstance.start(launch!, process.env);
  try {
    assert.equal(inst.process.handshake.form, 'sdk');
    assert.equal(inst.process.handshake.apiVersion, '5.0');
    assert.deepEqual(shape(await inst.spec()), echoShape);

    const prep = await prepareBuilder(inst, [vars, echoConfig('hi')]);
    assert.deepEqual(prep, { generatedVars: ['EchoGenerated'], warnings: ['echo builder warning'] });
    const ui = recordingUi();
    let hookData: Record<string, unknown> = {};
    const res = await runBuilder(inst, ui, { run: async (_n, _u, _c, data) => ((hookData = { ...data }), ok(undefined)) }, new AbortController().signal);
    assert.equal(res.kind, 'ok', res.kind === 'error' ? res.error.message : '');
    assert.equal(hookData['EchoGenerated'], 'generated-hi');
    assert.ok(ui.lines.includes('say echo: hi (level 3, tags x,y, 2 steps, labels 1)'), ui.lines.join('\n'));
    assert.ok(ui.lines.includes('message step two'));
    const artifact = res.kind === 'ok' ? res.value : undefined;
    assert.equal(artifact?.id, 'echo-hi');
    assert.equal(artifact?.describe(), 'echo artifact: hi');
    assert.deepEqual(artifact?.state('generated_data'), { ID: 'echo', EchoGenerated: 'generated-hi' });

    const bad = await prepareBuilder(inst, [vars, echoConfig('fail')]);
    assert.equal(bad.error, 'message must not be "fail"');
  } finally {
    await inst.stop();
  }
});

test('PACKER_FORCE_GOB=1: started without --protobuf, the gob spec decodes to the same spec', async () => {
  const env = { ...process.env, PACKER_FORCE_GOB: '1' };
  const launch = launchOf(kilntest, 'builder', 'kilntest', env);
  assert.equal(launch?.protobuf, false);
  const inst = await PluginInstance.start(launch!, env);
  try {
    assert.deepEqual(shape(await inst.spec()), echoShape);
    assert.deepEqual((await prepareBuilder(inst, [vars, echoConfig('gob')])).generatedVars, ['EchoGenerated']);
  } finally {
    await inst.stop();
  }
});

test('Datasource: ConfigSpec, Configure (errors too), OutputSpec, Execute as a cty value', async () => {
  const launch = launchOf(kilntest, 'datasource', 'kilntest', process.env);
  const inst = await PluginInstance.start(launch!, process.env);
  try {
    assert.deepEqual(shape(await inst.spec()), { greeting: 'string!', count: 'number' });
    assert.deepEqual(shape(await inst.spec('OutputSpec')), { greeting: 'string', numbers: 'list of number' });
    const cfg = ctyJsonBytes(cty.objectVal({ greeting: cty.stringVal('hello'), count: cty.numberIntVal(2) }));
    assert.equal(await configure(inst, [cfg]), undefined);
    const res = await execute(inst, new AbortController().signal);
    assert.equal(res.kind, 'ok', res.kind === 'error' ? res.error.message : '');
    const v = res.kind === 'ok' ? res.value : cty.nullVal(cty.dynamicType);
    assert.equal(v.asMap().get('greeting')?.asString(), 'hello data');
    assert.deepEqual(v.asMap().get('numbers')?.asArray().map((n) => cty.numberToString(n.asNumber())), ['1', '2']);
    const badCfg = ctyJsonBytes(cty.objectVal({ greeting: cty.stringVal('x'), count: cty.stringVal('many') }));
    assert.match((await configure(inst, [badCfg])) ?? '', /count/);
  } finally {
    await inst.stop();
  }
});
