/**
 * `cty-functions`: function-call vectors from go-cty's stdlib, go-cty-funcs and Packer
 * (../shared/conformance/cty-functions.json).
 *
 * Skip rule: a vector runs only when its implementation id (`impl`, e.g.
 * `zclconf/go-cty:stdlib.UpperFunc`) is in the table the suite is given; every other
 * vector counts as skipped (its function is not implemented yet). Vectors with a
 * `target_type` (go-cty's `MakeToFunc` factory) need the table to hold a function per
 * target, under `impl + "(" + JSON type + ")"`.
 *
 * Calls use strict cty `Call` rules (`convert: false`), as the Go tests call functions
 * directly. Results compare with `vectorEquals` (refinements ignored); an expected error
 * must be an error, with the exact message when the vector gives one.
 */
import { readFileSync } from 'node:fs';
import * as cty from '../../src/hcl/cty/index.js';
import type { ArgError, CallError, CtyFunction } from '../../src/hcl/functions/function.js';
import { sharedPath } from '../support/shared.js';
import { decodeValue, vectorEquals } from './cty-json.js';
import type { Suite, SuiteResult } from './suite.js';

interface Vector {
  readonly id: string;
  readonly impl: string;
  readonly args: readonly unknown[];
  readonly target_type?: unknown;
  readonly expect: { readonly value?: unknown; readonly error?: boolean; readonly error_message?: string; readonly error_compare?: 'exact' | 'contains' };
}

/**
 * Implementations beyond the table the suite is given (cty's stdlib map), keyed by the
 * vectors' `impl` id. Add one line per function as it is written.
 */
export const IMPLEMENTATIONS: ReadonlyMap<string, CtyFunction> = new Map<string, CtyFunction>([
]);

/** The suite over `table` (implementation id → function) plus {@link IMPLEMENTATIONS}. */
export function ctyFunctionsSuite(table: ReadonlyMap<string, CtyFunction>): Suite {
  const all = new Map([...table, ...IMPLEMENTATIONS]);
  return {
    name: 'cty-functions',
    run: () => Promise.resolve(runVectors(all)),
  };
}

function runVectors(table: ReadonlyMap<string, CtyFunction>): SuiteResult {
  const file = JSON.parse(readFileSync(sharedPath('conformance', 'cty-functions.json'), 'utf8')) as { vectors: Vector[] };
  let passed = 0;
  let skipped = 0;
  const failures: string[] = [];
  for (const v of file.vectors) {
    const key = v.target_type === undefined ? v.impl : `${v.impl}(${JSON.stringify(v.target_type)})`;
    const fn = table.get(key);
    if (fn === undefined) {
      skipped++;
      continue;
    }
    const problem = runVector(fn, v);
    if (problem === undefined) passed++;
    else failures.push(`${v.id}: ${problem}`);
  }
  return { passed, failed: failures.length, skipped, failures };
}

/** undefined when the vector passes, else what went wrong. */
export function runVector(fn: CtyFunction, v: Vector): string | undefined {
  let got: cty.Value | ArgError | CallError;
  try {
    got = fn.call(v.args.map(decodeValue), { convert: false });
  } catch (e) {
    return `threw ${e instanceof Error ? e.message : String(e)}`;
  }
  if (v.expect.error === true) {
    if (got instanceof cty.Value) return `expected an error, got ${cty.goString(got)}`;
    const want = v.expect.error_message;
    if (want === undefined) return undefined;
    const ok = v.expect.error_compare === 'contains' ? got.message.includes(want) : got.message === want;
    return ok ? undefined : `error ${JSON.stringify(got.message)}, want ${JSON.stringify(want)}`;
  }
  if (!(got instanceof cty.Value)) return `unexpected error: ${got.message}`;
  const want = decodeValue(v.expect.value);
  return vectorEquals(got, want) ? undefined : `got ${cty.goString(got)}, want ${cty.goString(want)}`;
}
