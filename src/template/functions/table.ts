/**
 * Packer's HCL2 function table (hcl2template/functions.go): exactly the names Packer
 * exposes to templates, each bound to its implementation. Functions Packer does not
 * expose (`tostring`, `setsubtract`, `one`, ...) are deliberately absent, so calling
 * them gives HCL's "Call to unknown function".
 *
 * Two kinds of entries:
 * - {@link STATIC_FUNCTIONS}: functions that depend on nothing but their arguments;
 * - {@link FUNCTION_FACTORIES}: functions that need the evaluation's options (the
 *   template directory for `file`, the start time for `legacy_isotime`, the secret
 *   sources, the table itself for `templatefile`).
 *
 * To add a function: import it and add one line to the right record, keeping the
 * alphabetical order. {@link PACKER_FUNCTION_NAMES} is the checklist of every name
 * Packer 1.16 has; the table test checks the table against it.
 */
import { cidrHostFunc, cidrNetmaskFunc, cidrSubnetFunc, cidrSubnetsFunc } from '../../hcl/functions/cidr.js';
import { base64GzipFunc } from '../../hcl/functions/base64gzip.js';
import * as coll from '../../hcl/functions/collection.js';
import * as crypto from '../../hcl/functions/crypto.js';
import { formatDateFunc, timeAddFunc } from '../../hcl/functions/datetime.js';
import { abspathFunc, basenameFunc, dirnameFunc, pathexpandFunc } from '../../hcl/functions/filesystem.js';
import { uuidv4Func, uuidv5Func } from '../../hcl/functions/uuid.js';
import { convertFunc } from '../../hcl/functions/convert.js';
import { base64DecodeFunc, base64EncodeFunc, csvDecodeFunc, urlEncodeFunc } from '../../hcl/functions/encoding.js';
import { formatFunc, formatListFunc } from '../../hcl/functions/format.js';
import type { CtyFunction } from '../../hcl/functions/function.js';
import { jsonDecodeFunc, jsonEncodeFunc } from '../../hcl/functions/json.js';
import * as math from '../../hcl/functions/math.js';
import { coalesceFunc, mergeFunc } from '../../hcl/functions/merge.js';
import { maxFunc, minFunc } from '../../hcl/functions/number.js';
import { absoluteFunc } from '../../hcl/functions/operators.js';
import { concatFunc } from '../../hcl/functions/sequence.js';
import { regexAllFunc, regexFunc, regexReplaceFunc } from '../../hcl/functions/regex.js';
import { setIntersectionFunc, setProductFunc, setUnionFunc } from '../../hcl/functions/sets.js';
import { upperFunc } from '../../hcl/functions/string.js';
import { textDecodeBase64Func, textEncodeBase64Func } from '../../hcl/functions/text-encoding.js';
import * as text from '../../hcl/functions/text.js';
import { canFunc, tryFunc } from '../../hcl/functions/try-can.js';
import { yamlDecodeFunc, yamlEncodeFunc } from '../../hcl/functions/yaml.js';
import { CONTEXT_FACTORIES } from './context-functions.js';
import { rfc3339ParseFunc, timestampFunc, unixTimestampParseFunc } from './datetime.js';
import { filebase64Func } from './filebase64.js';
import type { SecretResolver } from './secret-resolver.js';
import * as pkrColl from './packer-collection.js';
import * as pkrString from './packer-string.js';

/** What the functions of one evaluation context may depend on. */
export interface PackerFunctionOptions {
  /** The template's directory (`path.root`): relative paths of `file`, `fileset`, `templatefile` resolve here. */
  readonly baseDir: string;
  /** The process environment (`env`, secret sources); defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The time the process started (`legacy_isotime`, `legacy_strftime`); defaults to module load time. */
  readonly startTime?: Date;
  /** The run's secret lookups (prefetched; see secret-resolver.ts); default: one per options object. */
  readonly secrets?: SecretResolver;
}

/**
 * Builds one function from the options. `table` returns the complete map being built
 * (for `templatefile`, which offers every other function to its template).
 */
export type FunctionFactory = (opts: PackerFunctionOptions, table: () => ReadonlyMap<string, CtyFunction>) => CtyFunction;

