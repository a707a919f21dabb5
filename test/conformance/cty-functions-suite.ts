/**
 * `cty-functions` and `cty-internals`: function-call vectors from go-cty's stdlib,
 * go-cty-funcs and Packer (../shared/conformance/cty-functions.json).
 *
 * The file marks each vector `in_packer` when Packer 1.16 exposes that exact
 * implementation to templates. `cty-functions` runs those (the acceptance
 * counts them); `cty-internals` runs the others, which matter only where kiln's
 * evaluator uses the implementation itself (the operator functions behind `+`, `<`,
 * `&&`, ...); the rest of that group is skipped.
 *
 * Skip rule: a vector runs only when its implementation id (`impl`, e.g.
 * `zclconf/go-cty:stdlib.UpperFunc`) is in the table the suite is given; every other
 * vector counts as skipped (its function is not implemented). Vectors with a
 * `target_type` (go-cty's `MakeToFunc` factory) need the table to hold a function per
 * target, under `impl + "(" + JSON type + ")"`. {@link KNOWN_BAD_VECTORS} lists the
 * vectors skipped on purpose, each with its reason.
 *
 * Calls use strict cty `Call` rules (`convert: false`), as the Go tests call functions
 * directly. Results compare with `vectorEquals` (refinements ignored); an expected error
 * must be an error, with the exact message when the vector gives one.
 */
import { readFileSync } from 'node:fs';
import * as cty from '../../src/hcl/cty/index.js';
import type { ArgError, CallError, CtyFunction } from '../../src/hcl/functions/function.js';
import * as cidr from '../../src/hcl/functions/cidr.js';
import { base64GzipFunc } from '../../src/hcl/functions/base64gzip.js';
import * as coll from '../../src/hcl/functions/collection.js';
import * as crypto from '../../src/hcl/functions/crypto.js';
import * as datetime from '../../src/hcl/functions/datetime.js';
import * as fs from '../../src/hcl/functions/filesystem.js';
import * as uuid from '../../src/hcl/functions/uuid.js';
import * as pkrTime from '../../src/template/functions/datetime.js';
import * as encoding from '../../src/hcl/functions/encoding.js';
import * as format from '../../src/hcl/functions/format.js';
import * as json from '../../src/hcl/functions/json.js';
import * as math from '../../src/hcl/functions/math.js';
import * as merge from '../../src/hcl/functions/merge.js';
import * as sets from '../../src/hcl/functions/sets.js';
import * as pkrColl from '../../src/template/functions/packer-collection.js';
import * as pkrString from '../../src/template/functions/packer-string.js';
import * as regex from '../../src/hcl/functions/regex.js';
import * as text from '../../src/hcl/functions/text.js';
import { sharedPath } from '../support/shared.js';
import { decodeValue, vectorEquals } from './cty-json.js';
import type { Suite, SuiteResult } from './suite.js';

interface Vector {
  readonly id: string;
  readonly impl: string;
  readonly in_packer?: boolean;
  readonly args: readonly unknown[];
  readonly target_type?: unknown;
  readonly expect: { readonly value?: unknown; readonly error?: boolean; readonly error_message?: string; readonly error_compare?: 'exact' | 'contains' };
}

/**
 * Implementations beyond the table the suite is given (cty's stdlib map), keyed by the
 * vectors' `impl` id. Add one line per function as it is written.
 */
