/**
 * Type unification (cty/convert's Unify / UnifyUnsafe): the single type a set of values
 * can all be converted to — used for conditional results, collection literals and
 * functions such as `concat`. `type` is undefined when there is none.
 */
import { PathError } from '../conform.js';
import type { Type } from '../type.js';
import { dynamicType, listOf, mapOf, objectOf, setOf, tupleOf, typeEquals } from '../type.js';
import type { Value } from '../value.js';
import { dynamicVal } from '../value.js';
import { getConversion } from './conversion.js';
import { sortTypes } from './sort-types.js';

/** Converts a value of one of the unified types to the unified type. */
export type UnifyConversion = (v: Value) => Value | PathError;

export interface Unified {
  /** The common type, or undefined when the types cannot be unified. */
  readonly type: Type | undefined;
  /** Per input type: its conversion, or undefined when it already is `type`. */
  readonly conversions: ReadonlyArray<UnifyConversion | undefined>;
}

const NONE: Unified = { type: undefined, conversions: [] };

/** Unify with safe conversions only (cty's Unify). */
export function unify(types: readonly Type[]): Unified {
  return unifyTypes(types, false);
}
/** Unify allowing unsafe conversions (cty's UnifyUnsafe). */
export function unifyUnsafe(types: readonly Type[]): Unified {
  return unifyTypes(types, true);
}

function conv(from: Type, to: Type, unsafe: boolean): UnifyConversion | undefined {
  const c = getConversion(from, to, unsafe);
  return c === undefined ? undefined : (v) => c(v, []);
}

export function unifyTypes(types: readonly Type[], unsafe: boolean): Unified {
  if (types.length === 0) return NONE;
  let mapCt = 0, listCt = 0, setCt = 0, objectCt = 0, tupleCt = 0, dynamicCt = 0;
  for (const t of types) {
    if (t.kind === 'map') mapCt++;
    else if (t.kind === 'list') listCt++;
    else if (t.kind === 'set') setCt++;
    else if (t.kind === 'object') objectCt++;
    else if (t.kind === 'tuple') tupleCt++;
    else if (t.kind === 'dynamic') dynamicCt++;
  }
  const n = types.length;
  if (mapCt > 0 && mapCt + dynamicCt === n) return unifyCollections(mapOf, types, unsafe, dynamicCt > 0);
  if (mapCt > 0 && mapCt + objectCt + dynamicCt === n) {
    const r = unifyStructuralAsCollection(types, unsafe, 'object');
    if (r.type?.kind === 'map') return r;
  } else if (listCt > 0 && listCt + dynamicCt === n) {
    return unifyCollections(listOf, types, unsafe, dynamicCt > 0);
  } else if (listCt > 0 && listCt + tupleCt + dynamicCt === n) {
    const r = unifyStructuralAsCollection(types, unsafe, 'tuple');
    if (r.type?.kind === 'list') return r;
  } else if (setCt > 0 && setCt + dynamicCt === n) {
    return unifyCollections(setOf, types, unsafe, dynamicCt > 0);
  } else if (objectCt > 0 && objectCt + dynamicCt === n) {
    return unifyObjects(types, unsafe, dynamicCt > 0);
  } else if (tupleCt > 0 && tupleCt + dynamicCt === n) {
    return unifyTuples(types, unsafe, dynamicCt > 0);
  } else if (objectCt > 0 && tupleCt > 0) {
    return NONE;
  }
  const order = sortTypes(types);
  preferences: for (const wantIdx of order) {
    const want = types[wantIdx]!;
    const convs: Array<UnifyConversion | undefined> = [];
    for (let i = 0; i < n; i++) {
      const t = types[i]!;
      if (i === wantIdx || typeEquals(t, want)) {
        convs.push(undefined);
        continue;
      }
      const c = conv(t, want, unsafe);
      if (c === undefined) continue preferences;
      convs.push(c);
    }
    return { type: want, conversions: convs };
  }
  return NONE;
}

/** All types converted to `target`, or NONE (or `fallback()`) when one cannot be. */
function convertAllTo(types: readonly Type[], target: Type, unsafe: boolean, fallback?: () => Unified): Unified {
  const convs: Array<UnifyConversion | undefined> = [];
  for (const t of types) {
    if (typeEquals(t, target)) {
      convs.push(undefined);
      continue;
    }
    const c = conv(t, target, unsafe);
    if (c === undefined) return fallback ? fallback() : NONE;
    convs.push(c);
  }
  return { type: target, conversions: convs };
}

