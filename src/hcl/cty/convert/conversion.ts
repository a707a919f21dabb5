/**
 * Conversions between types (cty/convert's getConversion): a conversion is found once
 * per pair of types and applied to values. "Safe" conversions never fail for known
 * values (number→string, tuple→list of a unified type, ...); "unsafe" ones may
 * (string→number, list→set, map→object, dynamic→anything).
 */
import { PathError } from '../conform.js';
import type { PathStep } from '../conform.js';
import { unmark, withMarks } from '../marks.js';
import type { Num } from '../number.js';
import { formatNum } from '../number.js';
import { canSetVal, setVal, setValEmpty } from '../set.js';
import type { Type } from '../type.js';
import { isPrimitiveType, listOf, mapOf, objectOf, setOf, tupleOf, typeEquals, withoutOptionalAttributesDeep } from '../type.js';
import type { Value } from '../value.js';
import {
  canListVal,
  falseVal,
  listVal,
  listValEmpty,
  mapVal,
  mapValEmpty,
  nullVal,
  numberIntVal,
  objectVal,
  parseNumberVal,
  stringVal,
  trueVal,
  tupleVal,
  unknownVal,
} from '../value.js';
import { convertValue } from './convert.js';
import { mismatchMessage } from './mismatch.js';
import { unifyTypes } from './unify.js';

/** Applies a conversion; `path` locates the value inside the one being converted. */
export type Conversion = (v: Value, path: readonly PathStep[]) => Value | PathError;

/** The conversion from `inT` to `outT`, or undefined when none exists. */
export function getConversion(inT: Type, outT: Type, unsafe: boolean): Conversion | undefined {
  const conv = getConversionKnown(inT, outT, unsafe);
  if (conv === undefined) return undefined;
  const wrapped: Conversion = (v, path) => {
    if (v.marks !== undefined) {
      const r = wrapped(unmark(v)[0], path);
      return r instanceof PathError ? r : withMarks(r, v.marks);
    }
    if (outT.kind === 'dynamic') return v;
    if (!v.isKnown()) return unknownVal(dynamicReplace(v.type, withoutOptionalAttributesDeep(outT)));
    if (v.isNull()) return nullVal(dynamicReplace(v.type, withoutOptionalAttributesDeep(outT)));
    return conv(v, path);
  };
  return wrapped;
}

function err(path: readonly PathStep[], message: string): PathError {
  return new PathError(message, [...path]);
}

const passthrough: Conversion = (v) => v;

function getConversionKnown(inT: Type, outT: Type, unsafe: boolean): Conversion | undefined {
  if (outT.kind === 'dynamic') return passthrough;
  if (unsafe && inT.kind === 'dynamic') {
    return (v, path) => {
      const r = convertValue(v, outT);
      return r instanceof PathError ? new PathError(r.message, [...path, ...r.path]) : r;
    };
  }
  if (isPrimitiveType(inT) && isPrimitiveType(outT)) return primitiveConversion(inT.kind, outT.kind, unsafe);
  if (outT.kind === 'object' && inT.kind === 'object') return objectToObject(inT, outT, unsafe);
  if (outT.kind === 'tuple' && inT.kind === 'tuple') return tupleToTuple(inT.elements, outT.elements, unsafe);
  if ((outT.kind === 'list' || outT.kind === 'set') && (inT.kind === 'list' || inT.kind === 'set')) {
    if (outT.kind === 'set' && inT.kind === 'list' && !unsafe) return undefined;
    if (typeEquals(inT.element, outT.element)) return collectionToSeq(outT.kind, outT.element, undefined);
    const ec = getConversion(inT.element, outT.element, unsafe);
    return ec === undefined ? undefined : collectionToSeq(outT.kind, outT.element, ec);
  }
  if (outT.kind === 'map' && inT.kind === 'map') {
    const ec = getConversion(inT.element, outT.element, unsafe);
    return ec === undefined ? undefined : mapToMap(outT.element, ec);
  }
  if ((outT.kind === 'list' || outT.kind === 'set') && inT.kind === 'tuple') return tupleToSeq(outT.kind, inT.elements, outT.element, unsafe);
  if (outT.kind === 'map' && inT.kind === 'object') return objectToMap(inT, outT.element, unsafe);
  if (outT.kind === 'object' && inT.kind === 'map') return unsafe ? mapToObject(inT.element, outT, unsafe) : undefined;
  return undefined;
}

