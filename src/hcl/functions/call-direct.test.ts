// CtyFunction.call's direct path (arguments already of their parameters' primitive
// types, as HCL's evaluator passes them with `convert: false`) must give what the
// general path gives: the same values, marks and errors. `convert: true` (the default)
// always takes the general path, and converting an argument of the right type is a
// no-op, so the two calls below differ only in the path taken.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mark } from '../cty/marks.js';
import { boolType, stringType } from '../cty/type.js';
import type { Value } from '../cty/value.js';
import { boolVal, nullVal, numberVal, stringVal, unknownVal } from '../cty/value.js';
import type { CtyFunction } from './function.js';
import { defineFunction, staticReturnType } from './function.js';
import { ceilFunc, powFunc } from './math.js';
import { upperFunc } from './string.js';

const wrongType = defineFunction({ params: [{ name: 's', type: stringType }], type: staticReturnType(stringType), impl: () => numberVal(1) });
const throws = defineFunction({
  params: [{ name: 's', type: stringType }],
  type: staticReturnType(stringType),
  impl: () => {
    throw new Error('boom');
  },
});
const typeFails = defineFunction({
  params: [{ name: 'b', type: boolType }],
  type: () => {
    throw new Error('no type');
  },
  impl: (args) => args[0]!,
});
const marksResult = defineFunction({
  params: [{ name: 's', type: stringType, allowMarked: true }],
  type: staticReturnType(stringType),
  impl: () => mark(stringVal('kept'), 'sensitive'),
});

const cases: Array<[string, CtyFunction, Value[]]> = [
  ['upper of a string', upperFunc, [stringVal('abc é')]],
  ['upper of an empty string', upperFunc, [stringVal('')]],
  ['upper of a marked string', upperFunc, [mark(stringVal('x'), 'sensitive')]],
  ['upper of an unknown string', upperFunc, [unknownVal(stringType)]],
  ['upper of a null string', upperFunc, [nullVal(stringType)]],
  ['upper with two arguments', upperFunc, [stringVal('a'), stringVal('b')]],
  ['upper without arguments', upperFunc, []],
  ['pow of two numbers', powFunc, [numberVal(2), numberVal(10)]],
  ['ceil of a number', ceilFunc, [numberVal(1.5)]],
  ['a result of the wrong type', wrongType, [stringVal('a')]],
  ['an implementation that throws', throws, [stringVal('a')]],
  ['a type callback that throws', typeFails, [boolVal(true)]],
  ['an implementation returning a marked value', marksResult, [stringVal('a')]],
];

for (const [name, fn, args] of cases) {
  test(`direct call path: ${name}`, () => {
    assert.deepEqual(fn.call(args, { convert: false }), fn.call(args));
  });
}
