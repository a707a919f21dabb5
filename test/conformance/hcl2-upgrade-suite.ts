/**
 * Suite `hcl2-upgrade`: the 19 rows of Packer's `Test_hcl2_upgrade`
 * (command/hcl2_upgrade_test.go, from ../shared/conformance/packer-templates/index.json)
 * run through the real bin/kiln in a copy of the fixtures (../shared is read-only). A
 * row passes when the exit code is the expected one and, unless the row stops early,
 * the written file equals `expected.pkr.hcl` byte for byte and is accepted by
 * `kiln fmt -check` and `kiln validate -syntax-only`.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commandCases, commandDir, runKiln } from '../support/packer-command.js';
import type { Suite, SuiteResult } from './suite.js';
import { tallyVectors } from './suite.js';

interface Row {
  readonly folder: string;
  readonly flags?: readonly string[];
  readonly exitCode?: number;
  readonly exitEarly?: boolean;
}

/** The first line where two texts differ, for the failure report. */
function firstDifference(got: string, want: string): string {
  const g = got.split('\n');
  const w = want.split('\n');
  for (let i = 0; i < Math.max(g.length, w.length); i++) {
    if (g[i] !== w[i]) return `line ${i + 1}: got ${JSON.stringify(g[i])}, want ${JSON.stringify(w[i])}`;
  }
  return 'texts differ';
}

function checkRow(row: Row, dir: string): string | undefined {
  const input = path.join(dir, row.folder, 'input.json');
  const output = `${input}.pkr.hcl`;
  const run = runKiln(['hcl2_upgrade', ...(row.flags ?? []), input], { cwd: dir });
  const want = row.exitCode ?? 0;
  if (run.status !== want) return `exit ${run.status}, want ${want}: ${run.stdout}${run.stderr}`;
  if (row.exitEarly) return undefined;
  if (!existsSync(output)) return 'no output file';
  const got = readFileSync(output, 'utf8');
  const expected = readFileSync(path.join(dir, row.folder, 'expected.pkr.hcl'), 'utf8');
  if (got !== expected) return firstDifference(got, expected);
  const fmt = runKiln(['fmt', '-check', output], { cwd: dir });
  if (fmt.status !== 0) return `fmt -check exit ${fmt.status}: ${fmt.stdout}`;
  const validate = runKiln(['validate', '-syntax-only', output], { cwd: dir });
  if (validate.status !== 0) return `validate -syntax-only exit ${validate.status}: ${validate.stdout}`;
  return undefined;
}

export const hcl2UpgradeSuite: Suite = {
  name: 'hcl2-upgrade',
  run(): Promise<SuiteResult> {
    const rows = commandCases<Row>().filter((c) => c.source.test === 'Test_hcl2_upgrade');
    const dir = mkdtempSync(path.join(tmpdir(), 'kiln-hcl2-upgrade-'));
    try {
      cpSync(path.join(commandDir(), 'test-fixtures', 'hcl2_upgrade'), dir, { recursive: true });
      return Promise.resolve(tallyVectors(rows, {
        skip: () => false,
        check: (c) => checkRow(c.fields, dir),
        label: (c) => `${c.id} (${c.fields.folder})`,
      }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
