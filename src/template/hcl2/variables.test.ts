import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import * as cty from '../../hcl/cty/index.js';
import { renderDiagnostics } from '../../hcl/diagnostic-text.js';
import { mockRegistry } from '../../../test/support/mock-components.js';
import type { LoadOptions, LoadResult } from '../load-hcl2-template.js';
import { loadHcl2Template } from '../load-hcl2-template.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function template(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-vars-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const BUILD = 'source "null" "a" {\n  communicator = "none"\n}\nbuild {\n  sources = ["null.a"]\n}\n';

function load(dir: string, opts: LoadOptions = {}): Promise<LoadResult> {
  return loadHcl2Template(dir, { env: {}, ...opts }, mockRegistry());
}

function value(r: LoadResult, name: string): string {
  const v = r.description?.variables.find((x) => x.name === name);
  assert.ok(v, `variable ${name}`);
  return cty.unmarkDeep(v.value)[0].asString();
}

const text = (r: LoadResult) => renderDiagnostics(r.diagnostics, r.files);

describe('variable values', () => {
  it('take default < env < auto var files < -var-file < -var', async () => {
    const dir = template({
      'main.pkr.hcl': `variable "a" { default = "default" }\nvariable "b" { default = "default" }\nvariable "c" { default = "default" }\nvariable "d" { default = "default" }\nvariable "e" { default = "default" }\n${BUILD}`,
      'x.auto.pkrvars.hcl': 'b = "auto"\nc = "auto"\nd = "auto"\ne = "auto"\n',
      'extra.pkrvars.hcl': 'c = "file"\nd = "file"\ne = "file"\n',
    });
    const r = await load(dir, {
      env: { PKR_VAR_a: 'env', PKR_VAR_b: 'env', PKR_VAR_e: 'env' },
      varFiles: [path.join(dir, 'extra.pkrvars.hcl')],
      vars: [
        ['d', 'flag'],
        ['d', 'last flag'],
      ],
    });
    assert.equal(text(r), '');
    assert.deepEqual(
      ['a', 'b', 'c', 'd', 'e'].map((n) => value(r, n)),
      ['env', 'auto', 'file', 'last flag', 'file'],
    );
  });

  it('reads auto var files only for a directory', async () => {
    const dir = template({ 'main.pkr.hcl': `variable "a" { default = "default" }\n${BUILD}`, 'x.auto.pkrvars.hcl': 'a = "auto"\n' });
    assert.equal(value(await load(dir), 'a'), 'auto');
    assert.equal(value(await load(path.join(dir, 'main.pkr.hcl')), 'a'), 'default');
  });

  it('takes -var and env text literally for strings and parses it for other types', async () => {
    const dir = template({ 'main.pkr.hcl': `variable "s" { type = string }\nvariable "l" { type = list(string) }\n${BUILD}` });
    const r = await load(dir, { vars: [['s', '${upper("x")}'], ['l', '["a", "b"]']] });
    assert.equal(text(r), '');
    assert.equal(value(r, 's'), '${upper("x")}');
    const l = r.description!.variables.find((v) => v.name === 'l')!;
    assert.deepEqual(l.value.asArray().map((e) => e.asString()), ['a', 'b']);
  });

  it('evaluates var files without functions or references', async () => {
    const dir = template({ 'main.pkr.hcl': `variable "a" { default = "x" }\n${BUILD}`, 'v.pkrvars.hcl': 'a = upper("y")\n' });
    const r = await load(dir, { varFiles: [path.join(dir, 'v.pkrvars.hcl')] });
    assert.match(text(r), /Function calls not allowed/);
  });

  it('reports every unset variable, used or not, at its declaration', async () => {
    const dir = template({ 'main.pkr.hcl': `variable "unused" {\n  type = string\n}\n${BUILD}` });
    const r = await load(dir);
    assert.equal(r.model, undefined);
    assert.match(text(r), /Error: Unset variable "unused"\n\n {2}on .*main\.pkr\.hcl line 1, in variable "unused":/);
  });

  it('rejects an undeclared -var and a variable block in a var file', async () => {
    const dir = template({ 'main.pkr.hcl': BUILD, 'v.pkrvars.hcl': 'variable "x" {}\n' });
    assert.match(text(await load(dir, { vars: [['nope', '1']] })), /Undefined -var variable/);
    assert.match(text(await load(dir, { varFiles: [path.join(dir, 'v.pkrvars.hcl')] })), /Variable declaration in a .pkrvar file/);
  });

  it('converts values to the type and reports mismatches', async () => {
    const dir = template({ 'main.pkr.hcl': `variable "n" {\n  type = number\n  default = "nope"\n}\n${BUILD}` });
    assert.match(text(await load(dir)), /Invalid default value for variable/);
  });

  it('rejects attributes Packer does not know, such as nullable', async () => {
    const dir = template({ 'main.pkr.hcl': `variable "n" {\n  default = 1\n  nullable = true\n}\n${BUILD}` });
    assert.match(text(await load(dir)), /Unsupported argument[\s\S]*nullable/);
  });

  it('allows env() only in defaults', async () => {
    const dir = template({ 'main.pkr.hcl': `variable "home" { default = env("KILN_T") }\nlocals { x = env("KILN_T") }\n${BUILD}` });
    const r = await load(dir, { env: { KILN_T: 'here' } });
    assert.equal(value(r, 'home'), 'here');
    assert.match(text(r), /Call to unknown function[\s\S]*env/);
  });
});