export const IMPLEMENTATIONS: ReadonlyMap<string, CtyFunction> = new Map<string, CtyFunction>([
  // numeric
  ['zclconf/go-cty:stdlib.CeilFunc', math.ceilFunc],
  ['zclconf/go-cty:stdlib.FloorFunc', math.floorFunc],
  ['zclconf/go-cty:stdlib.LogFunc', math.logFunc],
  ['zclconf/go-cty:stdlib.PowFunc', math.powFunc],
  ['zclconf/go-cty:stdlib.SignumFunc', math.signumFunc],
  ['zclconf/go-cty:stdlib.ParseIntFunc', math.parseIntFunc],
  // strings
  ['zclconf/go-cty:stdlib.LowerFunc', text.lowerFunc],
  ['zclconf/go-cty:stdlib.ReverseFunc', text.reverseFunc],
  ['zclconf/go-cty:stdlib.SubstrFunc', text.substrFunc],
  ['zclconf/go-cty:stdlib.JoinFunc', text.joinFunc],
  ['zclconf/go-cty:stdlib.ReplaceFunc', text.replaceFunc],
  ['zclconf/go-cty:stdlib.RegexFunc', regex.regexFunc],
  ['zclconf/go-cty:stdlib.RegexAllFunc', regex.regexAllFunc],
  ['zclconf/go-cty:stdlib.RegexReplaceFunc', regex.regexReplaceFunc],
  // collections
  ['zclconf/go-cty:stdlib.ChunklistFunc', coll.chunklistFunc],
  ['zclconf/go-cty:stdlib.CoalesceListFunc', coll.coalesceListFunc],
  ['zclconf/go-cty:stdlib.ContainsFunc', coll.containsFunc],
  ['zclconf/go-cty:stdlib.DistinctFunc', coll.distinctFunc],
  ['zclconf/go-cty:stdlib.ElementFunc', coll.elementFunc],
  ['zclconf/go-cty:stdlib.FlattenFunc', coll.flattenFunc],
  ['zclconf/go-cty:stdlib.KeysFunc', coll.keysFunc],
  ['zclconf/go-cty:stdlib.LookupFunc', coll.lookupFunc],
  ['zclconf/go-cty:stdlib.ReverseListFunc', coll.reverseListFunc],
  ['zclconf/go-cty:stdlib.SliceFunc', coll.sliceFunc],
  ['zclconf/go-cty:stdlib.SortFunc', coll.sortFunc],
  ['zclconf/go-cty:stdlib.ValuesFunc', coll.valuesFunc],
  ['zclconf/go-cty:stdlib.ZipmapFunc', coll.zipmapFunc],
  ['zclconf/go-cty:stdlib.RangeFunc', coll.rangeFunc],
  ['zclconf/go-cty:stdlib.MergeFunc', merge.mergeFunc],
  ['hashicorp/go-cty-funcs:collection.CoalesceFunc', merge.coalesceFunc],
  ['zclconf/go-cty:stdlib.SetUnionFunc', sets.setUnionFunc],
  ['zclconf/go-cty:stdlib.SetIntersectionFunc', sets.setIntersectionFunc],
  ['zclconf/go-cty:stdlib.SetSubtractFunc', sets.setSubtractFunc],
  ['zclconf/go-cty:stdlib.SetSymmetricDifferenceFunc', sets.setSymmetricDifferenceFunc],
  ['zclconf/go-cty:stdlib.SetProductFunc', sets.setProductFunc],
  ['zclconf/go-cty:stdlib.FormatFunc', format.formatFunc],
  ['zclconf/go-cty:stdlib.FormatListFunc', format.formatListFunc],
  ['zclconf/go-cty:stdlib.JSONEncodeFunc', json.jsonEncodeFunc],
  ['zclconf/go-cty:stdlib.JSONDecodeFunc', json.jsonDecodeFunc],
  ['zclconf/go-cty:stdlib.CSVDecodeFunc', encoding.csvDecodeFunc],
  ['hashicorp/go-cty-funcs:encoding.Base64EncodeFunc', encoding.base64EncodeFunc],
  ['hashicorp/go-cty-funcs:encoding.Base64DecodeFunc', encoding.base64DecodeFunc],
  ['hashicorp/go-cty-funcs:encoding.URLEncodeFunc', encoding.urlEncodeFunc],
  // Packer's own
  ['hashicorp/packer:pkrfunction.Base64GzipFunc', base64GzipFunc],
  ['hashicorp/packer:pkrfunction.AllTrue', pkrColl.allTrueFunc],
  ['hashicorp/packer:pkrfunction.AnyTrue', pkrColl.anyTrueFunc],
  ['hashicorp/packer:pkrfunction.IndexFunc', pkrColl.indexFunc],
  ['hashicorp/packer:pkrfunction.LengthFunc', pkrColl.lengthFunc],
  ['hashicorp/packer:pkrfunction.SumFunc', pkrColl.sumFunc],
  ['hashicorp/packer:pkrfunction.StartsWithFunc', pkrString.startsWithFunc],
  ['hashicorp/packer:pkrfunction.EndsWithFunc', pkrString.endsWithFunc],
  ['hashicorp/packer:pkrfunction.StrContains', pkrString.strContainsFunc],
  ['hashicorp/packer:pkrfunction.RFC3339ParseFunc', pkrTime.rfc3339ParseFunc],
  ['hashicorp/packer:pkrfunction.UnixTimestampParseFunc', pkrTime.unixTimestampParseFunc],
  // date/time, hashing, uuid, networking, filesystem
  ['zclconf/go-cty:stdlib.FormatDateFunc', datetime.formatDateFunc],
  ['zclconf/go-cty:stdlib.TimeAddFunc', datetime.timeAddFunc],
  ['hashicorp/go-cty-funcs:crypto.Md5Func', crypto.md5Func],
  ['hashicorp/go-cty-funcs:crypto.Sha1Func', crypto.sha1Func],
  ['hashicorp/go-cty-funcs:crypto.Sha256Func', crypto.sha256Func],
  ['hashicorp/go-cty-funcs:crypto.Sha512Func', crypto.sha512Func],
  ['hashicorp/go-cty-funcs:crypto.BcryptFunc', crypto.bcryptFunc],
  ['hashicorp/go-cty-funcs:crypto.RsaDecryptFunc', crypto.rsaDecryptFunc],
  ['hashicorp/go-cty-funcs:uuid.V4Func', uuid.uuidv4Func],
  ['hashicorp/go-cty-funcs:uuid.V5Func', uuid.uuidv5Func],
  ['hashicorp/go-cty-funcs:cidr.HostFunc', cidr.cidrHostFunc],
  ['hashicorp/go-cty-funcs:cidr.NetmaskFunc', cidr.cidrNetmaskFunc],
  ['hashicorp/go-cty-funcs:cidr.SubnetFunc', cidr.cidrSubnetFunc],
  ['hashicorp/go-cty-funcs:cidr.SubnetsFunc', cidr.cidrSubnetsFunc],
  ['hashicorp/go-cty-funcs:filesystem.BasenameFunc', fs.basenameFunc],
  ['hashicorp/go-cty-funcs:filesystem.DirnameFunc', fs.dirnameFunc],
  ['hashicorp/go-cty-funcs:filesystem.AbsPathFunc', fs.abspathFunc],
  ['hashicorp/go-cty-funcs:filesystem.PathExpandFunc', fs.pathexpandFunc],
]);

