/**
 * `npm run conformance`: runs the external-vector suites, prints one line per suite,
 * and fails when a suite passes fewer vectors than its committed baseline.
 * Flags: `--verbose` lists failures; `--update-baseline` raises the baseline to today's counts;
 * any other argument selects suites by name.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/shared.js';
import type { Baseline, SuiteResult } from './suite.js';
import { compareWithBaseline, formatResult } from './suite.js';
import { SUITES } from './suites.js';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const update = args.includes('--update-baseline');
const names = args.filter((a) => !a.startsWith('--'));
const baselineFile = path.join(REPO_ROOT, 'test', 'conformance', 'baseline.json');
const baseline = JSON.parse(readFileSync(baselineFile, 'utf8')) as Baseline;

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
