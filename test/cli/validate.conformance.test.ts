// `kiln validate` as a user runs it (bin/kiln over dist/; run `npm run build` first),
// against Packer's own validate table (command/validate_test.go, through the shared
// conformance index) and the real-world corpus, both in ../shared: part of
// `npm run conformance`. validate.test.ts has the tests on kiln's own fixtures.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CommandCase, KilnRun } from '../support/packer-command.js';
import { commandCases, commandDir, runKiln } from '../support/packer-command.js';
import { sharedPath } from '../support/shared.js';

const kiln = (args: readonly string[], cwd = commandDir()): KilnRun => runKiln(args, { cwd });

const local = (p: unknown): string => String(p).replace(/^command\//, '');

const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-validate-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The Go test runs validate_except.json with Packer 102.0.0; without its min_packer_version the rest is the same. */
function withoutMinVersion(file: string): string {
  const t = JSON.parse(readFileSync(path.join(commandDir(), file), 'utf8')) as Record<string, unknown>;
  delete t['min_packer_version'];
  const out = path.join(tmp, path.basename(file));
  writeFileSync(out, JSON.stringify(t));
  return out;
}

/** The arguments each Go test passes for a row of its table. */
function argsFor(c: CommandCase): string[] {
  const f = c.fields;
  switch (c.source.test) {
    case 'TestValidateCommand_SyntaxOnly':
      return ['-syntax-only', local(f['path'])];
    case 'TestValidateCommandExcept': {
      const args = (f['args'] as string[]).map(local);
      const file = args[args.length - 1] ?? '';
      return [...args.slice(0, -1), file.endsWith('.json') ? withoutMinVersion(file) : file];
    }
    case 'TestValidateCommand_VarFiles':
    case 'TestValidateCommand_VarFilesWarnOnUndeclared':
      return ['-var-file', local(f['varfile']), local(f['path'])];
    case 'TestValidateCommand_VarFilesDisableWarnOnUndeclared':
      return ['-no-warn-undeclared-var', '-var-file', local(f['varfile']), local(f['path'])];
    default:
      return [...((f['extraArgs'] as string[] | undefined) ?? []), local(f['path'])];
  }
}

describe('kiln validate: Packer validate_test.go table', () => {
  const cases = commandCases().filter((c) => c.source.test.startsWith('TestValidate'));
  it('has the table', () => assert.ok(cases.length >= 35, `${cases.length} cases`));
  for (const c of cases) {
    it(`${c.id} ${String(c.fields['name'] ?? c.fields['path'])}`, () => {
      const r = kiln(['validate', ...argsFor(c)]);
      assert.equal(r.status, (c.fields['exitCode'] as number | undefined) ?? 0, r.stdout + r.stderr);
    });
  }
});

describe('kiln validate: -except on Packer\'s fixture', () => {
  it('JSON -except drops builds and post-processors by exact name', () => {
    const file = withoutMinVersion('test-fixtures/validate/validate_except.json');
    assert.equal(kiln(['validate', '-except=vanilla,pear', file]).status, 0);
    // Not a glob: `van*` matches nothing, so the invalid vanilla build is validated.
    assert.equal(kiln(['validate', '-except=van*,pear', file]).status, 1);
  });
});

describe('kiln validate: corpus', () => {
  const corpus = sharedPath('corpus', 'templates');
  const varFiles = (dir: string): string[] =>
    readdirSync(dir).flatMap((e) => {
      const full = path.join(dir, e);
      return statSync(full).isDirectory() ? varFiles(full) : [full];
    });
  const bentoVars = varFiles(path.join(corpus, 'bento', 'os_pkrvars')).sort();
  it('has the bento var files', () => assert.ok(bentoVars.length >= 50, String(bentoVars.length)));
  for (const file of bentoVars) {
    it(`bento -syntax-only with ${path.relative(corpus, file)}`, () => {
      const r = kiln(['validate', '-syntax-only', `-var-file=${file}`, 'bento/packer_templates'], corpus);
      assert.equal(r.stdout, 'Syntax-only check passed. Everything looks okay.\n', r.stderr);
      assert.equal(r.status, 0);
    });
  }
  it('runner-images Ubuntu templates -syntax-only', () => {
    const r = kiln(['validate', '-syntax-only', 'runner-images-ubuntu/images/ubuntu/templates'], corpus);
    assert.equal(r.stdout, 'Syntax-only check passed. Everything looks okay.\n');
    assert.equal(r.status, 0);
  });
});
