// `kiln validate` as a user runs it (bin/kiln over dist/; run `npm run build` first),
// against Packer's own validate table (command/validate_test.go, through the shared
// conformance index) and the real-world corpus.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CommandCase, KilnRun } from '../support/packer-command.js';
import { COMMAND_DIR, commandCases, runKiln } from '../support/packer-command.js';
import { sharedPath } from '../support/shared.js';

const kiln = (args: readonly string[], cwd = COMMAND_DIR): KilnRun => runKiln(args, { cwd });

const local = (p: unknown): string => String(p).replace(/^command\//, '');

const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-validate-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The Go test runs validate_except.json with Packer 102.0.0; without its min_packer_version the rest is the same. */
function withoutMinVersion(file: string): string {
  const t = JSON.parse(readFileSync(path.join(COMMAND_DIR, file), 'utf8')) as Record<string, unknown>;
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

describe('kiln validate: output', () => {
  it('says the configuration is valid', () => {
    const r = kiln(['validate', 'test-fixtures/validate/build.pkr.hcl']);
    assert.equal(r.stdout, 'The configuration is valid.\n');
    assert.equal(r.status, 0);
  });

  it('-syntax-only stops after parsing, even when the config is invalid', () => {
    const r = kiln(['validate', '-syntax-only', 'test-fixtures/validate-invalid/bad_provisioner.json']);
    assert.equal(r.stdout, 'Syntax-only check passed. Everything looks okay.\n');
    assert.equal(r.status, 0);
  });

  it('prints an unknown source with its file, line and source line', () => {
    const r = kiln(['validate', 'test-fixtures/validate-invalid/missing_build_block.pkr.hcl']);
    assert.equal(r.status, 1);
    assert.equal(
      r.stdout,
      'Error: Unknown source file.cho\n\n' +
        '  on test-fixtures/validate-invalid/missing_build_block.pkr.hcl line 7, in build:\n' +
        '   7:   sources = ["source.file.cho"]\n\n' +
        'Known: [file.chocolate]\n\n\n',
    );
  });

  it('prints a JSON Initialize error with an empty summary, as Packer does', () => {
    const r = kiln(['validate', 'test-fixtures/validate/template.json']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, 'Error: \n\nThis template requires Packer version 101.0.0 or higher; using 1.16.0\n\n\n');
  });

  it('warns about undeclared var-file values unless -no-warn-undeclared-var', () => {
    const args = ['-var-file', 'test-fixtures/validate/var-file-tests/undeclared.pkrvars.hcl', 'test-fixtures/validate/var-file-tests/basic.pkr.hcl'];
    const warned = kiln(['validate', ...args]);
    assert.equal(warned.status, 0);
    assert.match(warned.stdout, /^Warning: Undefined variable\n\n {2}on test-fixtures\/validate\/var-file-tests\/undeclared\.pkrvars\.hcl line 1:\n {3}1: unused = /);
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
    const r = kiln(['validate', 'test-fixtures/validate-invalid/bad_provisioner.json']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Error: unknown configuration key: '"comment"'\n/);
  });

  it('reports a JSON template that does not parse as Packer does', () => {
    const r = kiln(['validate', 'test-fixtures/validate-invalid/broken.json']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Failed to parse file as legacy JSON template: if you are using an HCL template, check your file extensions; .*\nOriginal error: 1 error\(s\) decoding:\n\n\* 'provisioners': source data must be an array or slice, got string\n$/);
  });

  it('reports a missing template path', () => {
    const r = kiln(['validate', 'no-such-template.json']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '"no-such-template.json": stat no-such-template.json: no such file or directory\n');
  });

  it('rejects -var without =', () => {
    const r = kiln(['validate', '-var', 'novalue', 'test-fixtures/validate/build.pkr.hcl']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /invalid value "novalue" for flag -var: No '=' value in arg: novalue/);
  });

  it('needs exactly one template', () => {
    const r = kiln(['validate']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /Usage: kiln validate \[options\] TEMPLATE/);
  });

  it('-evaluate-datasources runs data sources (their real output reaches the components)', () => {
    assert.equal(kiln(['validate', 'test-fixtures/hcl/local-ds-validate.pkr.hcl']).status, 1);
    assert.equal(kiln(['validate', '-evaluate-datasources', 'test-fixtures/hcl/local-ds-validate.pkr.hcl']).status, 0);
  });

  it('-machine-readable writes ui lines', () => {
    const r = kiln(['validate', '-machine-readable', 'test-fixtures/validate/build.pkr.hcl']);
    assert.match(r.stdout, /^\d+,,ui,say,The configuration is valid\.\n$/);
  });

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
