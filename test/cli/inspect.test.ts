// `kiln inspect` as a user runs it (bin/kiln over dist/; run `npm run build` first):
// legacy JSON mode on kiln's own template. Packer's golden texts and the real-world
// corpus are in inspect.conformance.test.ts (`npm run conformance`).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runKiln } from '../support/packer-command.js';

const kiln = (args: readonly string[]) => runKiln(args, { cwd: tmpdir() });

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
