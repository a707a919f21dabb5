/**
 * Equality: `equals` (cty's `Equals`, the `==` operator: a bool Value, possibly unknown,
 * carrying the operands' marks) and `rawEquals` (cty's `RawEquals`: exact sameness for
 * tests and caches, a JS boolean).
 */
import { testConformance } from './conform.js';
import { containsMarked, marksEqual, unmarkDeep, withMarks } from './marks.js';
import type { Num } from './number.js';
import { numEquals } from './number.js';
import { hasDynamicTypes, typeEquals } from './type.js';
import type { Value } from './value.js';
import { boolVal, falseVal, trueVal, unknownVal } from './value.js';

const unknownBool = unknownVal({ kind: 'bool' });

/** True when `v` has a type with no dynamic part once its elements are looked at. */
export function hasWhollyKnownType(v: Value): boolean {
  if (v.isNull()) return true;
  if (!v.isKnown()) return !hasDynamicTypes(v.type);
  const r = v.raw;
  if (Array.isArray(r)) return (r as readonly Value[]).every(hasWhollyKnownType);
  if (r instanceof Map) {
    for (const e of (r as ReadonlyMap<string, Value>).values()) if (!hasWhollyKnownType(e)) return false;
  }
  return true;
}

/**
 * cty's `Equals`: a bool that is unknown when the answer depends on unknown parts, false
 * for values of different types (or different nullness), and marked with every mark of
 * both operands (nested marks included; only top-level marks when one side is null).
 */
export function equals(a: Value, b: Value): Value {
  if (containsMarked(a) || containsMarked(b)) {
    const [ua, deepA] = unmarkDeep(a);
    const [ub, deepB] = unmarkDeep(b);
    const oneNull = a.isNull() !== b.isNull();
    return withMarks(equals(ua, ub), oneNull ? a.marks : deepA, oneNull ? b.marks : deepB);
  }
  const ak = a.isKnown();
  const bk = b.isKnown();
  if (a.isNull() && bk && !b.isNull()) return falseVal;
  if (b.isNull() && ak && !a.isNull()) return falseVal;
  if (!ak && !bk) return unknownBool;
  if (ak && !bk) {
    if (a.isNull() || hasDynamicTypes(b.type)) return unknownBool;
    return typeEquals(a.type, b.type) ? unknownBool : falseVal;
  }
  if (bk && !ak) {
    if (b.isNull() || hasDynamicTypes(a.type)) return unknownBool;
    return typeEquals(a.type, b.type) ? unknownBool : falseVal;
  }
  if (a.isNull() && b.isNull()) return trueVal;
  if (a.isNull() || b.isNull()) return falseVal;
  if (!hasWhollyKnownType(a) || !hasWhollyKnownType(b)) {
    if (testConformance(a.type, b.type).length > 0 && testConformance(b.type, a.type).length > 0) return falseVal;
    return unknownBool;
  }
  if (!typeEquals(a.type, b.type)) return falseVal;
  const r = knownEquals(a, b);
  return r === undefined ? unknownBool : boolVal(r);
}

/** Equality of two known, non-null, unmarked values of the same type; undefined = unknown. */
function knownEquals(a: Value, b: Value): boolean | undefined {
  switch (a.type.kind) {
    case 'number':
      return numEquals(a.raw as Num, b.raw as Num);
    case 'string':
    case 'bool':
      return a.raw === b.raw;
    case 'list':
    case 'tuple': {
      const x = a.asArray();
      const y = b.asArray();
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) {
        const eq = equals(x[i]!, y[i]!);
        if (!eq.isKnown()) return undefined;
        if (!eq.asBool()) return false;
      }
      return true;
    }
    case 'map':
    case 'object': {
      const x = a.asMap();
      const y = b.asMap();
      if (x.size !== y.size) return false;
      for (const [k, xv] of x) {
        const yv = y.get(k);
        if (yv === undefined) return false;
        const eq = equals(xv, yv);
        if (!eq.isKnown()) return undefined;
        if (!eq.asBool()) return false;
      }
      return true;
    }
    case 'set': {
      const x = a.asArray();
      const y = b.asArray();
      if (x.some((v) => !v.isKnown()) || y.some((v) => !v.isKnown())) return undefined;
      const has = (list: readonly Value[], v: Value): boolean =>
        list.some((w) => {
          const eq = equals(v, w);
          return eq.isKnown() && eq.asBool();
        });
      return x.every((v) => has(y, v)) && y.every((v) => has(x, v));
    }
    case 'dynamic':
      return undefined;
  }
}

/** `!equals(a, b)`, with the same unknown and mark rules. */
export function notEquals(a: Value, b: Value): Value {
  const eq = equals(a, b);
  if (!eq.isKnown()) return eq;
  return withMarks(boolVal(!eq.asBool()), eq.marks);
}

/**
 * cty's `RawEquals`: same type, same top-level marks, same known/null state and the
 * same payload, recursively (numbers by value, sets element by element in order).
 * Refinements are not tracked, so two unknowns of one type are raw-equal.
 */
export function rawEquals(a: Value, b: Value): boolean {
  if (!typeEquals(a.type, b.type) || !marksEqual(a.marks, b.marks)) return false;
  const ak = a.isKnown();
  if (ak !== b.isKnown()) return false;
  if (!ak) return true;
  if (a.isNull() || b.isNull()) return a.isNull() === b.isNull();
  switch (a.type.kind) {
    case 'number':
      return numEquals(a.raw as Num, b.raw as Num);
    case 'string':
    case 'bool':
      return a.raw === b.raw;
    case 'list':
    case 'tuple':
    case 'set': {
      const x = a.asArray();
      const y = b.asArray();
      return x.length === y.length && x.every((v, i) => rawEquals(v, y[i]!));
    }
    case 'map':
    case 'object': {
      const x = a.asMap();
      const y = b.asMap();
      if (x.size !== y.size) return false;
      for (const [k, v] of x) {
        const w = y.get(k);
        if (w === undefined || !rawEquals(v, w)) return false;
      }
      return true;
    }
    case 'dynamic':
      return true;
  }
}
