/**
 * `merge` (cty stdlib) and `coalesce` (go-cty-funcs, the variant Packer exposes):
 * functions that combine values of possibly different types.
 */
import { PathError } from '../cty/conform.js';
import { convertValue } from '../cty/convert/convert.js';
import { unifyUnsafe } from '../cty/convert/unify.js';
import { rawEquals } from '../cty/equals.js';
import { unionMarks, unmark, withMarks } from '../cty/marks.js';
import type { Type } from '../cty/type.js';
import { dynamicType, emptyObjectType, friendlyName, objectOf, typeEquals } from '../cty/type.js';
import type { Marks, Value } from '../cty/value.js';
import { mapVal, mapValEmpty, objectVal, stringVal, unknownVal } from '../cty/value.js';
import { CallError, defineFunction } from './function.js';

export const mergeFunc = defineFunction({
  description: 'Merges all of the elements from the given maps into a single map, or the attributes from given objects into a single object.',
  params: [],
  varParam: { name: 'maps', type: dynamicType, allowDynamicType: true, allowNull: true, allowMarked: true },
  type: (args) => {
    if (args.length === 0) return emptyObjectType;
    const attrs = new Map<string, Type>();
    let first: Type | undefined;
    let matching = true;
    let attrsKnown = true;
    for (const arg0 of args) {
      let t = arg0.type;
      if (t.kind === 'dynamic') return dynamicType;
      if (t.kind !== 'map' && t.kind !== 'object') return new CallError(`arguments must be maps or objects, got ${JSON.stringify(friendlyName(t))}`);
      const arg = unmark(arg0)[0];
      if (t.kind === 'object') {
        if (arg.isNull()) t = emptyObjectType;
        for (const [k, at] of (t as { attributes: ReadonlyMap<string, Type> }).attributes) attrs.set(k, at);
      } else if (!arg.isNull()) {
        if (arg.isKnown()) for (const k of arg.asMap().keys()) attrs.set(k, t.element);
        else attrsKnown = false;
      }
      if (first === undefined) first = t;
      else if (matching && !typeEquals(t, first)) matching = false;
    }
    if (matching) return first!;
    if (!attrsKnown) return dynamicType;
    return objectOf(attrs);
  },
  impl: (args, retType) => {
    const out = new Map<string, Value>();
    let marks: Marks | undefined;
    for (const arg0 of args) {
      if (arg0.isNull()) continue;
      const [arg, m] = unmark(arg0);
      marks = unionMarks(marks, m);
      for (const [k, v] of arg.asMap()) out.set(k, v);
    }
    if (retType.kind === 'map') return withMarks(out.size === 0 ? mapValEmpty(retType.element) : mapVal(out), marks);
    return withMarks(objectVal(out), marks);
  },
});

/**
 * go-cty-funcs' `coalesce(vals...)`: the first argument that is not null and not an
 * empty string, after converting all of them to their unified type.
 */
export const coalesceFunc = defineFunction({
  description: 'Returns the first of the given arguments that is not null. If the result is a string, also skips empty strings.',
  params: [],
  varParam: { name: 'vals', type: dynamicType, allowUnknown: true, allowDynamicType: true, allowNull: true },
  type: (args) => {
    const t = unifyUnsafe(args.map((a) => a.type)).type;
    return t ?? new CallError('all arguments must have the same type');
  },
  impl: (args, retType) => {
    for (const a of args) {
      const c = convertValue(a, retType);
      const v = c instanceof PathError ? a : c;
      if (!v.isKnown()) return unknownVal(retType);
      if (v.isNull()) continue;
      if (retType.kind === 'string' && rawEquals(v, stringVal(''))) continue;
      return v;
    }
    return new CallError('no non-null, non-empty-string arguments');
  },
});
