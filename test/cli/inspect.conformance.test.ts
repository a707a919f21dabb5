// `kiln inspect` as a user runs it (bin/kiln over dist/; run `npm run build` first):
// Packer's golden texts (command/inspect_test.go through the shared conformance index,
// the sensitive-variables fixture) and the real-world corpus, both in ../shared: part of
// `npm run conformance`. inspect.test.ts has legacy JSON mode on kiln's own template.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { commandCases, commandDir, runKiln } from '../support/packer-command.js';
import { sharedPath } from '../support/shared.js';

const kiln = (args: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}) => runKiln(args, { ...opts, cwd: opts.cwd ?? commandDir() });
const local = (a: string): string => a.replace(/^command\//, '').replace(/^(-[a-z-]+=)command\//, '$1');

describe('kiln inspect: Packer inspect_test.go (Test_commands)', () => {
  const cases = commandCases<{ readonly command: string[]; readonly env: string[] | null; readonly expected: unknown }>().filter((c) => c.source.test === 'Test_commands' && typeof c.fields.expected === 'string');
  it('has the table', () => assert.ok(cases.length >= 5, String(cases.length)));
  for (const c of cases) {
    it(`${c.id} ${c.fields.command.join(' ')}`, () => {
      const env = Object.fromEntries((c.fields.env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
      const r = kiln(c.fields.command.map(local), { env });
      assert.equal(r.stdout, c.fields.expected);
      assert.equal(r.status, 0, r.stderr);
    });
  }
  it('masks sensitive variables (hcl-inspect-with-sensitive-vars/expected-output.txt)', () => {
    const r = kiln(['inspect', 'test-fixtures/hcl-inspect-with-sensitive-vars']);
    assert.equal(r.stdout, readFileSync(path.join(commandDir(), 'test-fixtures/hcl-inspect-with-sensitive-vars/expected-output.txt'), 'utf8'));
  });
});

describe('kiln inspect: corpus', () => {
  const corpus = sharedPath('corpus', 'templates');
  it('runner-images Ubuntu: variables, locals, builds with their sources and provisioners', () => {
    const r = kiln(['inspect', 'runner-images-ubuntu/images/ubuntu/templates'], { cwd: corpus });
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /^Packer Inspect: HCL2 mode\n\n> input-variables:\n\n/);
    assert.match(r.stdout, /\nvar\.image_folder: "\/imagegeneration"\nvar\.image_os: ""\nvar\.image_os_type: "Linux"\n/);
    assert.match(r.stdout, /\n> local-variables:\n\nlocal\.image_properties_map: "\{\\n {2}\\"ubuntu22\\" = \{/);
    for (const build of ['ubuntu-22_04', 'ubuntu-22_04-arm64', 'ubuntu-24_04', 'ubuntu-24_04-arm64', 'ubuntu-26_04', 'ubuntu-26_04-arm64']) {
      assert.ok(r.stdout.includes(`\n  > ${build}:\n\n    sources:\n\n      azure-arm.image\n\n    provisioners:\n\n      shell\n`), build);
    }
  });
  it('bento with an OS var file: the variables as the var file sets them', () => {
    const r = kiln(['inspect', '-var-file=bento/os_pkrvars/ubuntu/ubuntu-24.04-x86_64.pkrvars.hcl', 'bento/packer_templates'], { cwd: corpus });
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /\nvar\.os_name: "ubuntu"\n/);
    assert.match(r.stdout, /\nvar\.os_version: "24\.04"\n/);
    assert.match(r.stdout, /\nvar\.iso_url: "https:\/\/releases\.ubuntu\.com\/noble\/ubuntu-24\.04\.\d+-live-server-amd64\.iso"\n/);
    assert.match(r.stdout, /\n> builds:\n/);
  });
});
