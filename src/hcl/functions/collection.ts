/**
 * cty stdlib's collection functions: chunklist, coalescelist, compact, contains,
 * distinct, element, flatten, keys, lookup, merge, reverse (lists), slice, sort, values,
 * zipmap and range, with cty's parameter flags: where a parameter allows marks, the
 * function moves the collection's marks onto its result itself and keeps the marks of
 * individual elements on those elements.
 */
import { PathError } from '../cty/conform.js';
import { convertValue } from '../cty/convert/convert.js';
import { equals } from '../cty/equals.js';
import { unionMarks, unmark, withMarks } from '../cty/marks.js';
import { compareStrings } from '../cty/strings.js';
import { add, greaterThan, greaterThanOrEqualTo, index, length, lessThan, lessThanOrEqualTo } from '../cty/operations.js';
import type { Type } from '../cty/type.js';
import { boolType, dynamicType, emptyTupleType, friendlyName, listOf, numberType, stringType, tupleOf, typeEquals } from '../cty/type.js';
import type { Marks, Value } from '../cty/value.js';
import {
  emptyTupleVal,
  falseVal,
  listVal,
  listValEmpty,
  mapVal,
  mapValEmpty,
  numberIntVal,
  objectVal,
  stringVal,
  trueVal,
  tupleVal,
  unknownVal,
  zeroVal,
} from '../cty/value.js';
import { ArgError, CallError, defineFunction, staticReturnType } from './function.js';
import { goInt, goInt64 } from './go-value.js';

function isTrue(v: Value): boolean {
  return v.isKnown() && v.asBool();
}

export const chunklistFunc = defineFunction({
  description: 'Splits a single list into multiple lists where each has at most the given number of elements.',
  params: [
    { name: 'list', type: listOf(dynamicType), allowMarked: true },
    { name: 'size', type: numberType, allowMarked: true },
  ],
  type: (args) => listOf(args[0]!.type),
  impl: (args) => {
    const [list, listMarks] = unmark(args[0]!);
    const [sizeVal, sizeMarks] = unmark(args[1]!);
    const marks = unionMarks(listMarks, sizeMarks);
    const size = goInt(sizeVal);
    if (typeof size === 'string') return new CallError(`invalid size: ${size}`);
    if (size < 0) return new CallError('the size argument must be positive');
    const els = list.asArray();
    if (els.length === 0) return withMarks(listValEmpty(list.type), marks);
    if (size === 0) return withMarks(listVal([list]), marks);
    const chunks: Value[] = [];
    for (let i = 0; i < els.length; i += size) chunks.push(listVal(els.slice(i, i + size)));
    return withMarks(listVal(chunks), marks);
  },
});

export const coalesceListFunc = defineFunction({
  description: 'Returns the first of the given sequences that has a length greater than zero.',
  params: [],
  varParam: { name: 'vals', type: dynamicType, allowUnknown: true, allowDynamicType: true, allowNull: true },
  type: (args) => {
    if (args.length === 0) return new CallError('at least one argument is required');
    for (const a of args) {
      if (!a.isKnown()) return dynamicType;
      if (a.type.kind !== 'list' && a.type.kind !== 'tuple') return new CallError('coalescelist arguments must be lists or tuples');
    }
    const first = args[0]!.type;
    return args.every((a) => typeEquals(a.type, first)) ? first : dynamicType;
  },
  impl: (args, retType) => {
    for (const a of args) {
      if (!a.isKnown()) return unknownVal(retType);
      if (a.isNull()) continue;
      if (a.asArray().length > 0) return a;
    }
    return new CallError('no non-null arguments');
  },
});

export const compactFunc = defineFunction({
  description: 'Removes all empty string elements from the given list of strings.',
  params: [{ name: 'list', type: listOf(stringType) }],
  type: staticReturnType(listOf(stringType)),
  impl: (args, retType) => {
    const list = args[0]!;
    if (!list.isWhollyKnown()) return unknownVal(retType);
    const out = list.asArray().filter((v) => !v.isNull() && v.asString() !== '');
    return out.length === 0 ? listValEmpty(stringType) : listVal(out);
  },
});

