/**
 * cty values: immutable, typed, possibly unknown, possibly null, possibly marked.
 *
 * A {@link Value} is known or unknown; a known value is null or has a payload whose
 * shape follows its type. Collections hold child Values (which may carry their own
 * marks, except set elements: cty hoists their marks onto the set). Refinements of
 * unknown values (cty's `Refine()`: not-null, string prefix, number and length bounds)
 * are **not tracked**: an unknown value is just "unknown of type T".
 */
import type { Num } from './number.js';
import { formatNum, fromBigInt, fromFloat64, parseNum } from './number.js';
import { compareStrings, normalizeString } from './strings.js';
import type { ListType, MapType, ObjectType, SetType, TupleType, Type } from './type.js';
import {
  boolType,
  dynamicType,
  emptyObjectType,
  emptyTupleType,
  friendlyName,
  listOf,
  mapOf,
  numberType,
  objectOfSorted,
  stringType,
  tupleOf,
  typeEquals,
  typeGoString,
} from './type.js';

/** A value mark. Packer uses the string `sensitive`. */
export type Mark = string | number;
/** A set of marks; never mutated once attached to a value. */
export type Marks = ReadonlySet<Mark>;

const UNKNOWN: unique symbol = Symbol('cty.unknown');

/** The payload of a known, non-null value, by type kind. */
export type Payload = string | boolean | Num | readonly Value[] | ReadonlyMap<string, Value>;
type Raw = Payload | null | typeof UNKNOWN;

/**
 * An immutable cty value. Build values with the constructor functions of this module
 * (`stringVal`, `listVal`, ...), not with `new`.
 */
export class Value {
  // Declared fields set in the constructor: a class field costs V8 an initializer call per object.
  declare readonly type: Type;
  /** @internal */
  declare readonly raw: Raw;
  /** Marks on this value itself (not its elements); undefined when unmarked. */
  declare readonly marks: Marks | undefined;

  /** @internal use the constructor functions */
  constructor(type: Type, raw: Raw, marks: Marks | undefined = undefined) {
    this.type = type;
    this.raw = raw;
    this.marks = marks;
  }

  isKnown(): boolean {
    return this.raw !== UNKNOWN;
  }
  isNull(): boolean {
    return this.raw === null;
  }
  /** Marked at the top level (see `containsMarked` for a deep check). */
  isMarked(): boolean {
    return this.marks !== undefined;
  }
  /** Known, and (if a known collection or structure) every element wholly known too. */
  isWhollyKnown(): boolean {
    const r = this.raw;
    if (r === UNKNOWN) return false;
    if (r === null) return true;
    if (Array.isArray(r)) return (r as readonly Value[]).every((v) => v.isWhollyKnown());
    if (r instanceof Map) {
      for (const v of (r as ReadonlyMap<string, Value>).values()) if (!v.isWhollyKnown()) return false;
    }
    return true;
  }

  /** The string of a known, non-null string value; throws otherwise (a bug in the caller). */
  asString(): string {
    if (this.type.kind !== 'string' || typeof this.raw !== 'string') throw misuse('asString', this);
    return this.raw;
  }
  asNumber(): Num {
    if (this.type.kind !== 'number' || this.raw === null || this.raw === UNKNOWN) throw misuse('asNumber', this);
    return this.raw as Num;
  }
  asBool(): boolean {
    if (typeof this.raw !== 'boolean') throw misuse('asBool', this);
    return this.raw;
  }
  /** Elements of a known, non-null list, tuple or set, in iteration order. */
  asArray(): readonly Value[] {
    if (!Array.isArray(this.raw)) throw misuse('asArray', this);
    return this.raw as readonly Value[];
  }
  /** Entries of a known, non-null map or object, keys in lexical order. */
  asMap(): ReadonlyMap<string, Value> {
    if (!(this.raw instanceof Map)) throw misuse('asMap', this);
    return this.raw as ReadonlyMap<string, Value>;
  }

  /** Debug text in go-cty's GoString style, e.g. `cty.StringVal("a").Mark("sensitive")`. */
  toString(): string {
    return goString(this);
  }
}

