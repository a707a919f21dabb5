// `kiln fmt` as a user runs it: bin/kiln over the compiled dist/ (`npm run build`
// first), on kiln's own small files in a temporary folder. The real-world corpus runs in
// fmt.conformance.test.ts (`npm run conformance`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');

function kiln(cwd: string, args: readonly string[], input?: string) {
  const r = spawnSync(bin, ['fmt', ...args], { cwd, encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A small tree: two files that need formatting (one nested) and two that do not; each with its formatted text. */
const TREE: Record<string, { readonly text: string; readonly formatted: string }> = {
  'messy.pkr.hcl': {
    text: 'source "null" "a" {\ncommunicator="none"\n  boot_wait = "1s"\n}\n',
    formatted: 'source "null" "a" {\n  communicator = "none"\n  boot_wait    = "1s"\n}\n',
  },
  'sub/messy.pkrvars.hcl': { text: 'region="eu"\nsize = [ 1,2 ]\n', formatted: 'region = "eu"\nsize   = [1, 2]\n' },
  'sub/deeper/tidy.pkr.hcl': { text: 'locals {\n  a  = 1\n  bb = 2\n}\n', formatted: 'locals {\n  a  = 1\n  bb = 2\n}\n' },
  'tidy.pkr.hcl': { text: 'build {\n  sources = ["source.null.a"]\n}\n', formatted: 'build {\n  sources = ["source.null.a"]\n}\n' },
};

describe('kiln fmt', () => {
  let tmp = '';
  const tree = () => path.join(tmp, 'tree');
  before(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'kiln-fmt-cli-'));
    for (const [name, { text }] of Object.entries(TREE)) {
      mkdirSync(path.dirname(path.join(tree(), name)), { recursive: true });
      writeFileSync(path.join(tree(), name), text);
    }
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('-check -recursive lists exactly the files that need formatting, writes nothing, and exits 3', () => {
    const r = kiln(tmp, ['-check', '-recursive', 'tree']);
    assert.deepEqual(r, { code: 3, stdout: 'tree/messy.pkr.hcl\ntree/sub/messy.pkrvars.hcl\n', stderr: '' });
    for (const [name, { text }] of Object.entries(TREE)) assert.equal(readFileSync(path.join(tree(), name), 'utf8'), text, name);
  });

  it('without -recursive only looks at the files directly in the folder', () => {
    assert.deepEqual(kiln(tmp, ['-check', 'tree']), { code: 3, stdout: 'tree/messy.pkr.hcl\n', stderr: '' });
  });

  it('rewrites files in place by default, and a second run has nothing to do', () => {
    const dir = path.join(tmp, 'write');
    cpSync(tree(), dir, { recursive: true });
    const first = kiln(tmp, ['-recursive', 'write']);
    assert.deepEqual(first, { code: 0, stdout: 'write/messy.pkr.hcl\nwrite/sub/messy.pkrvars.hcl\n', stderr: '' });
    for (const [name, { formatted }] of Object.entries(TREE)) assert.equal(readFileSync(path.join(dir, name), 'utf8'), formatted, name);
    assert.deepEqual(kiln(tmp, ['-recursive', 'write']), { code: 0, stdout: '', stderr: '' });
    assert.deepEqual(kiln(tmp, ['-check', '-recursive', 'write']), { code: 0, stdout: '', stderr: '' });
  });

  it('-diff prints a unified diff with old/ and new/ labels, and -write=false leaves the file', () => {
    const dir = path.join(tmp, 'diff');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'a.pkr.hcl'), 'a=1\nbb = [ 1 ]\n');
    const r = kiln(dir, ['-diff', '-write=false', 'a.pkr.hcl']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'a.pkr.hcl\n--- old/a.pkr.hcl\n+++ new/a.pkr.hcl\n@@ -1,2 +1,2 @@\n-a=1\n-bb = [ 1 ]\n+a  = 1\n+bb = [1]\n');
    assert.equal(readFileSync(path.join(dir, 'a.pkr.hcl'), 'utf8'), 'a=1\nbb = [ 1 ]\n');
  });

  it('takes several paths, files and folders, and skips dotfiles, backups and non-HCL names in folders', () => {
    const dir = path.join(tmp, 'many');
    mkdirSync(dir);
    for (const name of ['b.pkr.hcl', 'c.pkrvars.hcl', '.hidden.pkr.hcl', 'd.pkr.hcl~', '#e.pkr.hcl#', 'f.pkr.json', 'g.hcl']) {
      writeFileSync(path.join(dir, name), 'x=1\n');
    }
    writeFileSync(path.join(tmp, 'single.auto.pkrvars.hcl'), 'y=2\n');
    const r = kiln(tmp, ['-check', 'single.auto.pkrvars.hcl', 'many']);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, 'single.auto.pkrvars.hcl\nmany/b.pkr.hcl\nmany/c.pkrvars.hcl\n');
  });

  it('formats standard input to standard output with -', () => {
    assert.deepEqual(kiln(tmp, ['-'], 'a=1\nbbb = "x"\n'), { code: 0, stdout: 'a   = 1\nbbb = "x"\n', stderr: '' });
    assert.deepEqual(kiln(tmp, ['-'], 'a = 1\n'), { code: 0, stdout: 'a = 1\n', stderr: '' });
    assert.deepEqual(kiln(tmp, ['-check', '-'], 'a=1\n'), { code: 3, stdout: '', stderr: '' });
  });

  it('refuses a file that does not parse, prints the parse error and leaves the file', () => {
    const dir = path.join(tmp, 'errs');
    mkdirSync(dir);
    const src = 'variable "region" {\n  type =string\n}\n\ninvalid\n';
    writeFileSync(path.join(dir, 'malformed.pkr.hcl'), src);
    const r = kiln(dir, ['malformed.pkr.hcl']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      'Error: encountered an error while formatting malformed.pkr.hcl\n\n' +
        '1 error occurred:\n\t* malformed.pkr.hcl:5,1-8: Argument or block definition required; An argument\n' +
        'or block definition is required here. To set an argument, use the equals sign\n' +
        '"=" to introduce the argument value.\n\n\n\n\n',
    );
    assert.equal(readFileSync(path.join(dir, 'malformed.pkr.hcl'), 'utf8'), src);
  });

  it('reports an explicit non-HCL file and a missing file, and exits 1', () => {
    writeFileSync(path.join(tmp, 'x.json'), '{}');
    const r = kiln(tmp, ['x.json', 'missing.pkr.hcl']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      'Error: encountered an error while formatting x.json\n\nfile x.json is not a HCL file\n\n' +
        'Error: encountered an error while formatting missing.pkr.hcl\n\n' +
        'failed to open missing.pkr.hcl: open missing.pkr.hcl: no such file or directory\n\n\n',
    );
  });

  it('prints its help and exits 1 without a path', () => {
    const r = kiln(tmp, []);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^Usage: kiln fmt \[options\] \[TEMPLATE\.\.\.\]/);
  });
});