export const containsFunc = defineFunction({
  description: 'Returns true if the given value is a value in the given list, tuple, or set, or false otherwise.',
  params: [
    { name: 'list', type: dynamicType },
    { name: 'value', type: dynamicType, allowNull: true },
  ],
  type: staticReturnType(boolType),
  impl: (args) => {
    const [list, value] = [args[0]!, args[1]!];
    const k = list.type.kind;
    if (k !== 'list' && k !== 'tuple' && k !== 'set') return new CallError('argument must be list, tuple, or set');
    const els = list.asArray();
    if (els.length === 0) return falseVal;
    let unknown = false;
    for (const e of els) {
      const eq = equals(value, e);
      if (!eq.isKnown()) unknown = true;
      else if (eq.asBool()) return trueVal;
    }
    return unknown ? unknownVal(boolType) : falseVal;
  },
});

export const distinctFunc = defineFunction({
  description: 'Removes any duplicate values from the given list, preserving the order of remaining elements.',
  params: [{ name: 'list', type: listOf(dynamicType) }],
  type: (args) => args[0]!.type,
  impl: (args, retType) => {
    const list = args[0]!;
    if (!list.isWhollyKnown()) return unknownVal(retType);
    const out: Value[] = [];
    for (const v of list.asArray()) if (!out.some((o) => isTrue(equals(o, v)))) out.push(v);
    return out.length === 0 ? listValEmpty((retType as { element: Type }).element) : listVal(out);
  },
});

export const elementFunc = defineFunction({
  description: 'Retrieves a single element from a list.',
  params: [
    { name: 'list', type: dynamicType, allowMarked: true },
    { name: 'index', type: numberType },
  ],
  type: (args) => {
    const t = args[0]!.type;
    if (t.kind === 'list') return t.element;
    if (t.kind === 'tuple') {
      if (!args[1]!.isKnown()) return dynamicType;
      const i = goInt64(args[1]!);
      if (typeof i === 'string') return new CallError(`invalid index: ${i}`);
      if (t.elements.length === 0) return new CallError('cannot use element function with an empty list');
      return t.elements[wrapIndex(i, t.elements.length)]!;
    }
    return new CallError(`cannot read elements from ${friendlyName(t)}`);
  },
  impl: (args, retType) => {
    const i = goInt64(args[1]!);
    if (typeof i === 'string') return new CallError(`invalid index: ${i}`);
    const [list, marks] = unmark(args[0]!);
    if (!list.isKnown()) return unknownVal(retType);
    const els = list.asArray();
    if (els.length === 0) return new CallError('cannot use element function with an empty list');
    return withMarks(els[wrapIndex(i, els.length)]!, marks);
  },
});

/** Go's `i % n` (truncated), then shifted into 0..n-1. */
function wrapIndex(i: bigint, n: number): number {
  let r = i % BigInt(n);
  if (r < 0n) r += BigInt(n);
  return Number(r);
}

export const flattenFunc = defineFunction({
  description: 'Transforms a list, set, or tuple value into a tuple by replacing any given elements that are themselves sequences with a flattened tuple of all of the nested elements concatenated together.',
  params: [{ name: 'list', type: dynamicType, allowMarked: true }],
  type: (args) => {
    const v = args[0]!;
    if (!v.isWhollyKnown()) return dynamicType;
    const k = v.type.kind;
    if (k !== 'list' && k !== 'set' && k !== 'tuple') return new CallError('can only flatten lists, sets and tuples');
    const r = flatten(v);
    return r.known ? tupleOf(r.out.map((e) => e.type)) : dynamicType;
  },
  impl: (args, retType) => {
    const [plain, marks] = unmark(args[0]!);
    if (plain.asArray().length === 0) return withMarks(emptyTupleVal, marks);
    const r = flatten(args[0]!);
    return r.known ? withMarks(tupleVal(r.out), r.marks) : withMarks(unknownVal(retType), r.marks);
  },
});

function isSequence(t: Type): boolean {
  return t.kind === 'list' || t.kind === 'set' || t.kind === 'tuple';
}

