/**
 * Set values and cty's set element order.
 *
 * cty keeps set elements in hash buckets (CRC-32 of a canonical "hash text") and
 * iterates them by ascending bucket id, then stable-sorts them with a type-specific
 * rule: known before unknown, non-null before null; strings by byte order, numbers
 * numerically, false before true; any other element type by comparing the hash texts.
 * kiln reproduces that order, so for-expressions over sets visit elements as Packer does.
 * Elements are deduplicated with `equals` (so 1 and 1.0 are one element; unknowns never
 * merge), and their marks are hoisted onto the set, as in cty.
 */
import { equals } from './equals.js';
import { unionMarks, unmarkDeep } from './marks.js';
import type { Num } from './number.js';
import { cmpNum, formatNumG10 } from './number.js';
import { compareStrings } from './strings.js';
import type { Type } from './type.js';
import { dynamicType, setOf, typeEquals, typeGoString } from './type.js';
import type { Marks } from './value.js';
import type { Value } from './value.js';
import { rawValue } from './value.js';

/** A non-empty set of `vals` (deduplicated, in cty order); throws when element types differ. */
export function setVal(vals: readonly Value[]): Value {
  if (vals.length === 0) throw new Error('internal: setVal with no elements; use setValEmpty');
  let et: Type = dynamicType;
  let marks: Marks | undefined;
  const clean: Value[] = [];
  for (const v0 of vals) {
    const [v, m] = unmarkDeep(v0);
    if (m.size > 0) marks = unionMarks(marks, m);
    if (et.kind === 'dynamic') et = v.type;
    else if (v.type.kind !== 'dynamic' && !typeEquals(et, v.type)) {
      throw new Error(`internal: inconsistent set element types (${typeGoString(et)} then ${typeGoString(v.type)})`);
    }
    clean.push(v);
  }
  return rawValue(setOf(et), orderSetElements(et, clean), marks);
}

export function setValEmpty(element: Type): Value {
  return rawValue(setOf(element), []);
}

/** Whether `vals` could form a set (one element type, dynamic-typed values aside). */
export function canSetVal(vals: readonly Value[]): boolean {
  let et: Type = dynamicType;
  for (const v of vals) {
    if (et.kind === 'dynamic') et = v.type;
    else if (v.type.kind !== 'dynamic' && !typeEquals(et, v.type)) return false;
  }
  return true;
}

/**
 * zlib's CRC-32, loaded on the first set built: most runs build none, and zlib costs
 * every start-up that imports cty ~0.5 ms.
 */
let crc32: ((data: string) => number) | undefined;

interface Entry {
  readonly value: Value;
  readonly hash: string;
  readonly bucket: number;
}

/** Deduplicates unmarked `vals` and puts them in cty's iteration order. */
export function orderSetElements(et: Type, vals: readonly Value[]): Value[] {
  const buckets = new Map<number, Entry[]>();
  for (const value of vals) {
    const hash = setHashText(value);
    crc32 ??= process.getBuiltinModule('node:zlib').crc32;
    const bucket = crc32(hash);
    let list = buckets.get(bucket);
    if (list === undefined) buckets.set(bucket, (list = []));
    if (list.some((e) => isEquivalent(e.value, value))) continue;
    list.push({ value, hash, bucket });
  }
  const ids = [...buckets.keys()].sort((a, b) => a - b);
  const entries: Entry[] = [];
  for (const id of ids) entries.push(...buckets.get(id)!);
  entries.sort((a, b) => (less(et, a, b) ? -1 : less(et, b, a) ? 1 : 0));
  return entries.map((e) => e.value);
}

function isEquivalent(a: Value, b: Value): boolean {
  const eq = equals(a, b);
  return eq.isKnown() && eq.asBool();
}

function less(et: Type, a: Entry, b: Entry): boolean {
  const x = a.value;
  const y = b.value;
  if (y.isNull() && !x.isNull()) return true;
  if (x.isNull()) return false;
  if (x.isKnown() && !y.isKnown()) return true;
  if (!x.isKnown()) return false;
  if (x.isNull()) return false;
  switch (et.kind) {
    case 'string':
      return compareStrings(x.asString(), y.asString()) < 0;
    case 'bool':
      return y.asBool() || !x.asBool();
    case 'number':
      return cmpNum(x.asNumber(), y.asNumber()) < 0;
    default:
      // Equal hash texts of known values mean raw-equal elements (or a tie cty also
      // leaves to bucket order).
      return compareStrings(a.hash, b.hash) < 0;
  }
}

/** cty's set hash text of an (unmarked) value; marks nested inside are ignored. */
export function setHashText(v: Value): string {
  if (!v.isKnown()) return '?';
  if (v.isNull()) return '~';
  const t = v.type;
  switch (t.kind) {
    case 'number':
      return formatNumG10(v.raw as Num);
    case 'bool':
      return v.raw ? 'T' : 'F';
    case 'string':
      return JSON.stringify(v.raw);
    case 'map': {
      let s = '{';
      for (const [k, e] of v.asMap()) s += `${JSON.stringify(k)}:${setHashText(e)};`;
      return s + '}';
    }
    case 'list':
    case 'set': {
      let s = '[';
      for (const e of v.asArray()) s += `${setHashText(e)};`;
      return s + ']';
    }
    case 'object': {
      let s = '<';
      for (const e of v.asMap().values()) s += `${setHashText(e)};`;
      return s + '>';
    }
    case 'tuple': {
      let s = '<';
      for (const e of v.asArray()) s += `${setHashText(e)};`;
      return s + '>';
    }
    case 'dynamic':
      return '?';
  }
}
