/**
 * The plugin protocol against real Packer 1.6.6 components (Debian's `packer`, each
 * built-in served with `packer plugin packer-<kind>-<name>` behind a two-line wrapper
 * named like a Packer ≤1.6 single-component plugin): the 3-part handshake, gob specs,
 * Builder.Run with the Hook and Ui callbacks, a provisioner over kiln's local
 * communicator (upload, commands, gob exit status), a post-processor reading a kiln
 * artifact and returning its own.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import * as cty from '../../src/hcl/cty/index.js';
import type { ObjectSpec } from '../../src/hcl/dec/spec.js';
import { objectSpecEntries } from '../../src/hcl/dec/spec.js';
import { builderVariables, configure, postProcess, prepareBuilder, provision, runBuilder } from '../../src/external/components/calls.js';
import { launchOf, PluginInstance } from '../../src/external/components/instance.js';
import type { ComponentKind, InstalledPlugin } from '../../src/external/discovery/types.js';
import { ctyJsonBytes } from '../../src/external/rpc/cty-wire.js';
import { LocalCommunicator } from '../../src/plugins/communicators/local/index.js';
import type { Artifact } from '../../src/sdk/artifact.js';
import type { PackerConfig } from '../../src/sdk/component.js';
import { ok } from '../../src/sdk/result.js';
import { recordingUi } from '../../src/plugins/provisioners/test-helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-plugin16-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const packer: PackerConfig = {
  buildName: 'proto',
  builderType: 'null',
  coreVersion: '1.6.6',
  debug: false,
  force: false,
  onError: 'cleanup',
  userVariables: {},
  sensitiveVariables: [],
};

/** A legacy single-component plugin for a 1.6.6 built-in. */
function legacy(kind: ComponentKind, name: string): InstalledPlugin {
  const file = path.join(dir, `packer-${kind}-${name}`);
  writeFileSync(file, `#!/bin/sh\nexec packer plugin packer-${kind}-${name}\n`);
  chmodSync(file, 0o755);
  const components = { builder: [], provisioner: [], 'post-processor': [], datasource: [] } as Record<ComponentKind, string[]>;
  components[kind].push(name);
  return { name, path: file, form: 'single', components };
}

async function start(kind: ComponentKind, name: string): Promise<PluginInstance> {
  const launch = launchOf(legacy(kind, name), kind, name, process.env);
  assert.ok(launch);
  return PluginInstance.start(launch, process.env);
}

/** The config object Packer sends: every attribute of the spec, unset ones null. */
function configValue(spec: ObjectSpec, values: Record<string, cty.Value>): Uint8Array {
  const attrs: Record<string, cty.Value> = {};
  for (const [k, s] of objectSpecEntries(spec)) if (s.kind === 'attr') attrs[k] = values[k] ?? cty.nullVal(s.type);
  return ctyJsonBytes(cty.objectVal(attrs));
}

const vars = builderVariables(packer);

test('1.6.6 null builder: 3-part handshake, gob spec, Prepare, Run calls the provisioning hook', async () => {
  const inst = await start('builder', 'null');
  try {
    assert.equal(inst.process.handshake.form, 'legacy');
    const spec = (await inst.spec()) as ObjectSpec;
    const attrs = new Map(objectSpecEntries(spec));
    assert.equal(attrs.get('communicator')?.kind, 'attr');
    const prep = await prepareBuilder(inst, [vars, configValue(spec, { communicator: cty.stringVal('none') })]);
    assert.equal(prep.error, undefined);
    const hookCalls: { name: string; data: Record<string, unknown> }[] = [];
    const ui = recordingUi();
    const res = await runBuilder(inst, ui, { run: async (name, _ui, _comm, data) => (hookCalls.push({ name, data: { ...data } }), ok(undefined)) }, new AbortController().signal);
    assert.equal(res.kind, 'ok');
    assert.equal(hookCalls[0]?.name, 'packer_provision');
    assert.equal(hookCalls[0]?.data['ID'], 'Null');
    assert.equal(res.kind === 'ok' ? res.value?.builderId : undefined, 'fnoeding.null');

    const bad = await prepareBuilder(inst, [vars, configValue(spec, { communicator: cty.stringVal('ssh') })]);
    assert.match(bad.error ?? '', /a Host must be specified/);
  } finally {
    await inst.stop();
  }
  assert.equal(inst.process.exited, true);
  assert.equal(existsSync(inst.process.handshake.address), false, 'socket removed');
});

test('1.6.6 shell provisioner over kiln\'s local communicator: upload, run, exit status', async () => {
  const inst = await start('provisioner', 'shell');
  const out = path.join(dir, 'shell-out.txt');
  try {
    const spec = (await inst.spec()) as ObjectSpec;
    const cfg = configValue(spec, { inline: cty.listVal([cty.stringVal(`echo hello-from-plugin > ${out}`), cty.stringVal('echo to-stdout')]) });
    assert.equal(await configure(inst, [vars, cfg, null]), undefined);
    const ui = recordingUi();
    const res = await provision(inst, ui, new LocalCommunicator(), { ID: 'x' }, new AbortController().signal);
    assert.deepEqual(res, { kind: 'ok', value: undefined });
    assert.equal(readFileSync(out, 'utf8'), 'hello-from-plugin\n');
    assert.ok(ui.lines.some((l) => l.includes('to-stdout')), ui.lines.join('\n'));

    const failing = configValue(spec, { inline: cty.listVal([cty.stringVal('exit 3')]) });
    assert.equal(await configure(inst, [vars, failing, null]), undefined);
    const res2 = await provision(inst, ui, new LocalCommunicator(), { ID: 'x' }, new AbortController().signal);
    assert.equal(res2.kind, 'error');
    assert.match(res2.kind === 'error' ? res2.error.message : '', /non-zero exit status: 3/);
  } finally {
    await inst.stop();
  }
});

test('1.6.6 checksum post-processor reads a kiln artifact and returns its own', async () => {
  const inst = await start('post-processor', 'checksum');
  const file = path.join(dir, 'artifact.bin');
  writeFileSync(file, 'kiln artifact bytes\n');
  const artifact: Artifact = {
    builderId: 'kiln.test',
    files: [file],
    id: 'a1',
    describe: () => 'test artifact',
    state: (n) => (n === 'generated_data' ? { ID: 'a1' } : undefined),
    destroy: async () => undefined,
  };
  try {
    const spec = (await inst.spec()) as ObjectSpec;
    const output = path.join(dir, 'sums', '{{.ChecksumType}}.sum');
    const cfg = configValue(spec, { checksum_types: cty.listVal([cty.stringVal('sha256')]), output: cty.stringVal(output) });
    assert.equal(await configure(inst, [vars, cfg]), undefined);
    const res = await postProcess(inst, recordingUi(), artifact, new AbortController().signal);
    assert.equal(res.kind, 'ok', res.kind === 'error' ? res.error.message : '');
    if (res.kind !== 'ok') return;
    const sumFile = path.join(dir, 'sums', 'sha256.sum');
    const want = createHash('sha256').update(readFileSync(file)).digest('hex');
    assert.match(readFileSync(sumFile, 'utf8'), new RegExp(`^${want}\\s+`));
    assert.deepEqual(res.value.artifact?.files, [file, sumFile]);
    assert.equal(res.value.keep, true);
  } finally {
    await inst.stop();
  }
});