function flatten(v0: Value): { out: Value[]; marks: Marks | undefined; known: boolean } {
  const [v, m] = unmark(v0);
  let marks = m.size > 0 ? m : undefined;
  if (!length(v).isKnown()) return { out: [], marks, known: false };
  const out: Value[] = [];
  let known = true;
  for (const e of v.asArray()) {
    if (e.type.kind === 'dynamic' && !e.isKnown()) known = false;
    if (!e.isNull() && isSequence(e.type)) {
      if (!e.isKnown()) {
        known = false;
        marks = unionMarks(marks, e.marks);
        continue;
      }
      const r = flatten(e);
      marks = unionMarks(marks, r.marks);
      if (r.known) out.push(...r.out);
      else known = false;
    } else {
      out.push(e);
    }
  }
  return { out, marks, known };
}

export const keysFunc = defineFunction({
  description: 'Takes a map and returns a sorted list of the map keys.',
  params: [{ name: 'inputMap', type: dynamicType, allowUnknown: true, allowMarked: true }],
  type: (args) => {
    const t = args[0]!.type;
    if (t.kind === 'map') return listOf(stringType);
    if (t.kind === 'object') return t.attributes.size === 0 ? emptyTupleType : tupleOf([...t.attributes.keys()].map(() => stringType));
    return new ArgError(0, 'must have map or object type');
  },
  impl: (args, retType) => {
    const [m, marks] = unmark(args[0]!);
    if (m.type.kind === 'object') {
      const names = [...m.type.attributes.keys()].sort(compareStrings);
      return withMarks(names.length === 0 ? emptyTupleVal : tupleVal(names.map(stringVal)), marks);
    }
    if (!m.isKnown()) return withMarks(unknownVal(retType), marks);
    const keys = [...m.asMap().keys()].map(stringVal);
    return withMarks(keys.length === 0 ? listValEmpty(stringType) : listVal(keys), marks);
  },
});

export const lookupFunc = defineFunction({
  description: 'Retrieves the value of a single element from a map, given its key. If the given key does not exist, the given default value is returned instead.',
  params: [
    { name: 'inputMap', type: dynamicType, allowMarked: true },
    { name: 'key', type: stringType, allowMarked: true },
    { name: 'default', type: dynamicType, allowMarked: true },
  ],
  type: (args) => {
    const t = args[0]!.type;
    if (t.kind === 'object') {
      if (!args[1]!.isKnown()) return dynamicType;
      const key = unmark(args[1]!)[0].asString();
      const at = t.attributes.get(key);
      return at ?? args[2]!.type;
    }
    if (t.kind === 'map') {
      if (convertValue(args[2]!, t.element) instanceof PathError) {
        return new ArgError(2, 'the default value must have the same type as the map elements');
      }
      return t.element;
    }
    return new ArgError(0, 'lookup() requires a map as the first argument');
  },
  impl: (args, retType) => {
    const [map, mapMarks] = unmark(args[0]!);
    const [keyVal, keyMarks] = unmark(args[1]!);
    const marks = unionMarks(mapMarks, keyMarks);
    const key = keyVal.asString();
    if (!map.isWhollyKnown()) return withMarks(unknownVal(retType), marks);
    const found = map.asMap().get(key);
    if (found !== undefined) return withMarks(found, marks);
    const d = convertValue(args[2]!, retType);
    if (d instanceof PathError) return new CallError(d.message);
    return withMarks(d, marks);
  },
});

export const reverseListFunc = defineFunction({
  description: 'Returns the given list with its elements in reverse order.',
  params: [{ name: 'list', type: dynamicType, allowMarked: true }],
  type: (args) => {
    const t = args[0]!.type;
    if (t.kind === 'tuple') return tupleOf([...t.elements].reverse());
    if (t.kind === 'list' || t.kind === 'set') return listOf(t.element);
    return new ArgError(0, `can only reverse list or tuple values, not ${friendlyName(t)}`);
  },
  impl: (args, retType) => {
    const [list, marks] = unmark(args[0]!);
    const out = [...list.asArray()].reverse();
    if (retType.kind === 'tuple') return withMarks(tupleVal(out), marks);
    return withMarks(out.length === 0 ? listValEmpty((retType as { element: Type }).element) : listVal(out), marks);
  },
});