function misuse(op: string, v: Value): Error {
  const state = v.raw === UNKNOWN ? 'unknown' : v.raw === null ? 'null' : friendlyName(v.type);
  return new Error(`internal: ${op} on ${state} value of type ${friendlyName(v.type)}`);
}

export const trueVal = new Value(boolType, true);
export const falseVal = new Value(boolType, false);
export const zeroVal = new Value(numberType, 0);
export const positiveInfinity = new Value(numberType, Infinity);
export const negativeInfinity = new Value(numberType, -Infinity);
/** cty.DynamicVal: an unknown value of unknown type. */
export const dynamicVal = new Value(dynamicType, UNKNOWN);
export const emptyObjectVal = new Value(emptyObjectType, new Map<string, Value>());
export const emptyTupleVal = new Value(emptyTupleType, [] as readonly Value[]);

export function boolVal(b: boolean): Value {
  return b ? trueVal : falseVal;
}
/** A string value, NFC-normalised. */
export function stringVal(s: string): Value {
  return new Value(stringType, normalizeString(s));
}
export function numberVal(n: Num): Value {
  return new Value(numberType, n);
}
/** An integer (a JS safe integer or a bigint). */
export function numberIntVal(n: number | bigint): Value {
  if (typeof n === 'bigint') return new Value(numberType, fromBigInt(n));
  if (!Number.isSafeInteger(n)) throw new Error(`internal: numberIntVal(${n}) is not a safe integer`);
  return new Value(numberType, n === 0 ? 0 : n);
}
/** A float64, as cty.NumberFloatVal: prints as its shortest round-trip decimal. */
export function numberFloatVal(x: number): Value {
  return new Value(numberType, fromFloat64(x));
}
/** Parses decimal text (cty.ParseNumberVal); undefined when it is not a number. */
export function parseNumberVal(s: string): Value | undefined {
  const n = parseNum(s);
  return n === undefined ? undefined : new Value(numberType, n);
}
/** The number as cty prints it when converting to string (`1`, `0.1`, `1000000000000000000000`). */
export function numberToString(n: Num): string {
  return formatNum(n);
}

export function nullVal(t: Type): Value {
  return new Value(t, null);
}
export function unknownVal(t: Type): Value {
  return t.kind === 'dynamic' ? dynamicVal : new Value(t, UNKNOWN);
}

function elementTypeOf(vals: readonly Value[], what: string): Type {
  let et: Type = dynamicType;
  for (const v of vals) {
    if (et.kind === 'dynamic') et = v.type;
    else if (v.type.kind !== 'dynamic' && !typeEquals(et, v.type)) {
      throw new Error(`internal: inconsistent ${what} element types (${typeGoString(et)} then ${typeGoString(v.type)})`);
    }
  }
  return et;
}

/** True when `vals` could make a list/set: all of one type (dynamic-typed values aside). */
export function canListVal(vals: readonly Value[]): boolean {
  let et: Type = dynamicType;
  for (const v of vals) {
    if (et.kind === 'dynamic') et = v.type;
    else if (v.type.kind !== 'dynamic' && !typeEquals(et, v.type)) return false;
  }
  return true;
}

/** A non-empty list; throws when the element types differ (use `listValEmpty` for none). */
export function listVal(vals: readonly Value[]): Value {
  if (vals.length === 0) throw new Error('internal: listVal with no elements; use listValEmpty');
  return new Value(listOf(elementTypeOf(vals, 'list')), vals);
}
export function listValEmpty(element: Type): Value {
  return new Value(listOf(element), [] as readonly Value[]);
}
export function tupleVal(vals: readonly Value[]): Value {
  if (vals.length === 0) return emptyTupleVal;
  return new Value(tupleOf(vals.map((v) => v.type)), vals);
}

/**
 * The entries NFC-normalised and in lexical order. Objects with tens of thousands of
 * attributes (a template's `var` and `local`) usually arrive in order already or close
 * to it, so sorting is skipped when a linear check finds the keys in order.
 */
