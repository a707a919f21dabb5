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

/** What a vector whose check threw reports: `threw` and the stack (the message without one). */
export function threw(e: unknown): string {
  return `threw ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
}

/** How `tallyVectors` treats each vector. */
export interface VectorRunner<V> {
  /** True for a vector to count as skipped without running it. */
  skip(v: V): boolean;
  /** Undefined when the vector passes, else what went wrong; a throw counts as a failure. */
  check(v: V): string | undefined;
  /** What a failure line starts with (`<label>: <problem>`). */
  label(v: V): string;
}

/** Runs every vector through `runner` and counts passes, failures and skips. */
export function tallyVectors<V>(vectors: Iterable<V>, runner: VectorRunner<V>): SuiteResult {
  let passed = 0, failed = 0, skipped = 0;
  const failures: string[] = [];
  for (const v of vectors) {
    if (runner.skip(v)) {
      skipped++;
      continue;
    }
    let problem: string | undefined;
    try {
      problem = runner.check(v);
    } catch (e) {
      problem = threw(e);
    }
    if (problem === undefined) passed++;
    else {
      failed++;
      failures.push(`${runner.label(v)}: ${problem}`);
    }
  }
  return { passed, failed, skipped, failures };
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