export const sliceFunc = defineFunction({
  description: 'Extracts a subslice of the given list or tuple value.',
  params: [
    { name: 'list', type: dynamicType, allowMarked: true },
    { name: 'start_index', type: numberType },
    { name: 'end_index', type: numberType },
  ],
  type: (args) => {
    const t = args[0]!.type;
    if (t.kind === 'set') {
      return new ArgError(0, 'cannot slice a set, because its elements do not have indices; explicitly convert to a list if the ordering of the result is not important');
    }
    if (t.kind !== 'list' && t.kind !== 'tuple') return new ArgError(0, 'must be a list or tuple value');
    const r = sliceIndexes(args);
    if (r instanceof ArgError) return r;
    if (t.kind === 'list') return t;
    if (!r.known) return dynamicType;
    return tupleOf(t.elements.slice(r.start, r.end));
  },
  impl: (args, retType) => {
    const [list, marks] = unmark(args[0]!);
    if (retType.kind === 'dynamic') return withMarks(unknownVal(dynamicType), marks);
    const r = sliceIndexes(args);
    if (r instanceof ArgError) return r;
    const out = list.asArray().slice(r.start, r.end);
    if (retType.kind === 'tuple') return withMarks(tupleVal(out), marks);
    return withMarks(out.length === 0 ? listValEmpty((retType as { element: Type }).element) : listVal(out), marks);
  },
});

function sliceIndexes(args: readonly Value[]): { start: number; end: number; known: boolean } | ArgError {
  const list = unmark(args[0]!)[0];
  let len: number | undefined;
  if (list.type.kind === 'tuple') len = list.type.elements.length;
  else {
    const l = length(list);
    if (l.isKnown()) len = Number(l.asNumber());
  }
  let start = 0;
  let end = 0;
  const s = args[1]!;
  const e = args[2]!;
  if (s.isKnown()) {
    const i = goInt(s);
    if (typeof i === 'string') return new ArgError(1, `invalid start index: ${i}`);
    if (i < 0) return new ArgError(1, 'start index must not be less than zero');
    if (len !== undefined && i > len) return new ArgError(1, 'start index must not be greater than the length of the list');
    start = i;
  }
  if (e.isKnown()) {
    const i = goInt(e);
    if (typeof i === 'string') return new ArgError(2, `invalid end index: ${i}`);
    if (i < 0) return new ArgError(2, 'end index must not be less than zero');
    if (len !== undefined && i > len) return new ArgError(2, 'end index must not be greater than the length of the list');
    end = i;
  }
  if (s.isKnown() && e.isKnown() && start > end) return new ArgError(1, 'start index must not be greater than end index');
  return { start, end, known: s.isKnown() && e.isKnown() };
}

export const sortFunc = defineFunction({
  description: 'Applies a lexicographic sort to the elements of the given list.',
  params: [{ name: 'list', type: listOf(stringType), allowUnknown: true }],
  type: staticReturnType(listOf(stringType)),
  impl: (args, retType) => {
    const list = args[0]!;
    if (!list.isKnown()) return unknownVal(retType);
    const els = list.asArray();
    // cty refines the unknown result to the list's exact length, which makes it a known
    // list of unknown strings.
    if (!list.isWhollyKnown()) return listVal(els.map(() => unknownVal(stringType)));
    if (els.length === 0) return list;
    const strs: string[] = [];
    for (let i = 0; i < els.length; i++) {
      const v = els[i]!;
      if (v.isNull()) return new CallError(`given list element ${i} is null; a null string cannot be sorted`);
      strs.push(v.asString());
    }
    strs.sort(compareStrings);
    return listVal(strs.map(stringVal));
  },
});

export const valuesFunc = defineFunction({
  description: 'Returns the values of elements of a given map, or the values of attributes of a given object, in lexicographic order by key or attribute name.',
  params: [{ name: 'mapping', type: dynamicType, allowMarked: true }],
  type: (args) => {
    const t = args[0]!.type;
    if (t.kind === 'map') return listOf(t.element);
    if (t.kind === 'object') return t.attributes.size === 0 ? emptyTupleType : tupleOf([...t.attributes.values()]);
    return new CallError('values() requires a map as the first argument');
  },
  impl: (args, retType) => {
    const [m, marks] = unmark(args[0]!);
    const vals = [...m.asMap().values()];
    if (retType.kind === 'tuple') return withMarks(tupleVal(vals), marks);
    return withMarks(vals.length === 0 ? listValEmpty((retType as { element: Type }).element) : listVal(vals), marks);
  },
});

