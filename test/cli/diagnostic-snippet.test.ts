// The source snippet under a diagnostic whose range spans lines, compared with what
// Packer 1.6.6 (the Debian `packer` package, run here) prints for the same file:
// `kiln validate` and `packer validate` on each template, in a temporary folder.
// bin/kiln runs the compiled dist/: run `npm run build` first.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/shared.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-snippet-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  readonly status: number | null;
  readonly stdout: string;
}

function validate(command: string, name: string, text: string): Run {
  const dir = path.join(tmp, `${path.basename(command)}-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'main.pkr.hcl'), text);
  const r = spawnSync(command, ['validate', 'main.pkr.hcl'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PACKER_LOG: '', CHECKPOINT_DISABLE: '1' } });
  if (r.error) throw new Error(`cannot run ${command}: ${r.error.message} (install the Debian package "packer", or run scripts/install-test-deps.sh)`);
  return { status: r.status, stdout: r.stdout };
}

const kiln = (name: string, text: string): Run => validate(path.join(REPO_ROOT, 'bin', 'kiln'), name, text);
const packer = (name: string, text: string): Run => validate('packer', name, text);

/** The numbered source lines of each diagnostic in `out` (`   2:   x = 1 +`). */
const snippets = (out: string): string[] => out.split('\n').filter((l) => /^ {0,3}\d+: /.test(l));

// Parse errors: Packer 1.6.6 and kiln print the same text, snippet included.
const parseErrors: Record<string, string> = {
  'operator before the newline (the subject is the newline: lines 2-3)': 'locals {\n  x = 1 +\n}\n',
  'unterminated quoted string over two lines': 'locals {\n  x = "abc\n}\n',
  'unterminated heredoc to the end of the file, blank line skipped': 'locals {\n  x = <<EOT\nhello\n\nworld\n}\n',
  'unbalanced parenthesis with a blank line inside': 'locals {\n  x = (1 +\n\n    2\n}\n',
  'missing comma in a multi-line list': 'locals {\n  x = [\n    1\n\n    2\n  ]\n}\n',
};

describe('multi-line diagnostic snippets, as packer validate 1.6.6 prints them', () => {
  for (const [name, text] of Object.entries(parseErrors)) {
    it(name, () => {
      const ours = kiln(name.replace(/\W+/g, '-'), text);
      const theirs = packer(name.replace(/\W+/g, '-'), text);
      assert.equal(ours.status, 1);
      assert.equal(ours.stdout, theirs.stdout);
      assert.ok(snippets(ours.stdout).length >= 2, ours.stdout);
    });
  }

  it('the three-line file of issue 13 quotes lines 2 and 3', () => {
    const out = kiln('issue-13', 'locals {\n  x = 1 +\n}\n').stdout;
    assert.deepEqual(snippets(out), ['   2:   x = 1 +', '   3: }']);
  });

  it('an invalid multi-line default: every non-blank line of the value (the detail differs by cty version)', () => {
    const text = 'variable "a" {\n  type = string\n  default = {\n    a = 1\n\n    b = 2\n  }\n}\n';
    const ours = kiln('default', text);
    const theirs = packer('default', text);
    assert.equal(ours.status, theirs.status);
    assert.deepEqual(snippets(ours.stdout), snippets(theirs.stdout));
    assert.deepEqual(snippets(ours.stdout), ['   3:   default = {', '   4:     a = 1', '   6:     b = 2', '   7:   }']);
  });
});
