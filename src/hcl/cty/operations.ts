/**
 * Value operations with cty's semantics: arithmetic, comparison and logic (the HCL
 * operators), plus length, index, attribute access and element iteration.
 *
 * Unknown and dynamic operands give an unknown result of the operation's result type;
 * top-level marks of the operands are carried to the result. As in cty, misuse — an
 * operand of the wrong type, a null operand, a bad index — is a caller bug and throws;
 * the HCL evaluator checks types and nulls first and reports them as diagnostics.
 */
import { equals } from './equals.js';
import { unionMarks, unmark, withMarks } from './marks.js';
import type { Num } from './number.js';
import {
  absNum,
  addNum,
  cmpNum,
  divNum,
  isFiniteNum,
  modNum,
  mulNum,
  negNum,
  subNum,
  toSafeInteger,
} from './number.js';
import type { Type } from './type.js';
import { boolType, friendlyName, numberType, typeEquals } from './type.js';
import type { Value } from './value.js';
import { boolVal, dynamicVal, falseVal, numberIntVal, numberVal, stringVal, trueVal, unknownVal } from './value.js';

/** `undefined`: all operands known and of the required type; else the short-circuit result. */
function typeCheck(required: Type, ret: Type, vals: readonly Value[]): Value | undefined {
  let dyn = false;
  let unk = false;
  vals.forEach((v, i) => {
    if (v.type.kind === 'dynamic') {
      dyn = true;
      return;
    }
    if (!typeEquals(v.type, required)) {
      throw new Error(`type mismatch: want ${friendlyName(required)} but value ${i} is ${friendlyName(v.type)}`);
    }
    if (!v.isKnown()) unk = true;
    else if (v.isNull()) throw new Error(`internal: null ${friendlyName(required)} operand`);
  });
  return dyn || unk ? unknownVal(ret) : undefined;
}

function binaryNumber(a: Value, b: Value, op: (x: Num, y: Num) => Num): Value {
  if (a.marks !== undefined || b.marks !== undefined) {
    return withMarks(binaryNumber(unmark(a)[0], unmark(b)[0], op), a.marks, b.marks);
  }
  return typeCheck(numberType, numberType, [a, b]) ?? numberVal(op(a.raw as Num, b.raw as Num));
}

export function add(a: Value, b: Value): Value {
  return binaryNumber(a, b, addNum);
}
export function subtract(a: Value, b: Value): Value {
  return binaryNumber(a, b, subNum);
}
export function multiply(a: Value, b: Value): Value {
  return binaryNumber(a, b, mulNum);
}
/** Division; `x / 0` is ±Infinity as in cty (HCL's divide function reports it instead). */
export function divide(a: Value, b: Value): Value {
  return binaryNumber(a, b, divNum);
}
/** cty's Modulo: truncated remainder (sign of the dividend); `x % 0` is `x`. */
export function modulo(a: Value, b: Value): Value {
  return binaryNumber(a, b, modNum);
}
export function negate(a: Value): Value {
  if (a.marks !== undefined) return withMarks(negate(unmark(a)[0]), a.marks);
  return typeCheck(numberType, numberType, [a]) ?? numberVal(negNum(a.raw as Num));
}
export function absolute(a: Value): Value {
  if (a.marks !== undefined) return withMarks(absolute(unmark(a)[0]), a.marks);
  return typeCheck(numberType, numberType, [a]) ?? numberVal(absNum(a.raw as Num));
}

function compare(a: Value, b: Value, test: (c: number) => boolean): Value {
  if (a.marks !== undefined || b.marks !== undefined) {
    return withMarks(compare(unmark(a)[0], unmark(b)[0], test), a.marks, b.marks);
  }
  return typeCheck(numberType, boolType, [a, b]) ?? boolVal(test(cmpNum(a.raw as Num, b.raw as Num)));
}
export function lessThan(a: Value, b: Value): Value {
  return compare(a, b, (c) => c < 0);
}
export function greaterThan(a: Value, b: Value): Value {
  return compare(a, b, (c) => c > 0);
}
/** cty: `lessThan(a, b) || equals(a, b)`, so unknowns and marks combine the same way. */
export function lessThanOrEqualTo(a: Value, b: Value): Value {
  return or(lessThan(a, b), equals(a, b));
}
export function greaterThanOrEqualTo(a: Value, b: Value): Value {
  return or(greaterThan(a, b), equals(a, b));
}