export const zipmapFunc = defineFunction({
  description: 'Constructs a map from a list of keys and a corresponding list of values.',
  params: [
    { name: 'keys', type: listOf(stringType), allowMarked: true },
    { name: 'values', type: dynamicType, allowMarked: true },
  ],
  type: (args) => {
    const keys = args[0]!;
    const vt = args[1]!.type;
    if (vt.kind === 'list') return { kind: 'map', element: vt.element };
    if (vt.kind !== 'tuple') return new CallError('values argument must be a list or tuple value');
    if (!keys.isWhollyKnown()) return dynamicType;
    const raw = unmark(keys)[0].asArray();
    if (raw.length !== vt.elements.length) {
      return new CallError(`number of keys (${raw.length}) does not match number of values (${vt.elements.length})`);
    }
    const attrs = new Map<string, Type>();
    for (let i = 0; i < raw.length; i++) {
      const k = unmark(raw[i]!)[0];
      if (k.isNull()) return new CallError(`keys list has null value at index ${i}`);
      attrs.set(k.asString(), vt.elements[i]!);
    }
    return { kind: 'object', attributes: sortedTypes(attrs), optional: new Set() };
  },
  impl: (args, retType) => {
    const [keys, keyMarks] = unmark(args[0]!);
    const [values, valueMarks] = unmark(args[1]!);
    let marks = unionMarks(keyMarks, valueMarks);
    if (!keys.isWhollyKnown()) return withMarks(unknownVal(retType), marks);
    const ks = keys.asArray();
    const n = values.type.kind === 'tuple' ? values.type.elements.length : Number(length(values).asNumber());
    if (ks.length !== n) return new CallError(`number of keys (${ks.length}) does not match number of values (${n})`);
    const out = new Map<string, Value>();
    ks.forEach((k0, i) => {
      const [k, km] = unmark(k0);
      out.set(k.asString(), index(values, numberIntVal(i)));
      marks = unionMarks(marks, km);
    });
    return withMarks(buildMapOrObject(retType, out), marks);
  },
});

function sortedTypes(m: Map<string, Type>): Map<string, Type> {
  return new Map([...m].sort((a, b) => compareStrings(a[0], b[0])));
}

/** A map value (or empty map) for a map return type, an object value otherwise. */
export function buildMapOrObject(retType: Type, entries: ReadonlyMap<string, Value>): Value {
  if (retType.kind === 'map') return entries.size === 0 ? mapValEmpty(retType.element) : mapVal(entries);
  return objectVal(entries);
}

export const rangeFunc = defineFunction({
  description: 'Returns a list of numbers spread evenly over a particular range.',
  params: [],
  varParam: { name: 'params', type: numberType },
  type: staticReturnType(listOf(numberType)),
  impl: (args) => {
    let start: Value, end: Value, step: Value;
    const minusOne = numberIntVal(-1);
    const one = numberIntVal(1);
    if (args.length === 1) [start, end, step] = [zeroVal, args[0]!, isTrue(lessThan(args[0]!, zeroVal)) ? minusOne : one];
    else if (args.length === 2) [start, end, step] = [args[0]!, args[1]!, isTrue(lessThan(args[1]!, args[0]!)) ? minusOne : one];
    else if (args.length === 3) [start, end, step] = [args[0]!, args[1]!, args[2]!];
    else return new CallError('must have one, two, or three arguments');
    // cty compares the step with cty.Zero by identity, so a zero step never matches
    // that check: it runs into the 1024-value limit (or yields nothing) instead.
    const down = isTrue(lessThan(step, zeroVal));
    if (down && isTrue(greaterThan(end, start))) return new ArgError(1, 'end must be less than start when step is negative');
    if (!down && isTrue(lessThan(end, start))) return new ArgError(1, 'end must be greater than start when step is positive');
    const vals: Value[] = [];
    for (let num = start; ; num = add(num, step)) {
      if (down ? isTrue(lessThanOrEqualTo(num, end)) : isTrue(greaterThanOrEqualTo(num, end))) break;
      if (vals.length >= 1024) {
        return new CallError('more than 1024 values were generated; either decrease the difference between start and end or use a smaller step');
      }
      vals.push(num);
    }
    return vals.length === 0 ? listValEmpty(numberType) : listVal(vals);
  },
});

