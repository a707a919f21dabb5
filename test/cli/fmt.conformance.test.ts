// `kiln fmt` as a user runs it: bin/kiln over the compiled dist/ (`npm run build`
// first), on copies of the real-world corpus and its formatted twin from ../shared in a
// temporary folder (../shared is read-only). Part of `npm run conformance`; fmt.test.ts
// has the tests on kiln's own inputs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
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

describe('kiln fmt over the corpus', () => {
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

  it('rewrites files in place by default, and a second run has nothing to do', () => {
    const dir = path.join(tmp, 'write');
    cpSync(templates(), dir, { recursive: true });
    const first = kiln(tmp, ['-recursive', 'write']);
    assert.equal(first.code, 0, first.stdout);
    assert.equal(first.stdout.split('\n').filter(Boolean).length, 9);
    for (const f of hclFiles(dir)) assert.equal(readFileSync(path.join(dir, f), 'utf8'), readFileSync(path.join(expected(), f), 'utf8'), f);
    assert.deepEqual(kiln(tmp, ['-recursive', 'write']), { code: 0, stdout: '', stderr: '' });
  });
});
