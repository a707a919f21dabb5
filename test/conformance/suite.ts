/** What a conformance suite reports, and how its counts are compared with the baseline. */

export interface SuiteResult {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** One line per failed vector, for `npm run conformance -- --verbose`. */
  readonly failures: readonly string[];
}

export interface Suite {
  /** The name printed and used as the baseline key, e.g. `hcl-expressions`. */
  readonly name: string;
  run(): Promise<SuiteResult>;
}

/** The committed minimum `passed` count of each suite. */
export type Baseline = Readonly<Record<string, number>>;

/** `<suite>: N passed, N failed, N skipped` — the line CI and people read. */
export function formatResult(name: string, r: SuiteResult): string {
  return `${name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
}

/** Problems with `results` against `baseline`: a drop below it, or a suite with no baseline. */
export function compareWithBaseline(results: ReadonlyMap<string, SuiteResult>, baseline: Baseline): string[] {
  const problems: string[] = [];
  for (const [name, r] of results) {
    const floor = baseline[name];
    if (floor === undefined) problems.push(`${name}: no baseline entry; add it to test/conformance/baseline.json`);
    else if (r.passed < floor) problems.push(`${name}: ${r.passed} passed is below the baseline of ${floor}`);
  }
  for (const name of Object.keys(baseline)) {
    if (!results.has(name)) problems.push(`${name}: in the baseline but no such suite ran`);
  }
  return problems;
}
