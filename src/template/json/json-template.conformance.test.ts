// Legacy JSON templates from Packer's own command fixtures (../shared/conformance/
// packer-templates): part of `npm run conformance`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { sharedPath } from '../../../test/support/shared.js';
import { parseJsonTemplate, validateJsonTemplate, type JsonTemplate } from './json-template.js';
import { parseJsonVarFile, resolveJsonVariables } from './json-variables.js';

/** The fixture at `p` under Packer's command folder, parsed: a template or its errors. */
function parsed(p: string): JsonTemplate | string[] {
  const r = parseJsonTemplate(readFileSync(sharedPath('conformance', 'packer-templates', 'command', 'test-fixtures', p), 'utf8'));
  return r.kind === 'ok' ? r.template : r.errors;
}

function ok(p: string): JsonTemplate {
  const t = parsed(p);
  if (Array.isArray(t)) assert.fail(t.join('\n'));
  return t;
}

describe('Packer fixtures (shared/conformance/packer-templates)', () => {
  it('fruit_builder.json with apple.json var file', () => {
    const t = ok('var-arg/fruit_builder.json');
    const vf = parseJsonVarFile(readFileSync(sharedPath('conformance', 'packer-templates', 'command', 'test-fixtures', 'var-arg', 'apple.json'), 'utf8'));
    assert.equal(vf.kind, 'ok');
    const r = resolveJsonVariables(t, vf.kind === 'ok' ? vf.values : {});
    assert.equal(r.kind === 'ok' ? r.values['fruit'] : undefined, 'apple');
  });
  it('validate/build.json is valid; validate-invalid/broken.json is rejected', () => {
    assert.deepEqual(validateJsonTemplate(ok('validate/build.json')), []);
    assert.deepEqual(parsed('validate-invalid/broken.json'), [
      "1 error(s) decoding:\n\n* 'Provisioners': source data must be an array or slice, got string",
    ]);
  });
  it('validate/null_var.json needs its variable', () => {
    const t = ok('validate/null_var.json');
    assert.equal(resolveJsonVariables(t, {}).kind, 'error');
  });
  it('build-only/template.json parses with named chains', () => {
    const t = ok('build-only/template.json');
    assert.ok(t.builders.length > 0);
    assert.deepEqual(validateJsonTemplate(t), []);
  });
});
