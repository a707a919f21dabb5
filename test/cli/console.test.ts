// `kiln console` with piped standard input, as a user runs it (bin/kiln over dist/;
// run `npm run build` first), on kiln's own templates in a temporary folder: value
// formatting, JSON mode and exit codes. Packer's console_test.go table is in
// console.conformance.test.ts (`npm run conformance`).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KilnRun } from '../support/packer-command.js';
import { runKiln } from '../support/packer-command.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-console-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const kiln = (args: readonly string[], input: string): KilnRun => runKiln(args, { cwd: tmp, input });

before(() => {
  writeFileSync(
    path.join(tmp, 'vars.pkr.hcl'),
    'variable "plain" {\n  default = "anyone may read this"\n}\n\nvariable "secret" {\n  default   = "nobody may read this"\n  sensitive = true\n}\n',
  );
  writeFileSync(
    path.join(tmp, 'fruit.json'),
    JSON.stringify({ variables: { fruit: null }, builders: [{ type: 'null', communicator: 'none' }] }, null, 2),
  );
  writeFileSync(path.join(tmp, 'broken.json'), JSON.stringify({ builders: [{ type: 'null', communicator: 'none' }], provisioners: 'a string' }));
});

describe('kiln console: piped input', () => {
  const hcl = ['console', '-config-type=hcl2'];
  it('prints only the last result', () => {
    assert.equal(kiln(hcl, '1 + 1\nupper("a")\n').stdout, 'A\n');
  });
  it("formats values as Packer's repl.FormatResult", () => {
    const cases: [string, string][] = [
      ['[1, "a", true]', '[\n  1,\n  "a",\n  true,\n]\n'],
      ['{ b = 1, a = ["x"] }', '{\n  "a" = [\n    "x",\n  ]\n  "b" = 1\n}\n'],
      ['1.5', '1.5\n'],
      ['1e21', '1e+21\n'],
      ['null', 'null\n'],
      ['[]', '[]\n'],
      ['{ a = null }', '{}\n'],
      ['"a\\nb"', 'a\nb\n'],
      ['["a\\nb"]', '[\n  "a\\nb",\n]\n'],
    ];
    for (const [input, want] of cases) assert.equal(kiln(hcl, `${input}\n`).stdout, want, input);
  });
  it('an error prints the diagnostic with the quoted input and exits 1', () => {
    const r = kiln(hcl, 'var.nope\n');
    assert.equal(r.status, 1);
    // The diagnostic (through the UI's error stream), then the empty last result.
    assert.equal(r.stdout, 'Error: Unsupported attribute\n\n  on <console-input> line 1:\n   1: var.nope\n\nThis object does not have an attribute named "nope".\n\n\n\n');
  });
  it('the exit code follows the last line that had diagnostics', () => {
    assert.equal(kiln(hcl, 'var.nope\n1\n').status, 1);
  });
  it('variables lists input and local variables, sensitive values masked', () => {
    const r = kiln(['console', 'vars.pkr.hcl'], 'variables\n');
    assert.match(r.stdout, /^> input-variables:\n\nvar\.plain: "anyone may read this"\n/);
    assert.match(r.stdout, /\nvar\.secret: "<sensitive>"\n/);
    assert.ok(!r.stdout.includes('nobody may read this'));
  });
  it('JSON mode renders {{ }} with the user variables', () => {
    const r = kiln(['console', '-var', 'fruit=banana', 'fruit.json'], '{{user `fruit`}}-{{upper "x"}}\n');
    assert.equal(r.stdout, 'banana-X\n');
    assert.equal(r.status, 0);
  });
  it('JSON mode: a template error is an error diagnostic', () => {
    const r = kiln(['console'], '{{nosuchfunc}}\n');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Error: Interpolation error\n\n/);
  });
  it('JSON mode variables', () => {
    const r = kiln(['console', '-var', 'fruit=banana', 'fruit.json'], 'variables\n');
    assert.equal(r.stdout, '\nfruit: banana,\n\n');
  });
  it('a template that does not parse fails before reading input', () => {
    const r = kiln(['console', 'broken.json'], '1\n');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Failed to parse file as legacy JSON template/);
  });
});
