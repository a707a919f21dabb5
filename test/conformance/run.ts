/**
 * `npm run conformance`: everything that reads the external test data in ../shared
 * (`KILN_SHARED`). Without the data it fails at once with one clear message. Then it
 * runs the vector suites, prints one line per suite, fails when a suite passes fewer
 * vectors than its committed baseline, and runs the `*.conformance.test.ts` files
 * (scripts/run-tests.mjs --conformance).
 * Flags: `--verbose` lists failures; `--update-baseline` raises the baseline to today's
 * counts; any other argument selects suites by name (and skips the test files).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, sharedPath } from '../support/shared.js';
import type { Baseline, SuiteResult } from './suite.js';
import { compareWithBaseline, formatResult } from './suite.js';
import { SUITES } from './suites.js';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const update = args.includes('--update-baseline');
const names = args.filter((a) => !a.startsWith('--'));
const baselineFile = path.join(REPO_ROOT, 'test', 'conformance', 'baseline.json');
const baseline = JSON.parse(readFileSync(baselineFile, 'utf8')) as Baseline;

try {
  sharedPath('conformance');
} catch (err) {
  console.error(`conformance: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

const results = new Map<string, SuiteResult>();
for (const suite of SUITES) {
  if (names.length > 0 && !names.includes(suite.name)) continue;
  let r: SuiteResult;
  try {
    r = await suite.run();
  } catch (err) {
    // A suite that cannot run (missing data, a crash) fails the run with its reason, no stack.
    console.error(`${suite.name}: could not run: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
    continue;
  }
  results.set(suite.name, r);
  console.log(formatResult(suite.name, r));
  if (verbose) for (const f of r.failures) console.log(`  FAIL ${f}`);
}
if (results.size === 0) console.log('conformance: no suites registered yet');

if (update) {
  const next: Record<string, number> = { ...baseline };
  for (const [name, r] of results) next[name] = Math.max(r.passed, baseline[name] ?? 0);
  writeFileSync(baselineFile, JSON.stringify(next, null, 2) + '\n');
  console.log('conformance: baseline updated');
} else {
  const selected = names.length > 0 ? Object.fromEntries(Object.entries(baseline).filter(([k]) => names.includes(k))) : baseline;
  const problems = compareWithBaseline(results, selected);
  for (const p of problems) console.error(`conformance: ${p}`);
  if (problems.length > 0) process.exit(1);
}

if (names.length === 0 && !update) {
  const tests = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'run-tests.mjs'), '--conformance'], { stdio: 'inherit' });
  if (tests.status !== 0) process.exitCode = 1;
}