function primitiveConversion(from: string, to: string, unsafe: boolean): Conversion | undefined {
  if (from === to) return passthrough;
  if (to === 'string' && from === 'number') return (v) => stringVal(formatNum(v.raw as Num));
  if (to === 'string' && from === 'bool') return (v) => stringVal(v.raw ? 'true' : 'false');
  if (!unsafe || from !== 'string') return undefined;
  if (to === 'number') {
    return (v, path) => parseNumberVal(v.asString()) ?? err(path, 'a number is required');
  }
  return (v, path) => {
    const s = v.asString();
    if (s === 'true' || s === '1') return trueVal;
    if (s === 'false' || s === '0') return falseVal;
    const lower = s.toLowerCase();
    if (lower === 'true' || lower === 'false') {
      return err(path, `a bool is required; to convert from string, use lowercase "${lower}"`);
    }
    return err(path, 'a bool is required');
  };
}

function nullClean(v: Value): Value {
  return v.isNull() ? nullVal(withoutOptionalAttributesDeep(v.type)) : v;
}

function collectionToSeq(kind: 'list' | 'set', ety: Type, ec: Conversion | undefined): Conversion {
  return (v, path) => {
    const els: Value[] = [];
    const src = v.asArray();
    for (let i = 0; i < src.length; i++) {
      let e = src[i]!;
      if (ec !== undefined) {
        const r = ec(e, [...path, { kind: 'index', key: numberIntVal(i) }]);
        if (r instanceof PathError) return r;
        e = r;
      }
      els.push(nullClean(e));
    }
    const inEty = (v.type as { element: Type }).element;
    if (els.length === 0) {
      const et = ety.kind === 'dynamic' ? inEty : withoutOptionalAttributesDeep(ety);
      return kind === 'list' ? listValEmpty(et) : setValEmpty(et);
    }
    if (kind === 'list') return canListVal(els) ? listVal(els) : err(path, 'element types must all match for conversion to list');
    return canSetVal(els) ? setVal(els) : err(path, 'element types must all match for conversion to set');
  };
}

function mapToMap(ety: Type, ec: Conversion): Conversion {
  return (v, path) => {
    const out = new Map<string, Value>();
    for (const [k, e] of v.asMap()) {
      const r = ec(e, [...path, { kind: 'index', key: stringVal(k) }]);
      if (r instanceof PathError) return r;
      out.set(k, r);
    }
    if (out.size === 0) return mapValEmpty(ety.kind === 'dynamic' ? (v.type as { element: Type }).element : withoutOptionalAttributesDeep(ety));
    return finishMap(out, ety, path, false, 'element types must all match for conversion to map');
  };
}

function finishMap(elems: Map<string, Value>, ety: Type, path: readonly PathStep[], unsafe: boolean, mismatch: string): Value | PathError {
  let out = elems;
  if (ety.kind === 'list' || ety.kind === 'set' || ety.kind === 'map' || ety.kind === 'object') {
    const u = unifyMapElements(elems, path, unsafe);
    if (u instanceof PathError) return u;
    out = u;
  }
  return canListVal([...out.values()]) ? mapVal(out) : err(path, mismatch);
}

function unifyMapElements(elems: Map<string, Value>, path: readonly PathStep[], unsafe: boolean): Map<string, Value> | PathError {
  const ut = unifyTypes([...elems.values()].map((e) => e.type), unsafe).type;
  if (ut === undefined) return err(path, 'cannot find a common base type for all elements');
  const out = new Map<string, Value>();
  for (const [k, e] of elems) {
    if (typeEquals(e.type, ut)) {
      out.set(k, e);
      continue;
    }
    const conv = getConversion(e.type, ut, unsafe);
    if (conv === undefined) return err(path, 'cannot find a common base type for all elements');
    const r = conv(e, [...path, { kind: 'index', key: stringVal(k) }]);
    if (r instanceof PathError) return r;
    out.set(k, r);
  }
  return out;
}