/** Functions that depend only on their arguments. */
export const STATIC_FUNCTIONS: Readonly<Record<string, CtyFunction>> = {
  abs: absoluteFunc,
  abspath: abspathFunc,
  alltrue: pkrColl.allTrueFunc,
  anytrue: pkrColl.anyTrueFunc,
  base64decode: base64DecodeFunc,
  base64encode: base64EncodeFunc,
  base64gzip: base64GzipFunc,
  basename: basenameFunc,
  bcrypt: crypto.bcryptFunc,
  can: canFunc,
  ceil: math.ceilFunc,
  chomp: text.chompFunc,
  chunklist: coll.chunklistFunc,
  cidrhost: cidrHostFunc,
  cidrnetmask: cidrNetmaskFunc,
  cidrsubnet: cidrSubnetFunc,
  cidrsubnets: cidrSubnetsFunc,
  coalesce: coalesceFunc,
  coalescelist: coll.coalesceListFunc,
  compact: coll.compactFunc,
  concat: concatFunc,
  contains: coll.containsFunc,
  convert: convertFunc,
  csvdecode: csvDecodeFunc,
  dirname: dirnameFunc,
  distinct: coll.distinctFunc,
  element: coll.elementFunc,
  endswith: pkrString.endsWithFunc,
  filebase64: filebase64Func,
  flatten: coll.flattenFunc,
  floor: math.floorFunc,
  format: formatFunc,
  formatdate: formatDateFunc,
  formatlist: formatListFunc,
  indent: text.indentFunc,
  index: pkrColl.indexFunc,
  join: text.joinFunc,
  jsondecode: jsonDecodeFunc,
  jsonencode: jsonEncodeFunc,
  keys: coll.keysFunc,
  length: pkrColl.lengthFunc,
  log: math.logFunc,
  lookup: coll.lookupFunc,
  lower: text.lowerFunc,
  max: maxFunc,
  md5: crypto.md5Func,
  merge: mergeFunc,
  min: minFunc,
  parseint: math.parseIntFunc,
  pathexpand: pathexpandFunc,
  pow: math.powFunc,
  range: coll.rangeFunc,
  regex: regexFunc,
  regex_replace: regexReplaceFunc,
  regexall: regexAllFunc,
  replace: text.replaceFunc,
  reverse: coll.reverseListFunc,
  rfc3339_parse: rfc3339ParseFunc,
  rsadecrypt: crypto.rsaDecryptFunc,
  setintersection: setIntersectionFunc,
  setproduct: setProductFunc,
  setunion: setUnionFunc,
  sha1: crypto.sha1Func,
  sha256: crypto.sha256Func,
  sha512: crypto.sha512Func,
  signum: math.signumFunc,
  slice: coll.sliceFunc,
  sort: coll.sortFunc,
  split: text.splitFunc,
  startswith: pkrString.startsWithFunc,
  strcontains: pkrString.strContainsFunc,
  strrev: text.reverseFunc,
  substr: text.substrFunc,
  sum: pkrColl.sumFunc,
  textdecodebase64: textDecodeBase64Func,
  textencodebase64: textEncodeBase64Func,
  timeadd: timeAddFunc,
  timestamp: timestampFunc,
  title: text.titleFunc,
  trim: text.trimFunc,
  trimprefix: text.trimPrefixFunc,
  trimspace: text.trimSpaceFunc,
  trimsuffix: text.trimSuffixFunc,
  try: tryFunc,
  unix_timestamp_parse: unixTimestampParseFunc,
  upper: upperFunc,
  urlencode: urlEncodeFunc,
  uuidv4: uuidv4Func,
  uuidv5: uuidv5Func,
  values: coll.valuesFunc,
  yamldecode: yamlDecodeFunc,
  yamlencode: yamlEncodeFunc,
  zipmap: coll.zipmapFunc,
};

/** Functions built per evaluation context from {@link PackerFunctionOptions}. */
export const FUNCTION_FACTORIES: Readonly<Record<string, FunctionFactory>> = {
  ...CONTEXT_FACTORIES,
};

/** Every function name Packer 1.16 offers in a normal evaluation context (103). */
export const PACKER_FUNCTION_NAMES: readonly string[] = [
  'abs', 'abspath', 'alltrue', 'anytrue', 'aws_secretsmanager', 'aws_secretsmanager_raw', 'base64decode',
  'base64encode', 'base64gzip', 'basename', 'bcrypt', 'can', 'ceil', 'chomp', 'chunklist', 'cidrhost',
  'cidrnetmask', 'cidrsubnet', 'cidrsubnets', 'coalesce', 'coalescelist', 'compact', 'concat', 'consul_key',
  'contains', 'convert', 'csvdecode', 'dirname', 'distinct', 'element', 'endswith', 'file', 'filebase64',
  'fileexists', 'fileset', 'flatten', 'floor', 'format', 'formatdate', 'formatlist', 'indent', 'index', 'join',
  'jsondecode', 'jsonencode', 'keys', 'legacy_isotime', 'legacy_strftime', 'length', 'log', 'lookup', 'lower',
  'max', 'md5', 'merge', 'min', 'parseint', 'pathexpand', 'pow', 'range', 'regex', 'regex_replace', 'regexall',
  'replace', 'reverse', 'rfc3339_parse', 'rsadecrypt', 'setintersection', 'setproduct', 'setunion', 'sha1',
  'sha256', 'sha512', 'signum', 'slice', 'sort', 'split', 'startswith', 'strcontains', 'strrev', 'substr', 'sum',
  'templatefile', 'textdecodebase64', 'textencodebase64', 'timeadd', 'timestamp', 'title', 'trim', 'trimprefix',
  'trimspace', 'trimsuffix', 'try', 'unix_timestamp_parse', 'upper', 'urlencode', 'uuidv4', 'uuidv5', 'values',
  'vault', 'yamldecode', 'yamlencode', 'zipmap',
];

/**
 * The functions of a normal evaluation context (locals, sources, builds, data
 * sources): a fresh map on each call, so a caller may add or shadow entries.
 */
export function packerFunctions(opts: PackerFunctionOptions): Map<string, CtyFunction> {
  const table = new Map<string, CtyFunction>(Object.entries(STATIC_FUNCTIONS));
  const get = (): ReadonlyMap<string, CtyFunction> => table;
  for (const [name, make] of Object.entries(FUNCTION_FACTORIES)) table.set(name, make(opts, get));
  return table;
}