describe('validation blocks', () => {
  const src = (def: string) =>
    `variable "id" {\n  default = "${def}"\n  validation {\n    condition     = substr(var.id, 0, 4) == "ami-"\n    error_message = "The id must start with \\"ami-\\"."\n  }\n}\n${BUILD}`;

  it('pass a valid value and report an invalid one with its message and rule location', async () => {
    assert.equal(text(await load(template({ 'main.pkr.hcl': src('ami-123') }))), '');
    const r = await load(template({ 'main.pkr.hcl': src('nope') }));
    assert.match(text(r), /Error: Invalid value for default variable/);
    assert.match(text(r), /The id must start with "ami-"\.\n\nThis was checked by the validation rule at .*main\.pkr\.hcl:3,3-13\./);
  });

  it('check the value that wins, naming where it came from', async () => {
    const r = await load(template({ 'main.pkr.hcl': src('ami-123') }), { vars: [['id', 'bad']] });
    assert.match(text(r), /Invalid value for cmd variable/);
  });

  it('require the condition to use the variable and only it, and a sentence as message', async () => {
    const body = (cond: string, msg: string) =>
      `variable "other" { default = "x" }\nvariable "id" {\n  default = "x"\n  validation {\n    condition = ${cond}\n    error_message = "${msg}"\n  }\n}\n${BUILD}`;
    assert.match(text(await load(template({ 'main.pkr.hcl': body('var.other == "x"', 'Fine.') }))), /Invalid reference in variable validation/);
    assert.match(text(await load(template({ 'main.pkr.hcl': body('true', 'Fine.') }))), /Invalid variable validation condition/);
    assert.match(text(await load(template({ 'main.pkr.hcl': body('var.id != ""', 'lower case') }))), /Invalid validation error message/);
  });
});

describe('sensitive values', () => {
  it('are marked, listed as secrets with their lines, and reach component configs as secrets', async () => {
    const dir = template({
      'main.pkr.hcl':
        'variable "pw" {\n  default = "s3cret"\n  sensitive = true\n}\nvariable "key" {\n  default = "line one\\nline two"\n  sensitive = true\n}\n' +
        'local "derived" {\n  expression = "${var.pw}-x"\n  sensitive = true\n}\n' +
        'source "amazon-ebs" "a" {\n  string = var.pw\n}\nbuild {\n  sources = ["amazon-ebs.a"]\n}\n',
    });
    const r = await load(dir);
    assert.equal(text(r), '');
    const model = r.model!;
    assert.deepEqual(model.sensitiveVariables, ['pw', 'key']);
    for (const s of ['s3cret', 'line one\nline two', 'line one', 'line two', 's3cret-x']) assert.ok(model.secrets.includes(s), s);
    assert.ok(r.description!.variables.find((v) => v.name === 'pw')!.value.isMarked());
    const { MOCK_SCHEMA } = await import('../../../test/support/mock-components.js');
    const decoded = model.builds[0]!.builder.decode(MOCK_SCHEMA);
    assert.equal(decoded.config['string'], 's3cret');
    assert.deepEqual(decoded.secrets, ['s3cret']);
  });
});

describe('variable defaults', () => {
  // Literal text is appended without evaluating it: each default must give what the
  // evaluated form of the same text gives (env() calls: call-direct.test.ts).
  const pairs: Array<[string, string]> = [
    ['"Linux"', '"${"Linux"}"'],
    ['"e\\u0301x"', '"${"e\\u0301"}x"'],
    ['"pre-${env("A")}-post"', '"${"pre-"}${env("A")}${"-post"}"'],
    ['"${env("A")}"', '"${"from env"}"'],
    ['"${env("UNSET")}"', '"${""}"'],
  ];
  for (const [fast, general] of pairs) {
    it(`${fast} equals ${general}`, async () => {
      const dir = template({ 'main.pkr.hcl': `variable "fast" { default = ${fast} }\nvariable "general" { default = ${general} }\n` });
      const r = await load(dir, { syntaxOnly: true, env: { A: 'from env' } });
      assert.equal(text(r), '');
      assert.equal(value(r, 'fast'), value(r, 'general'));
    });
  }

  it('report bad env() calls at the argument or call', async () => {
    const dir = template({
      'main.pkr.hcl': 'variable "a" { default = env("A", "B") }\nvariable "b" { default = env() }\nvariable "c" { default = env(null) }\nvariable "d" { default = env(["A"]) }\nvariable "e" { default = upper("a") }\n',
    });
    const r = await load(dir, { syntaxOnly: true, env: { A: 'x' } });
    assert.deepEqual(
      r.diagnostics.map((d) => `${d.summary} @${d.subject?.start.line}:${d.subject?.start.column}-${d.subject?.end.column}`),
      [
        'Too many function arguments @1:36-37',
        'Not enough function arguments @2:30-31',
        'Invalid function argument @3:30-34',
        'Invalid function argument @4:30-31',
        'Call to unknown function @5:26-31',
      ],
    );
  });
});
