// `kiln fmt` as a user runs it: bin/kiln over the compiled dist/ (`npm run build`
// first), on copies of the shared corpus in a temporary folder (../shared is read-only).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, sharedPath } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');

function kiln(cwd: string, args: readonly string[], input?: string) {
  const r = spawnSync(bin, ['fmt', ...args], { cwd, encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function hclFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.hcl')).sort();
}

describe('kiln fmt', () => {
  let tmp = '';
  const templates = () => path.join(tmp, 'templates');
  const expected = () => path.join(tmp, 'fmt-expected');
  before(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'kiln-fmt-cli-'));
    cpSync(sharedPath('corpus', 'templates'), templates(), { recursive: true });
    cpSync(sharedPath('corpus', 'fmt-expected'), expected(), { recursive: true });
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('-check -recursive over formatted files exits 0 and prints nothing', () => {
    const r = kiln(tmp, ['-check', '-recursive', 'fmt-expected']);
    assert.deepEqual(r, { code: 0, stdout: '', stderr: '' });
  });

  it('-check -recursive lists exactly the files that differ from fmt-expected and exits 3', () => {
    const differing = hclFiles(templates()).filter(
      (f) => readFileSync(path.join(templates(), f), 'utf8') !== readFileSync(path.join(expected(), f), 'utf8'),
    );
    assert.equal(differing.length, 9);
    const r = kiln(tmp, ['-check', '-recursive', 'templates']);
    assert.equal(r.code, 3, r.stdout);
    assert.equal(r.stdout, differing.map((f) => `templates/${f}\n`).join(''));
    // -check writes nothing.
    for (const f of differing) assert.notEqual(readFileSync(path.join(templates(), f), 'utf8'), readFileSync(path.join(expected(), f), 'utf8'));
  });

  it('without -recursive only formats the files directly in the folder', () => {
    const r = kiln(tmp, ['-check', 'templates']);
    assert.deepEqual(r, { code: 0, stdout: '', stderr: '' });
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

  it('rewrites files in place by default, and a second run has nothing to do', () => {
    const dir = path.join(tmp, 'write');
    cpSync(templates(), dir, { recursive: true });
    const first = kiln(tmp, ['-recursive', 'write']);
    assert.equal(first.code, 0, first.stdout);
    assert.equal(first.stdout.split('\n').filter(Boolean).length, 9);
    for (const f of hclFiles(dir)) assert.equal(readFileSync(path.join(dir, f), 'utf8'), readFileSync(path.join(expected(), f), 'utf8'), f);
    assert.deepEqual(kiln(tmp, ['-recursive', 'write']), { code: 0, stdout: '', stderr: '' });
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
