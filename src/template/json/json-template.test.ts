import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJsonTemplate, validateJsonTemplate, type JsonTemplate } from './json-template.js';
import { checkMinPackerVersion, parseJsonVarFile, resolveJsonVariables } from './json-variables.js';

function ok(text: string): JsonTemplate {
  const r = parseJsonTemplate(text);
  if (r.kind !== 'ok') assert.fail(r.errors.join('\n'));
  return r.template;
}

function errors(text: string): string[] {
  const r = parseJsonTemplate(text);
  assert.equal(r.kind, 'error');
  return r.kind === 'error' ? r.errors : [];
}

describe('legacy JSON template parsing', () => {
  it('decodes builders, provisioners, post-processors and variables', () => {
    const t = ok(JSON.stringify({
      description: 'd', min_packer_version: '1.0.0', _comment: 'c',
      variables: { a: 'x', req: null }, 'sensitive-variables': ['a'],
      builders: [{ type: 'null', communicator: 'none' }, { type: 'null', name: 'two' }],
      provisioners: [{ type: 'shell', only: ['two'], pause_before: '10s', max_retries: 3, inline: ['echo'] }],
      'post-processors': ['manifest', [{ type: 'shell-local', name: 'x', keep_input_artifact: true }, 'checksum']],
      push: { name: 'ignored' },
    }));
    assert.deepEqual(t.builders, [{ name: 'null', type: 'null', config: { communicator: 'none' } }, { name: 'two', type: 'null', config: {} }]);
    assert.deepEqual(t.variables, [
      { name: 'a', default: 'x', required: false, sensitive: true },
      { name: 'req', default: '', required: true, sensitive: false },
    ]);
    assert.deepEqual(t.provisioners[0], { type: 'shell', only: ['two'], except: [], override: {}, pauseBefore: '10s', timeout: undefined, maxRetries: '3', config: { inline: ['echo'] } });
    assert.deepEqual(t.postProcessors.map((c) => c.map((p) => `${p.name}/${p.type}/${String(p.keepInputArtifact)}`)), [['manifest/manifest/undefined'], ['x/shell-local/true', 'checksum/checksum/undefined']]);
    assert.deepEqual(t.comments, { _comment: 'c' });
    assert.deepEqual(validateJsonTemplate(t), []);
  });

  const ERRORS: [string, string, string[]][] = [
    ['duplicate builder names', '{"builders":[{"type":"null"},{"type":"null"}]}', ["builder 2: builder with name 'null' already exists"]],
    ['missing builder type', '{"builders":[{"name":"x"}]}', ["builder 1: missing 'type'"]],
    ['unknown root keys', '{"zzz":1,"builders":[],"aaa":2}', ["Unknown root level key in template: 'aaa'", "Unknown root level key in template: 'zzz'"]],
    ['non-string comment', '{"_c": 1}', ['Failed to cast root level comment value in comment "_c" to string.']],
    ['non-string variable', '{"variables":{"n":1}}', ["variable n: '' expected type 'string', got unconvertible type 'float64', value: '1'"]],
    ['nested post-processor sequence', '{"post-processors":[["a",["b"]]]}', ['post-processor 1.2: sequence not allowed to be nested in a sequence']],
    ['post-processor without type', '{"post-processors":[{"name":"x"}]}', ['post-processor 1.1: type is required']],
    ['provisioner without type', '{"provisioners":[{}]}', ["provisioner 1: Provisioner missing 'type'"]],
    ['duplicate keys anywhere', '{"builders":[{"type":"a","x":1,"x":2}]}', ['template has duplicate field: x']],
  ];
  for (const [name, text, expected] of ERRORS) it(name, () => assert.deepEqual(errors(text), expected));

  it('reports JSON syntax errors as Packer does', () => {
    assert.deepEqual(errors('{\n  "builders": [\n    {"type": "null",}\n  ]\n}'), [
      'Error parsing JSON: invalid character \'}\' looking for beginning of object key string\n' +
        'At line 3, column 22 (offset 39):\n    2:   "builders": [\n    3:     {"type": "null",}\n                           ^\n',
    ]);
    assert.match(errors('{"a": ')[0] ?? '', /^Error parsing JSON: unexpected end of JSON input\nAt line 1, column 6 \(offset 6\):/);
    assert.match(errors('{"a" 1}')[0] ?? '', /invalid character '1' after object key/);
    assert.match(errors('[1,]')[0] ?? '', /invalid character '\]' looking for beginning of value/);
  });

  it('validates like Template.Validate', () => {
    const t = ok(JSON.stringify({
      provisioners: [{ type: 's', only: ['a'], except: ['b'] }, { type: 's', only: ['nope'], override: { gone: {} } }],
      'post-processors': [{ type: 'p', except: ['nope'] }],
    }));
    assert.deepEqual(validateJsonTemplate(t), [
      'at least one builder must be defined',
      "provisioner 1: only one of 'only' or 'except' may be specified",
      "provisioner 2: 'only' specified builder 'nope' not found",
      "provisioner 2: override 'gone' doesn't exist",
      "post-processor 1.1: 'except' specified builder 'nope' not found",
    ]);
  });

  it('checks min_packer_version', () => {
    assert.equal(checkMinPackerVersion('1.16.0'), undefined);
    assert.equal(checkMinPackerVersion('1.17'), 'This template requires Packer version 1.17.0 or higher; using 1.16.0');
    assert.equal(checkMinPackerVersion('x'), 'min_version is invalid: Malformed version: x');
  });
});

describe('legacy JSON variables', () => {
  const t = ok(JSON.stringify({
    variables: { foo: 'bar', baz: '{{user `foo`}}baz', bang: 'bang{{user `baz`}}', home: '{{env `KILN_HOME`}}', later: '{{ .HTTPIP }}-{{user `foo`}}' },
    builders: [{ type: 'null' }],
  }));
  it('resolves iteratively with env enabled, keeping {{ .X }}', () => {
    const r = resolveJsonVariables(t, {}, { env: { KILN_HOME: '/h' } });
    assert.deepEqual(r, { kind: 'ok', values: { bang: 'bangbarbaz', baz: 'barbaz', foo: 'bar', home: '/h', later: '{{ .HTTPIP }}-bar' } });
  });
  it('-var and -var-file win over defaults', () => {
    const r = resolveJsonVariables(t, { foo: 'cli' }, { env: {} });
    assert.equal(r.kind === 'ok' ? r.values['bang'] : '', 'bangclibaz');
  });
  it('required variables', () => {
    const req = ok('{"variables":{"r":null},"builders":[{"type":"null"}]}');
    assert.deepEqual(resolveJsonVariables(req, {}), { kind: 'error', errors: ['required variable not set: r'] });
  });
  it('undefined references', () => {
    const bad = ok('{"variables":{"a":"{{user `nope`}}"}}');
    assert.deepEqual(resolveJsonVariables(bad, {}), {
      kind: 'error',
      errors: ['Failed to interpolate "a": "{{user `nope`}}"; error: template: root:1:2: executing "root" at <user `nope`>: error calling user: Error: variable not set: nope: Please make sure that the variable you\'re referencing has been defined; Packer treats all variables used to interpolate other user variables as required.'],
    });
  });
  it('var files hold strings only', () => {
    assert.deepEqual(parseJsonVarFile('{"a":"b"}'), { kind: 'ok', values: { a: 'b' } });
    assert.deepEqual(parseJsonVarFile('{"a":1}'), { kind: 'error', errors: ['json: cannot unmarshal number into Go value of type string'] });
  });
});
