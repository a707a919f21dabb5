/**
 * cty stdlib's set functions: setunion, setintersection, setproduct (Packer exposes
 * these three) and setsubtract, setsymmetricdifference (cty only, kept for its
 * conformance vectors). Elements are compared with cty's equality; unknown elements
 * never match anything.
 */
import { PathError } from '../cty/conform.js';
import { convertValue } from '../cty/convert/convert.js';
import { unifyUnsafe } from '../cty/convert/unify.js';
import { equals } from '../cty/equals.js';
import { unionMarks, unmark, withMarks } from '../cty/marks.js';
import { length } from '../cty/operations.js';
import { setVal, setValEmpty } from '../cty/set.js';
import type { Type } from '../cty/type.js';
import { dynamicType, listOf, setOf, tupleOf } from '../cty/type.js';
import type { Marks, Value } from '../cty/value.js';
import { listVal, listValEmpty, tupleVal, unknownVal } from '../cty/value.js';
import type { CtyFunction, FunctionError, Parameter } from './function.js';
import { ArgError, CallError, defineFunction } from './function.js';

const SET_PARAM_TYPE = setOf(dynamicType);

function setOperationReturnType(args: readonly Value[]): Type | FunctionError {
  const etys: Type[] = [];
  for (const a of args) {
    const et = (a.type as { element: Type }).element;
    if (a.isKnown() && a.asArray().length === 0 && et.kind === 'dynamic') continue;
    etys.push(et);
  }
  if (etys.length === 0) return setOf(dynamicType);
  const u = unifyUnsafe(etys).type;
  if (u === undefined) return new CallError('given sets must all have compatible element types');
  return setOf(u);
}

function contains(list: readonly Value[], v: Value): boolean {
  return list.some((w) => {
    const eq = equals(v, w);
    return eq.isKnown() && eq.asBool();
  });
}

type SetOp = (a: readonly Value[], b: readonly Value[]) => Value[];

function setOperation(description: string, op: SetOp, allowUnknowns: boolean, binary: boolean): CtyFunction {
  const first: Parameter = { name: binary ? 'a' : 'first_set', type: SET_PARAM_TYPE, allowDynamicType: true };
  const other: Parameter = { name: binary ? 'b' : 'other_sets', type: SET_PARAM_TYPE, allowDynamicType: true };
  return defineFunction({
    description,
    params: binary ? [first, other] : [first],
    ...(binary ? {} : { varParam: other }),
    type: setOperationReturnType,
    impl: (args, retType) => {
      let acc: Value[] | undefined;
      for (let i = 0; i < args.length; i++) {
        const c = convertValue(args[i]!, retType);
        if (c instanceof PathError) return new ArgError(i, c.message);
        if (!allowUnknowns && !c.isWhollyKnown()) return unknownVal(retType);
        const els = c.asArray();
        acc = acc === undefined ? [...els] : op(acc, els);
      }
      const et = (retType as { element: Type }).element;
      return acc === undefined || acc.length === 0 ? setValEmpty(et) : setVal(acc);
    },
  });
}

export const setUnionFunc = setOperation('Returns the union of all given sets.', (a, b) => [...a, ...b], true, false);
export const setIntersectionFunc = setOperation('Returns the intersection of all given sets.', (a, b) => a.filter((v) => contains(b, v)), false, false);
export const setSubtractFunc = setOperation('Returns the relative complement of the two given sets.', (a, b) => a.filter((v) => !contains(b, v)), false, true);
export const setSymmetricDifferenceFunc = setOperation(
  'Returns the symmetric difference of the two given sets.',
  (a, b) => [...a.filter((v) => !contains(b, v)), ...b.filter((v) => !contains(a, v))],
  false,
  false,
);

export const setProductFunc = defineFunction({
  description: 'Calculates the cartesian product of two or more sets.',
  params: [],
  varParam: { name: 'sets', type: dynamicType, allowMarked: true, allowUnknown: true },
  type: (args) => {
    if (args.length < 2) return new CallError('at least two arguments are required');
    let listCount = 0;
    const etys: Type[] = [];
    for (let i = 0; i < args.length; i++) {
      const t = args[i]!.type;
      if (t.kind === 'set') etys.push(t.element);
      else if (t.kind === 'list') {
        etys.push(t.element);
        listCount++;
      } else if (t.kind === 'tuple') {
        listCount++;
        if (t.elements.length === 0) {
          etys.push(dynamicType);
          continue;
        }
        const u = unifyUnsafe(t.elements).type;
        if (u === undefined) return new ArgError(i, 'all elements must be of the same type');
        etys.push(u);
      } else {
        return new ArgError(i, 'a set or a list is required');
      }
    }
    const ety = tupleOf(etys);
    return listCount === args.length ? listOf(ety) : setOf(ety);
  },
  impl: (args, retType) => {
    let marks: Marks | undefined;
    let unknownLength = false;
    const lists: Value[][] = [];
    for (const a0 of args) {
      const [a, m] = unmark(a0);
      marks = unionMarks(marks, m);
      if (!a.isKnown() || !length(a).isKnown()) {
        unknownLength = true;
        continue;
      }
      lists.push([...a.asArray()]);
    }
    const ety = (retType as { element: Type }).element as { kind: 'tuple'; elements: readonly Type[] };
    const total = lists.reduce((n, l) => n * l.length, 1);
    // A known empty argument makes the product empty whatever the unknown ones hold
    // (cty reaches the same result through length refinements).
    if (unknownLength && total !== 0) return withMarks(unknownVal(retType), marks);
    if (total === 0) return withMarks(retType.kind === 'list' ? listValEmpty(ety) : setValEmpty(ety), marks);
    const product: Value[] = [];
    const idx = lists.map(() => 0);
    for (let i = 0; i < total; i++) {
      const row: Value[] = [];
      for (let j = 0; j < lists.length; j++) {
        let v = lists[j]![idx[j]!]!;
        const want = ety.elements[j]!;
        const c = convertValue(v, want);
        if (c instanceof PathError) return new CallError(`failed to convert argVals[${j}][${idx[j]}]; this is a bug in kiln`);
        v = c;
        row.push(v);
      }
      product.push(tupleVal(row));
      for (let j = lists.length - 1; j >= 0; j--) {
        idx[j]!++;
        if (idx[j]! < lists[j]!.length) break;
        idx[j] = 0;
      }
    }
    return withMarks(retType.kind === 'list' ? listVal(product) : setVal(product), marks);
  },
});