export function not(a: Value): Value {
  if (a.marks !== undefined) return withMarks(not(unmark(a)[0]), a.marks);
  return typeCheck(boolType, boolType, [a]) ?? boolVal(!a.raw);
}
/** `a && b`; a known false on either side decides even when the other is unknown. */
export function and(a: Value, b: Value): Value {
  if (a.marks !== undefined || b.marks !== undefined) return withMarks(and(unmark(a)[0], unmark(b)[0]), a.marks, b.marks);
  const sc = typeCheck(boolType, boolType, [a, b]);
  if (sc !== undefined) return a.raw === false || b.raw === false ? falseVal : sc;
  return boolVal(a.raw === true && b.raw === true);
}
/** `a || b`; a known true on either side decides even when the other is unknown. */
export function or(a: Value, b: Value): Value {
  if (a.marks !== undefined || b.marks !== undefined) return withMarks(or(unmark(a)[0], unmark(b)[0]), a.marks, b.marks);
  const sc = typeCheck(boolType, boolType, [a, b]);
  if (sc !== undefined) return a.raw === true || b.raw === true ? trueVal : sc;
  return boolVal(a.raw === true || b.raw === true);
}

/**
 * The number of elements (cty's Length): a tuple's length even when unknown; unknown for
 * an unknown collection, or a set holding unknowns (which may later merge). Throws on null.
 */
export function length(v: Value): Value {
  if (v.marks !== undefined) return withMarks(length(unmark(v)[0]), v.marks);
  const t = v.type;
  if (t.kind === 'tuple') return numberIntVal(t.elements.length);
  if (!v.isKnown()) return unknownVal(numberType);
  if (v.isNull()) throw new Error('internal: length of null value');
  if (t.kind === 'set') {
    const els = v.asArray();
    return els.length === 1 || v.isWhollyKnown() ? numberIntVal(els.length) : unknownVal(numberType);
  }
  if (t.kind === 'object') return numberIntVal(t.attributes.size);
  if (t.kind === 'list') return numberIntVal(v.asArray().length);
  if (t.kind === 'map') return numberIntVal(v.asMap().size);
  throw new Error(`internal: length of ${friendlyName(t)}`);
}

function indexInt(key: Value): number | undefined {
  const n = toSafeInteger(key.raw as Num);
  return n !== undefined && n >= 0 ? n : undefined;
}

/**
 * `collection[key]` for a list, map or tuple, as cty's Index: the caller has checked that
 * the key has the right type and is in range (hcl.Index does, with diagnostics).
 */
export function index(coll: Value, key: Value): Value {
  if (coll.marks !== undefined || key.marks !== undefined) {
    return withMarks(index(unmark(coll)[0], unmark(key)[0]), coll.marks, key.marks);
  }
  const t = coll.type;
  if (t.kind === 'dynamic') return dynamicVal;
  if (t.kind === 'list' || t.kind === 'map') {
    if (key.type.kind === 'dynamic' || !key.isKnown() || !coll.isKnown()) return unknownVal(t.element);
    if (t.kind === 'list') {
      const i = key.type.kind === 'number' ? indexInt(key) : undefined;
      const el = i === undefined ? undefined : coll.asArray()[i];
      if (el === undefined) throw new Error('internal: element key for list must be non-negative integer in range');
      return el;
    }
    const el = key.type.kind === 'string' ? coll.asMap().get(key.asString()) : undefined;
    if (el === undefined) throw new Error('internal: map has no element for key');
    return el;
  }
  if (t.kind === 'tuple') {
    if (key.type.kind === 'dynamic' || !key.isKnown()) return dynamicVal;
    const i = key.type.kind === 'number' ? indexInt(key) : undefined;
    const et = i === undefined ? undefined : t.elements[i];
    if (i === undefined || et === undefined) throw new Error('internal: element key for tuple must be non-negative integer in range');
    return coll.isKnown() ? coll.asArray()[i]! : unknownVal(et);
  }
  throw new Error(`internal: cannot index ${friendlyName(t)}`);
}

