// `kiln validate` as a user runs it (bin/kiln over dist/; run `npm run build` first), on
// kiln's own small templates written to a temporary folder. Packer's validate table and
// the real-world corpus are in validate.conformance.test.ts (`npm run conformance`).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KilnRun } from '../support/packer-command.js';
import { runKiln } from '../support/packer-command.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-validate-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const kiln = (args: readonly string[]): KilnRun => runKiln(args, { cwd: tmp });

const NOTE_SOURCE = 'source "file" "note" {\n  target  = "note.txt"\n  content = "hello"\n}\n';
const FILE_BUILDER = { type: 'file', target: 'note.txt', content: 'hello' };

/** The templates the tests validate, by path relative to the temporary folder. */
const FIXTURES: Record<string, string> = {
  'valid.pkr.hcl': `packer {\n  required_version = ">= 1.0.0"\n}\n\n${NOTE_SOURCE}\nbuild {\n  sources = ["source.file.note"]\n}\n`,
  'unknown-source.pkr.hcl': `${NOTE_SOURCE}\nbuild {\n  sources = ["source.file.missing"]\n}\n`,
  'unknown-key.json': JSON.stringify({ builders: [FILE_BUILDER], provisioners: [{ type: 'file', remark: 'not a file option' }] }, null, 2),
  'not-a-list.json': JSON.stringify({ builders: [FILE_BUILDER], provisioners: 'a string' }, null, 2),
  'future.json': JSON.stringify({ builders: [FILE_BUILDER], min_packer_version: '101.0.0' }, null, 2),
  'vars/declared.pkr.hcl': `variable "used" {\n  type    = string\n  default = null\n}\n\n${NOTE_SOURCE}\nbuild {\n  sources = ["source.file.note"]\n}\n`,
  'vars/extra.pkrvars.hcl': 'unused = "set but never declared"\n',
  'data-source.pkr.hcl':
    'data "null" "direction" {\n  input = "upload"\n}\n\nsource "null" "n" {\n  communicator = "none"\n}\n\n' +
    'build {\n  sources = ["source.null.n"]\n\n  provisioner "file" {\n    source      = "valid.pkr.hcl"\n    destination = "copy"\n    direction   = "${data.null.direction.output}"\n  }\n}\n',
};

before(() => {
  for (const [name, text] of Object.entries(FIXTURES)) {
    mkdirSync(path.dirname(path.join(tmp, name)), { recursive: true });
    writeFileSync(path.join(tmp, name), text);
  }
});

describe('kiln validate: output', () => {
  it('says the configuration is valid', () => {
    const r = kiln(['validate', 'valid.pkr.hcl']);
    assert.equal(r.stdout, 'The configuration is valid.\n');
    assert.equal(r.status, 0);
  });

  it('-syntax-only stops after parsing, even when the config is invalid', () => {
    const r = kiln(['validate', '-syntax-only', 'unknown-key.json']);
    assert.equal(r.stdout, 'Syntax-only check passed. Everything looks okay.\n');
    assert.equal(r.status, 0);
  });

  it('prints an unknown source with its file, line and source line', () => {
    const r = kiln(['validate', 'unknown-source.pkr.hcl']);
    assert.equal(r.status, 1);
    assert.equal(
      r.stdout,
      'Error: Unknown source file.missing\n\n' +
        '  on unknown-source.pkr.hcl line 7, in build:\n' +
        '   7:   sources = ["source.file.missing"]\n\n' +
        'Known: [file.note]\n\n\n',
    );
  });

  it('prints a JSON Initialize error with an empty summary, as Packer does', () => {
    const r = kiln(['validate', 'future.json']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, 'Error: \n\nThis template requires Packer version 101.0.0 or higher; using 1.16.0\n\n\n');
  });

  it('warns about undeclared var-file values unless -no-warn-undeclared-var', () => {
    const args = ['-var-file', 'vars/extra.pkrvars.hcl', 'vars/declared.pkr.hcl'];
    const warned = kiln(['validate', ...args]);
    assert.equal(warned.status, 0);
    assert.match(warned.stdout, /^Warning: Undefined variable\n\n {2}on vars\/extra\.pkrvars\.hcl line 1:\n {3}1: unused = /);
    assert.ok(
      warned.stdout.endsWith(
        'The variable "unused" was set but was not declared as an input variable.\nTo declare variable "unused" place this block in one of your .pkr.hcl files,\nsuch as variables.pkr.hcl\n\nvariable "unused" {\n  type    = string\n  default = null\n}\n\n\nThe configuration is valid.\n',
      ),
      warned.stdout,
    );
    const quiet = kiln(['validate', '-no-warn-undeclared-var', ...args]);
    assert.equal(quiet.stdout, 'The configuration is valid.\n');
  });

  it('reports a JSON component key the schema does not know', () => {
    const r = kiln(['validate', 'unknown-key.json']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Error: unknown configuration key: '"remark"'\n/);
  });

  it('reports a JSON template that does not parse as Packer does', () => {
    const r = kiln(['validate', 'not-a-list.json']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Failed to parse file as legacy JSON template: if you are using an HCL template, check your file extensions; .*\nOriginal error: 1 error\(s\) decoding:\n\n\* 'Provisioners': source data must be an array or slice, got string\n$/);
  });

  it('reports a missing template path', () => {
    const r = kiln(['validate', 'no-such-template.json']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '"no-such-template.json": stat no-such-template.json: no such file or directory\n');
  });

  it('rejects -var without =', () => {
    const r = kiln(['validate', '-var', 'novalue', 'valid.pkr.hcl']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /invalid value "novalue" for flag -var: No '=' value in arg: novalue/);
  });

  it('needs exactly one template', () => {
    const r = kiln(['validate']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /Usage: kiln validate \[options\] TEMPLATE/);
  });

  it('-evaluate-datasources runs data sources (their real output reaches the components)', () => {
    assert.equal(kiln(['validate', 'data-source.pkr.hcl']).status, 1);
    assert.equal(kiln(['validate', '-evaluate-datasources', 'data-source.pkr.hcl']).status, 0);
  });

  it('-machine-readable writes ui lines', () => {
    const r = kiln(['validate', '-machine-readable', 'valid.pkr.hcl']);
    assert.match(r.stdout, /^\d+,,ui,say,The configuration is valid\.\n$/);
  });
});
