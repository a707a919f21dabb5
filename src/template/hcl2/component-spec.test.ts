import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cty from '../../hcl/cty/index.js';
import { EvalContext } from '../../hcl/eval-context.js';
import { parseNativeFile } from '../../hcl/syntax/body-file.js';
import type { InterpolateContext } from '../../sdk/interpolate/context.js';
import { block, blocks, decodeComponentConfig, duration, map, str } from '../../sdk/schema/index.js';

const SCHEMA = {
  execute_command: str().default('chmod +x {{.Path}}; {{.Vars}} {{.Path}}').late(),
  output: str().default('packer_{{build_name}}'),
  name: str(),
  timeout: duration(),
  tags: map(str()),
  nested: block({ fixed: str().default('{{build_type}}'), set: str() }),
  items: blocks({ set: str() }),
};

const INTERPOLATION = { buildName: 'web', buildType: 'docker' };

function decode(src: string, variables: Record<string, cty.Value> = {}, interpolation: InterpolateContext = INTERPOLATION) {
  const f = parseNativeFile(src, 'in.pkr.hcl');
  assert.deepEqual(f.diagnostics, []);
  const r = decodeComponentConfig(SCHEMA, { kind: 'hcl', body: f.body, ctx: new EvalContext({ variables }), label: 'provisioner "x"' }, interpolation);
  const failed = r.diagnostics.find((d) => d.summary === 'Failed preparing provisioner "x"');
  if (failed) return { kind: 'error' as const, message: failed.detail };
  return { kind: 'ok' as const, ...r };
}

describe('{{ }} in component configs (config.Decode order)', () => {
  it('leaves schema defaults to the component, late or not', () => {
    const r = decode('');
    assert.equal(r.kind, 'ok');
    assert.equal(r.kind === 'ok' && r.config.execute_command, 'chmod +x {{.Path}}; {{.Vars}} {{.Path}}');
    assert.equal(r.kind === 'ok' && r.config.output, 'packer_{{build_name}}');
  });

  it('renders what the template set, in nested blocks and map keys too, but not defaults beside it', () => {
    const r = decode('name = "{{build_name}}"\ntags = { "{{build_type}}" = "{{ build_name }}" }\nnested {\n  set = "{{build_type}}"\n}\nitems {\n  set = "a-{{build_name}}"\n}\n');
    assert.equal(r.kind, 'ok');
    if (r.kind !== 'ok') return;
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.config.name, 'web');
    assert.deepEqual(r.config.tags, { docker: 'web' });
    assert.deepEqual(r.config.nested, { fixed: '{{build_type}}', set: 'docker' });
    assert.deepEqual(r.config.items, [{ set: 'a-web' }]);
  });

  it('renders before type checks that read the text', () => {
    const r = decode('timeout = "{{build_name}}"\n', {}, { buildName: '90s' });
    assert.equal(r.kind, 'ok');
    if (r.kind === 'ok') assert.equal(r.config.timeout, 90_000);
  });

  it('keeps a late key as written but still checks that it parses', () => {
    const ok = decode('execute_command = "sudo {{ .Path }}"\n');
    assert.equal(ok.kind === 'ok' && ok.config.execute_command, 'sudo {{ .Path }}');
    const bad = decode('execute_command = "sudo {{ .Path "\n');
    assert.equal(bad.kind, 'error');
    assert.match(bad.kind === 'error' ? bad.message : '', /^invalid 'execute_command': .* in:\n\nsudo \{\{ \.Path $/s);
  });

  it("reports parse and render errors with Packer's prefixes", () => {
    const unknown = decode('name = "{{ nope }}"\n');
    assert.match(unknown.kind === 'error' ? unknown.message : '', /^invalid 'name': .*nope/s);
    const failing = decode('name = "{{ user `x` }}"\n');
    assert.match(failing.kind === 'error' ? failing.message : '', /^render 'name': .* in:\n\n\{\{ user `x` \}\}$/s);
  });

  it('keeps a sensitive value sensitive once rendered', () => {
    const r = decode('name = var.secret\n', { var: cty.objectVal({ secret: cty.mark(cty.stringVal('pw-{{build_name}}'), 'sensitive') }) });
    assert.equal(r.kind, 'ok');
    if (r.kind === 'ok') assert.deepEqual([r.config.name, r.secrets], ['pw-web', ['pw-web']]);
  });
});