/** Whether `coll[key]` exists (bool, possibly unknown, with both operands' marks). */
export function hasIndex(coll: Value, key: Value): Value {
  if (coll.marks !== undefined || key.marks !== undefined) {
    return withMarks(hasIndex(unmark(coll)[0], unmark(key)[0]), coll.marks, key.marks);
  }
  const t = coll.type;
  const unknownBool = unknownVal(boolType);
  if (t.kind === 'dynamic') return unknownBool;
  if (t.kind === 'list' || t.kind === 'map' || t.kind === 'tuple') {
    if (key.type.kind === 'dynamic') return unknownBool;
    const want = t.kind === 'map' ? 'string' : 'number';
    if (key.type.kind !== want) return falseVal;
    if (!key.isKnown()) return unknownBool;
    if (t.kind === 'tuple') {
      const i = indexInt(key);
      return boolVal(i !== undefined && i < t.elements.length);
    }
    if (!coll.isKnown()) return unknownBool;
    if (t.kind === 'map') return boolVal(coll.asMap().has(key.asString()));
    const i = indexInt(key);
    return boolVal(i !== undefined && i < coll.asArray().length);
  }
  throw new Error(`internal: hasIndex on ${friendlyName(t)}`);
}

/** `obj.name` for an object value (unknown for unknown objects, dynamic for dynamic). */
export function getAttr(obj: Value, name: string): Value {
  if (obj.marks !== undefined) return withMarks(getAttr(unmark(obj)[0], name), obj.marks);
  const t = obj.type;
  if (t.kind === 'dynamic') return dynamicVal;
  if (t.kind !== 'object') throw new Error('internal: value is not an object');
  const at = t.attributes.get(name) ?? t.attributes.get(name.normalize('NFC'));
  if (at === undefined) throw new Error(`internal: object has no attribute "${name}"`);
  if (!obj.isKnown()) return unknownVal(at);
  if (obj.isNull()) throw new Error('internal: getAttr on null object');
  return obj.asMap().get(t.attributes.has(name) ? name : name.normalize('NFC'))!;
}

/**
 * The `[key, element]` pairs of a known, non-null, unmarked collection or structure, in
 * cty's order: lists and tuples by index (keys are numbers), maps and objects by key in
 * lexical order (keys are strings), sets in cty's set order (key = element).
 */
export function elements(v: Value): Array<[Value, Value]> {
  if (!v.isKnown() || v.isNull()) throw new Error('internal: elements of an unknown or null value');
  switch (v.type.kind) {
    case 'list':
    case 'tuple':
      return v.asArray().map((e, i) => [numberIntVal(i), e]);
    case 'set':
      return v.asArray().map((e) => [e, e]);
    case 'map':
    case 'object':
      return [...v.asMap()].map(([k, e]) => [stringVal(k), e]);
    default:
      throw new Error(`internal: cannot iterate ${friendlyName(v.type)}`);
  }
}

/** Whether `elements` works on values of this type (collections and structural types). */
export function canIterateElements(v: Value): boolean {
  const k = v.type.kind;
  return k === 'list' || k === 'set' || k === 'map' || k === 'object' || k === 'tuple';
}

/** True when the number is finite (cty has no NaN). */
export function isFiniteNumber(v: Value): boolean {
  return isFiniteNum(v.asNumber());
}

/** Marks of all given values, for results built by hand. */
export function marksOf(...vals: readonly Value[]) {
  return unionMarks(...vals.map((v) => v.marks));
}
