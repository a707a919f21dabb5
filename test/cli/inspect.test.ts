// `kiln inspect` as a user runs it (bin/kiln over dist/; run `npm run build` first):
// Packer's golden texts (command/inspect_test.go through the shared conformance index,
// the sensitive-variables fixture), legacy JSON mode, and the real-world corpus.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { COMMAND_DIR, commandCases, runKiln as kiln } from '../support/packer-command.js';
import { sharedPath } from '../support/shared.js';

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
    assert.equal(r.stdout, readFileSync(path.join(COMMAND_DIR, 'test-fixtures/hcl-inspect-with-sensitive-vars/expected-output.txt'), 'utf8'));
  });
});

describe('kiln inspect: legacy JSON', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-inspect-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const file = path.join(tmp, 't.json');
  writeFileSync(
    file,
    JSON.stringify({
      description: 'Two\nlines',
      variables: { fruit: 'apple', secret: 'hunter2', req: null },
      'sensitive-variables': ['secret'],
      builders: [{ type: 'null', communicator: 'none' }, { type: 'null', name: 'named', communicator: 'none' }],
      provisioners: [{ type: 'shell-local', inline: ['echo'] }, { type: 'file', source: 'a', destination: 'b' }],
    }),
  );
  it("prints Packer's JSON layout", () => {
    const r = kiln(['inspect', file]);
    assert.equal(r.status, 0);
    assert.equal(
      r.stdout,
      'Packer Inspect: JSON mode\nDescription:\n\nTwo\nlines\n\n' +
        'Required variables:\n\n  req\n\n' +
        'Optional variables and their defaults:\n\n  fruit  = apple\n  secret = <sensitive>\n\n' +
        'Builders:\n\n  named (null)\n  null \n\n' +
        'Provisioners:\n\n  shell-local\n  file\n\n' +
        "Note: If your build names contain user variables or template\nfunctions such as 'timestamp', these are processed at build time,\nand therefore only show in their raw form here.\n",
    );
  });
  it('-machine-readable adds template-variable, template-builder and template-provisioner lines', () => {
    const r = kiln(['inspect', '-machine-readable', file]);
    const kinds = r.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split(',').slice(2).join(','))
      .filter((l) => l.startsWith('template-'));
    assert.deepEqual(kinds, [
      'template-variable,req,,1',
      'template-variable,fruit,apple,0',
      'template-variable,secret,<sensitive>,0',
      'template-builder,named,null',
      'template-builder,null,null',
      'template-provisioner,shell-local',
      'template-provisioner,file',
    ]);
    assert.match(r.stdout, /^\d+,,ui,say,Packer Inspect: JSON mode\n/);
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