function tupleToSeq(kind: 'list' | 'set', etys: readonly Type[], want: Type, unsafe: boolean): Conversion | undefined {
  if (etys.length === 0) {
    const et = withoutOptionalAttributesDeep(want);
    return () => (kind === 'list' ? listValEmpty(et) : setValEmpty(et));
  }
  let ety = want;
  if (ety.kind === 'dynamic') {
    const u = unifyTypes(etys, unsafe).type;
    if (u === undefined) return undefined;
    if (u.kind === 'dynamic' && etys.some((t) => t.kind !== 'dynamic')) return undefined;
    ety = u;
  }
  const convs: Array<Conversion | undefined> = [];
  for (const t of etys) {
    if (typeEquals(t, ety)) {
      convs.push(undefined);
      continue;
    }
    const c = getConversion(t, ety, unsafe);
    if (c === undefined) return undefined;
    convs.push(c);
  }
  return (v, path) => {
    const els: Value[] = [];
    const src = v.asArray();
    for (let i = 0; i < src.length; i++) {
      let e = src[i]!;
      const c = convs[i];
      if (c !== undefined) {
        const r = c(e, [...path, { kind: 'index', key: numberIntVal(i) }]);
        if (r instanceof PathError) return r;
        e = r;
      }
      els.push(kind === 'set' ? nullClean(e) : e);
    }
    if (kind === 'set') return canSetVal(els) ? setVal(els) : err(path, 'element types must all match for conversion to set');
    const ut = unifyTypes(els.map((e) => e.type), unsafe).type;
    if (ut === undefined) return err(path, 'cannot find a common base type for all elements');
    const unified: Value[] = [];
    for (let i = 0; i < els.length; i++) {
      const e = els[i]!;
      if (typeEquals(e.type, ut)) {
        unified.push(e);
        continue;
      }
      const c = getConversion(e.type, ut, unsafe);
      if (c === undefined) return err(path, 'cannot find a common base type for all elements');
      const r = c(e, [...path, { kind: 'index', key: numberIntVal(i) }]);
      if (r instanceof PathError) return r;
      unified.push(r);
    }
    return canListVal(unified) ? listVal(unified) : err(path, 'element types must all match for conversion to list');
  };
}

function tupleToTuple(inEtys: readonly Type[], outEtys: readonly Type[], unsafe: boolean): Conversion | undefined {
  if (inEtys.length !== outEtys.length) return undefined;
  const convs: Array<Conversion | undefined> = [];
  for (let i = 0; i < outEtys.length; i++) {
    if (typeEquals(inEtys[i]!, outEtys[i]!)) {
      convs.push(undefined);
      continue;
    }
    const c = getConversion(inEtys[i]!, outEtys[i]!, unsafe);
    if (c === undefined) return undefined;
    convs.push(c);
  }
  return (v, path) => {
    const out: Value[] = [];
    const src = v.asArray();
    for (let i = 0; i < src.length; i++) {
      const c = convs[i];
      const r = c === undefined ? src[i]! : c(src[i]!, [...path, { kind: 'index', key: numberIntVal(i) }]);
      if (r instanceof PathError) return r;
      out.push(r);
    }
    return tupleVal(out);
  };
}

function objectToObject(inT: Type & { kind: 'object' }, outT: Type & { kind: 'object' }, unsafe: boolean): Conversion | undefined {
  const convs = new Map<string, Conversion | undefined>();
  for (const [name, outAt] of outT.attributes) {
    const inAt = inT.attributes.get(name);
    if (inAt === undefined) {
      if (outT.optional.has(name)) continue;
      return undefined;
    }
    if (typeEquals(inAt, outAt)) {
      convs.set(name, undefined);
      continue;
    }
    const c = getConversion(inAt, outAt, unsafe);
    if (c === undefined) return undefined;
    convs.set(name, c);
  }
  return (v, path) => {
    const out = new Map<string, Value>();
    for (const [name, e] of v.asMap()) {
      if (!convs.has(name)) continue;
      const c = convs.get(name);
      const r = c === undefined ? e : c(e, [...path, { kind: 'attr', name }]);
      if (r instanceof PathError) return r;
      out.set(name, nullClean(r));
    }
    for (const name of outT.optional) {
      if (!out.has(name)) out.set(name, nullVal(withoutOptionalAttributesDeep(outT.attributes.get(name)!)));
    }
    return objectVal(out);
  };
}