const NEEDS_REFINEMENTS =
  'needs a cty refinement kiln does not track (it tracks only string prefixes, docs/design.md): the function can only see an unknown of the argument type';

/**
 * Vectors that cannot pass whatever the function does, with the reason; they count as
 * skipped.
 */
export const KNOWN_BAD_VECTORS: ReadonlyMap<string, string> = new Map([
  ...['TestCeil#4', 'TestCeil#5', 'TestFloor#4', 'TestFloor#5'].map((t): [string, string] => [
    `zclconf/go-cty:cty/function/stdlib/number_test.go:${t}`,
    'extraction lost the argument: the Go test passes ±99999999999999999999999999999999999999999999999999998.123, the vector holds it rounded to float64 (±1e53)',
  ]),
  // 1 < unknown refined to >= 2 is known true.
  ['zclconf/go-cty:cty/function/stdlib/number_test.go:TestLessThan#4', `${NEEDS_REFINEMENTS} (number lower bound)`],
]);

/** Which vectors a suite runs: the ones Packer exposes, or the others. */
export type VectorGroup = 'in-packer' | 'internals';

/**
 * The suite over `table` (implementation id → function) plus {@link IMPLEMENTATIONS},
 * restricted to one {@link VectorGroup}: `cty-functions` for the in-Packer vectors,
 * `cty-internals` for the others.
 */
export function ctyFunctionsSuite(table: ReadonlyMap<string, CtyFunction>, group: VectorGroup = 'in-packer'): Suite {
  const all = new Map([...table, ...IMPLEMENTATIONS]);
  return {
    name: group === 'in-packer' ? 'cty-functions' : 'cty-internals',
    run: () => Promise.resolve(runVectors(all, group)),
  };
}

function runVectors(table: ReadonlyMap<string, CtyFunction>, group: VectorGroup): SuiteResult {
  const file = JSON.parse(readFileSync(sharedPath('conformance', 'cty-functions.json'), 'utf8')) as { vectors: Vector[] };
  let passed = 0;
  let skipped = 0;
  const failures: string[] = [];
  for (const v of file.vectors) {
    if ((v.in_packer === true) !== (group === 'in-packer')) continue;
    const key = v.target_type === undefined ? v.impl : `${v.impl}(${JSON.stringify(v.target_type)})`;
    const fn = table.get(key);
    if (fn === undefined || KNOWN_BAD_VECTORS.has(v.id)) {
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