function allAsDynamic(types: readonly Type[]): Unified {
  return { type: dynamicType, conversions: types.map(() => () => dynamicVal) };
}

function unifyCollections(make: (t: Type) => Type, types: readonly Type[], unsafe: boolean, hasDynamic: boolean): Unified {
  if (hasDynamic) return allAsDynamic(types);
  const et = unifyTypes(types.map((t) => (t as { element: Type }).element), unsafe).type;
  if (et === undefined) return NONE;
  return convertAllTo(types, make(et), unsafe);
}

/** Objects (with maps) unified as a map, or tuples (with lists) as a list. */
function unifyStructuralAsCollection(types: readonly Type[], unsafe: boolean, structural: 'object' | 'tuple'): Unified {
  const idxs: number[] = [];
  types.forEach((t, i) => {
    if (t.kind === structural) idxs.push(i);
  });
  const inner = structural === 'object' ? objectsToMap(idxs.map((i) => types[i]!), unsafe) : tuplesToList(idxs.map((i) => types[i]!), unsafe);
  const wantKind = structural === 'object' ? 'map' : 'list';
  if (inner.type?.kind !== wantKind) return NONE;
  const replaced = types.map((t, i) => (idxs.includes(i) ? inner.type! : t));
  const outer = unifyTypes(replaced, unsafe);
  if (outer.type?.kind !== wantKind) return NONE;
  const convs = [...outer.conversions];
  idxs.forEach((idx, j) => {
    const first = inner.conversions[j];
    const second = convs[idx];
    if (second === undefined) convs[idx] = first;
    else if (first !== undefined) {
      // cty applies the second conversion to the original value here too.
      convs[idx] = (v) => {
        const r = first(v);
        return r instanceof PathError ? r : second(v);
      };
    }
  });
  return { type: outer.type, conversions: convs };
}

function unifyObjects(types: readonly Type[], unsafe: boolean, hasDynamic: boolean): Unified {
  if (hasDynamic) return allAsDynamic(types);
  const objs = types as ReadonlyArray<Type & { kind: 'object' }>;
  const first = objs[0]!.attributes;
  for (const t of objs.slice(1)) {
    if (t.attributes.size !== first.size) return objectsToMap(types, unsafe);
    for (const k of t.attributes.keys()) if (!first.has(k)) return objectsToMap(types, unsafe);
  }
  const attrs = new Map<string, Type>();
  for (const name of first.keys()) {
    const at = unifyTypes(objs.map((t) => t.attributes.get(name)!), unsafe).type;
    if (at === undefined) return NONE;
    attrs.set(name, at);
  }
  return convertAllTo(types, objectOf(attrs), unsafe, () => objectsToMap(types, unsafe));
}

function objectsToMap(types: readonly Type[], unsafe: boolean): Unified {
  const ats = (types as ReadonlyArray<Type & { kind: 'object' }>).flatMap((t) => [...t.attributes.values()]);
  const et = unifyTypes(ats, unsafe).type;
  if (et === undefined) return NONE;
  return convertAllTo(types, mapOf(et), unsafe);
}

function unifyTuples(types: readonly Type[], unsafe: boolean, hasDynamic: boolean): Unified {
  if (hasDynamic) return allAsDynamic(types);
  const tups = types as ReadonlyArray<Type & { kind: 'tuple' }>;
  const len = tups[0]!.elements.length;
  if (tups.some((t) => t.elements.length !== len)) return tuplesToList(types, unsafe);
  const ets: Type[] = [];
  for (let i = 0; i < len; i++) {
    const et = unifyTypes(tups.map((t) => t.elements[i]!), unsafe).type;
    if (et === undefined) return NONE;
    ets.push(et);
  }
  return convertAllTo(types, tupleOf(ets), unsafe, () => tuplesToList(types, unsafe));
}

function tuplesToList(types: readonly Type[], unsafe: boolean): Unified {
  const ets = (types as ReadonlyArray<Type & { kind: 'tuple' }>).flatMap((t) => [...t.elements]);
  const et = unifyTypes(ets, unsafe).type;
  if (et === undefined) return NONE;
  return convertAllTo(types, listOf(et), unsafe);
}
