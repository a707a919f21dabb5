import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mockRegistry } from '../../../test/support/mock-components.js';
import { definePostProcessor, defineProvisioner } from '../../sdk/component.js';
import { ok } from '../../sdk/result.js';
import { list, str } from '../../sdk/schema/index.js';
import type { TemplateModel } from '../model.js';
import { jsonTemplateModel } from './json-model.js';
import { parseJsonTemplate, type JsonTemplate } from './json-template.js';

// Mock components (test/support) plus shell-local stand-ins with just `inline`.
const registry = mockRegistry([
  defineProvisioner({ name: 'shell-local', schema: { inline: list(str()) }, provision: () => Promise.resolve(ok(undefined)) }),
  definePostProcessor({
    name: 'shell-local',
    schema: { inline: list(str()) },
    postProcess: (_c, ctx) => Promise.resolve(ok({ artifact: ctx.artifact, keep: true, forceOverride: false })),
  }),
]);

function template(raw: unknown): JsonTemplate {
  const r = parseJsonTemplate(JSON.stringify(raw));
  if (r.kind !== 'ok') assert.fail(r.errors.join('\n'));
  return r.template;
}

async function model(raw: unknown, provided: Record<string, string> = {}, opts: { only?: string[]; except?: string[] } = {}): Promise<TemplateModel> {
  const r = await jsonTemplateModel(template(raw), provided, registry, { templatePath: '/tmp/t.json', ...opts });
  if (!r.model) assert.fail(r.diagnostics.map((d) => `${d.summary} ${d.detail}`).join('\n'));
  return r.model;
}

async function decoded(spec: { type: string; decode: TemplateModel['builds'][number]['builder']['decode'] }, kind: 'builder' | 'provisioner' | 'post-processor', generated?: Record<string, unknown>) {
  const def = await registry.load(kind, spec.type);
  assert.ok(def);
  // Provisioners and post-processors are prepared with the placeholders of the null builder's keys (none beyond the common ones).
  return spec.decode(def.schema, kind === 'builder' ? undefined : { keys: [], ...(generated ? { data: generated } : {}) });
}

const TWO = {
  variables: { fruit: 'apple', secret: 'hunter2' },
  'sensitive-variables': ['secret'],
  builders: [
    { type: 'null', communicator: 'none' },
    { type: 'null', name: 'named-{{user `fruit`}}', communicator: 'none' },
  ],
  provisioners: [
    { type: 'shell-local', inline: ['echo {{build_name}} {{build_type}} {{user `fruit`}}'], override: { null: { inline: ['echo overridden'] } } },
    { type: 'shell-local', only: ['null'], inline: ['echo only'], max_retries: '{{user `fruit` | len}}', pause_before: '2s' },
  ],
  'post-processors': [[{ type: 'manifest', name: 'm1' }, { type: 'shell-local', inline: ['echo pp'] }], 'manifest'],
};

describe('legacy JSON templates as the config model', () => {
  it('sorts builds by rendered name; named builders display as type.name', async () => {
    const m = await model(TWO);
    assert.deepEqual(m.builds.map((b) => [b.name, b.sourceName]), [['null.named-apple', 'named-apple'], ['null', 'null']]);
    assert.equal(m.syntax, 'json');
    assert.deepEqual(m.userVariables, { fruit: 'apple', secret: 'hunter2' });
    assert.deepEqual(m.sensitiveVariables, ['secret']);
    assert.deepEqual(m.secrets, ['hunter2']);
  });

  it('renders configs with the bare build name and type, and merges overrides by the raw builder name', async () => {
    const [named, plain] = (await model(TWO)).builds;
    assert.ok(named && plain);
    const a = await decoded(named.provisioners[0]!, 'provisioner');
    assert.deepEqual((a.config as { inline: string[] }).inline, ['echo named-apple null apple']);
    const b = await decoded(plain.provisioners[0]!, 'provisioner');
    assert.deepEqual((b.config as { inline: string[] }).inline, ['echo overridden']);
  });

  it('applies provisioner only/except, max_retries and pause_before', async () => {
    const [named, plain] = (await model(TWO)).builds;
    assert.equal(named?.provisioners.length, 1);
    assert.equal(plain?.provisioners.length, 2);
    assert.equal(plain?.provisioners[1]?.maxRetries, 5);
    assert.equal(plain?.provisioners[1]?.pauseBefore, 2000);
  });

  it('-only and -except are exact names; -except also ends post-processor chains by name', async () => {
    assert.deepEqual((await model(TWO, {}, { only: ['null'] })).builds.map((b) => b.name), ['null']);
    assert.deepEqual((await model(TWO, {}, { only: ['null*'] })).builds.map((b) => b.name), []);
    assert.deepEqual((await model(TWO, {}, { except: ['named-apple'] })).builds.map((b) => b.name), ['null']);
    const m = await model(TWO, {}, { except: ['m1'] });
    assert.deepEqual(m.builds[0]?.postProcessors.map((c) => c.map((p) => p.name)), [['manifest']]);
    const all = await model(TWO);
    assert.deepEqual(all.builds[0]?.postProcessors.map((c) => c.map((p) => p.name)), [['m1', 'shell-local'], ['manifest']]);
  });

  it('gives provisioners placeholder build data while preparing, the real data later', async () => {
    const m = await model({ builders: [{ type: 'null', communicator: 'none' }], provisioners: [{ type: 'shell-local', inline: ['{{ .Host }}', '{{ build `ID` }}'] }] });
    const p = m.builds[0]!.provisioners[0]!;
    const before = await decoded(p, 'provisioner');
    assert.deepEqual((before.config as { inline: string[] }).inline, ['Build_Host. To set this dynamically in the Packer template, you must use the `build` function', '{{.ID}}']);
    const after = await decoded(p, 'provisioner', { Host: '10.0.0.1', ID: 'i-1' });
    assert.deepEqual((after.config as { inline: string[] }).inline, ['10.0.0.1', 'i-1']);
  });

  it('reports unknown keys with the JSON dialect and unknown components as Packer does', async () => {
    const m = await model({ builders: [{ type: 'null', communicator: 'none', bogus: 1 }] });
    const d = await decoded(m.builds[0]!.builder, 'builder');
    assert.deepEqual(d.diagnostics.map((x) => x.summary), [`unknown configuration key: '"bogus"'`]);
    const r = await jsonTemplateModel(template({ builders: [{ type: 'nul' }] }), {}, registry);
    assert.equal(r.model, undefined);
    assert.deepEqual(r.diagnostics.map((x) => [x.summary, x.detail]), [['Failed to initialize build "nul"', 'Did you mean to use "null"?']]);
  });

  it('fails Initialize with Packer texts: required variables, min_packer_version', async () => {
    const r = await jsonTemplateModel(template({ variables: { a: null }, builders: [{ type: 'null' }] }), {}, registry);
    assert.deepEqual(r.diagnostics.map((x) => [x.summary, x.detail]), [['', '1 error occurred:\n\t* required variable not set: a\n\n']]);
    const v = await jsonTemplateModel(template({ min_packer_version: '99.0.0', builders: [{ type: 'null' }] }), {}, registry);
    assert.deepEqual(v.diagnostics.map((x) => x.detail), ['This template requires Packer version 99.0.0 or higher; using 1.16.0']);
  });
});