function objectToMap(inT: Type & { kind: 'object' }, want: Type, unsafe: boolean): Conversion | undefined {
  if (inT.attributes.size === 0) {
    const et = withoutOptionalAttributesDeep(want);
    return () => mapValEmpty(et);
  }
  let ety = want;
  if (ety.kind === 'dynamic') {
    const u = unifyTypes([...inT.attributes.values()], unsafe).type;
    if (u === undefined) return undefined;
    ety = u;
  }
  const convs = new Map<string, Conversion>();
  for (const [name, at] of inT.attributes) {
    if (typeEquals(at, ety)) continue;
    const c = getConversion(at, ety, unsafe);
    if (c === undefined) return undefined;
    convs.set(name, c);
  }
  return (v, path) => {
    const out = new Map<string, Value>();
    for (const [name, e] of v.asMap()) {
      const c = convs.get(name);
      const r = c === undefined ? e : c(e, [...path, { kind: 'index', key: stringVal(name) }]);
      if (r instanceof PathError) return r;
      out.set(name, r);
    }
    return finishMap(out, ety, path, unsafe, 'attribute types must all match for conversion to map');
  };
}

function mapToObject(mapEty: Type, outT: Type & { kind: 'object' }, unsafe: boolean): Conversion | undefined {
  const convs = new Map<string, Conversion | undefined>();
  for (const [name, at] of outT.attributes) {
    if (typeEquals(at, mapEty)) {
      convs.set(name, undefined);
      continue;
    }
    const c = getConversion(mapEty, at, unsafe);
    if (c === undefined && !(outT.optional.has(name) && unsafe)) return undefined;
    convs.set(name, c);
  }
  return (v, path) => {
    const out = new Map<string, Value>();
    for (const [name, e] of v.asMap()) {
      const at = outT.attributes.get(name);
      if (at === undefined) continue;
      const c = convs.get(name);
      let r: Value | PathError = e;
      if (c !== undefined) r = c(e, [...path, { kind: 'index', key: stringVal(name) }]);
      else if (!typeEquals(at, mapEty)) {
        return err(path, `map element type is incompatible with attribute "${name}": ${mismatchMessage(e.type, at)}`);
      }
      if (r instanceof PathError) return r;
      out.set(name, nullClean(r));
    }
    for (const [name, at] of outT.attributes) {
      if (out.has(name)) continue;
      if (!outT.optional.has(name)) return err(path, `map has no element for required attribute "${name}"`);
      out.set(name, nullVal(at));
    }
    return objectVal(out);
  };
}

/** cty's dynamicReplace: the result type for an unknown/null input converted to `out`. */
export function dynamicReplace(inT: Type, out: Type): Type {
  if (inT.kind === 'dynamic') return out;
  switch (out.kind) {
    case 'dynamic':
      return inT;
    case 'string':
    case 'number':
    case 'bool':
      return out;
    case 'map':
      if (inT.kind === 'map') return mapOf(dynamicReplace(inT.element, out.element));
      if (inT.kind === 'object') return mapOf(dynamicReplace(unifyTypes([...inT.attributes.values()], true).type ?? dynamicTypeOf(), out.element));
      return out;
    case 'object': {
      const attrs = new Map<string, Type>();
      if (inT.kind === 'map') for (const [k, at] of out.attributes) attrs.set(k, dynamicReplace(inT.element, at));
      if (inT.kind === 'object') {
        for (const [k, at] of out.attributes) {
          const it = inT.attributes.get(k);
          attrs.set(k, it === undefined ? at : dynamicReplace(it, at));
        }
      }
      return objectOf(attrs);
    }
    case 'set':
    case 'list': {
      const make = out.kind === 'set' ? setOf : listOf;
      if (inT.kind === 'set' || inT.kind === 'list') return make(dynamicReplace(inT.element, out.element));
      if (inT.kind === 'tuple') return make(dynamicReplace(unifyTypes(inT.elements, true).type ?? dynamicTypeOf(), out.element));
      return out;
    }
    case 'tuple':
      if (inT.kind !== 'tuple') return out;
      return tupleOf(out.elements.map((et, i) => dynamicReplace(inT.elements[i] ?? et, et)));
  }
}

function dynamicTypeOf(): Type {
  return { kind: 'dynamic' };
}