function sortedEntries(entries: Iterable<[string, Value]>): Map<string, Value> {
  const list: [string, Value][] = [];
  let sorted = true;
  let prev: string | undefined;
  for (const [k, v] of entries) {
    const key = normalizeString(k);
    if (sorted && prev !== undefined && compareStrings(prev, key) >= 0) sorted = false;
    prev = key;
    list.push([key, v]);
  }
  if (!sorted) list.sort((a, b) => compareStrings(a[0], b[0]));
  return new Map(list);
}
function entriesOf(m: Readonly<Record<string, Value>> | ReadonlyMap<string, Value>): Iterable<[string, Value]> {
  return m instanceof Map ? (m as ReadonlyMap<string, Value>).entries() : Object.entries(m);
}

/** An object value; attribute names are NFC-normalised. */
export function objectVal(attrs: Readonly<Record<string, Value>> | ReadonlyMap<string, Value>): Value {
  const m = sortedEntries(entriesOf(attrs));
  if (m.size === 0) return emptyObjectVal;
  const types = new Map<string, Type>();
  for (const [k, v] of m) types.set(k, v.type);
  return new Value(objectOfSorted(types), m);
}
/** A non-empty map; throws when the element types differ (use `mapValEmpty` for none). */
export function mapVal(entries: Readonly<Record<string, Value>> | ReadonlyMap<string, Value>): Value {
  const m = sortedEntries(entriesOf(entries));
  if (m.size === 0) throw new Error('internal: mapVal with no elements; use mapValEmpty');
  return new Value(mapOf(elementTypeOf([...m.values()], 'map')), m);
}
export function mapValEmpty(element: Type): Value {
  return new Value(mapOf(element), new Map<string, Value>());
}

/** @internal a value with a known payload, type trusted (used by conversions and set building). */
export function rawValue(type: ListType | SetType | MapType | ObjectType | TupleType, payload: Payload, marks?: Marks): Value {
  return new Value(type, payload, marks);
}

/** Go-syntax debug text (cty's GoString), for messages and test output. */
export function goString(v: Value): string {
  if (v.marks !== undefined) {
    const inner = goString(new Value(v.type, v.raw));
    const ms = [...v.marks].map((m) => JSON.stringify(m));
    return ms.length === 1 ? `${inner}.Mark(${ms[0]})` : `${inner}.WithMarks(${ms.join(', ')})`;
  }
  if (v.raw === null) return `cty.NullVal(${typeGoString(v.type)})`;
  if (v.raw === UNKNOWN) return v.type.kind === 'dynamic' ? 'cty.DynamicVal' : `cty.UnknownVal(${typeGoString(v.type)})`;
  switch (v.type.kind) {
    case 'bool':
      return v.raw ? 'cty.True' : 'cty.False';
    case 'number':
      return `cty.MustParseNumberVal(${JSON.stringify(formatNum(v.raw as Num))})`;
    case 'string':
      return `cty.StringVal(${JSON.stringify(v.raw)})`;
    case 'list':
    case 'set':
    case 'tuple': {
      const els = v.raw as readonly Value[];
      const name = v.type.kind === 'list' ? 'List' : v.type.kind === 'set' ? 'Set' : 'Tuple';
      if (els.length === 0) {
        return v.type.kind === 'tuple' ? 'cty.EmptyTupleVal' : `cty.${name}ValEmpty(${typeGoString(v.type.element)})`;
      }
      return `cty.${name}Val([]cty.Value{${els.map(goString).join(', ')}})`;
    }
    case 'map':
    case 'object': {
      const m = v.raw as ReadonlyMap<string, Value>;
      if (m.size === 0) return v.type.kind === 'object' ? 'cty.EmptyObjectVal' : `cty.MapValEmpty(${typeGoString(v.type.element)})`;
      const body = [...m].map(([k, e]) => `${JSON.stringify(k)}:${goString(e)}`).join(', ');
      return `cty.${v.type.kind === 'map' ? 'Map' : 'Object'}Val(map[string]cty.Value{${body}})`;
    }
    case 'dynamic':
      return 'cty.DynamicVal';
  }
}
