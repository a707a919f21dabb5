import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rawEquals } from '../cty/equals.js';
import { mark } from '../cty/marks.js';
import { dynamicType, listOf, numberType, stringType, tupleOf } from '../cty/type.js';
import type { Value } from '../cty/value.js';
import { Value as CtyValue, dynamicVal, goString, listVal, nullVal, parseNumberVal, stringVal, tupleVal, unknownVal } from '../cty/value.js';
import type { FunctionError } from './function.js';
import { ArgError, CallError, defineFunction, staticReturnType } from './function.js';
import { minFunc } from './number.js';
import { concatFunc } from './sequence.js';
import { goToUpper, upperFunc } from './string.js';

const n = (s: string): Value => parseNumberVal(s)!;
function value(r: Value | FunctionError): Value {
  if (!(r instanceof CtyValue)) assert.fail(`unexpected error: ${r.message}`);
  return r;
}
function error(r: Value | FunctionError): FunctionError {
  if (r instanceof CtyValue) assert.fail(`expected an error, got ${goString(r)}`);
  return r;
}
const same = (a: Value, b: Value) => assert.ok(rawEquals(a, b), `${goString(a)} != ${goString(b)}`);

let implCalls = 0;
const join = defineFunction({
  params: [
    { name: 'sep', type: stringType },
    { name: 'maybe', type: stringType, allowNull: true, allowUnknown: true },
  ],
  varParam: { name: 'rest', type: stringType, allowMarked: true },
  type: staticReturnType(stringType),
  impl: (args) => {
    implCalls++;
    const sep = args[0]!.asString();
    return stringVal(args.slice(2).map((a) => a.asString()).join(sep));
  },
});

test('argument count errors', () => {
  assert.equal(error(join.call([stringVal(',')])).message, 'wrong number of arguments (at least 2 required; 1 given)');
  assert.equal(error(upperFunc.call([])).message, 'wrong number of arguments (1 required; 0 given)');
});

test('arguments are converted to parameter types, errors carry the index', () => {
  same(value(upperFunc.call([n('1.5')])), stringVal('1.5'));
  const e = error(join.call([stringVal(','), stringVal('x'), stringVal('a'), listVal([n('1')])]));
  assert.ok(e instanceof ArgError);
  assert.equal(e.index, 3);
  assert.equal(e.message, 'string required, but have list of number');
  // Strict cty rules: no conversion, a conformance error instead.
  const strict = error(upperFunc.call([n('1')], { convert: false }));
  assert.ok(strict instanceof ArgError && strict.message === 'string required, but received number');
});

test('null and unknown arguments', () => {
  const e = error(join.call([nullVal(stringType), stringVal('x')]));
  assert.ok(e instanceof ArgError && e.index === 0 && e.message === 'argument must not be null');
  same(value(join.call([stringVal(','), nullVal(stringType), stringVal('a')])), stringVal('a'));
  implCalls = 0;
  same(value(join.call([unknownVal(stringType), stringVal('x')])), unknownVal(stringType));
  assert.equal(implCalls, 0);
  same(value(join.call([stringVal(','), unknownVal(stringType), stringVal('a')])), stringVal('a'));
  same(value(upperFunc.call([dynamicVal])), unknownVal(stringType));
  same(value(minFunc.call([n('1'), dynamicVal], { convert: false })), unknownVal(numberType));
});

test('marks are removed before impl and put on the result', () => {
  same(value(upperFunc.call([mark(stringVal('a'), 'sensitive')])), mark(stringVal('A'), 'sensitive'));
  // allowMarked: the impl sees the marks; here it drops them.
  same(value(join.call([stringVal('-'), stringVal('x'), mark(stringVal('a'), 's'), stringVal('b')])), stringVal('a-b'));
  same(value(join.call([mark(stringVal('-'), 's'), stringVal('x'), stringVal('a')])), mark(stringVal('a'), 's'));
});

test('exceptions in impl become call errors', () => {
  const boom = defineFunction({ params: [], type: staticReturnType(stringType), impl: () => { throw new Error('boom'); } });
  const e = error(boom.call([]));
  assert.ok(e instanceof CallError && e.message === 'panic in function implementation: boom');
});

test('upper follows Go: per code point, no expansions', () => {
  assert.equal(goToUpper('noël'), 'NOËL');
  assert.equal(goToUpper('baﬄe'), 'BAﬄE');
  assert.equal(goToUpper('straße'), 'STRAßE');
  assert.equal(goToUpper('жж'), 'ЖЖ');
});

test('concat and min', () => {
  same(value(concatFunc.call([listVal([n('1')]), listVal([stringVal('a')])])), listVal([stringVal('1'), stringVal('a')]));
  same(value(concatFunc.call([listVal([n('1')]), tupleVal([stringVal('a')])])), tupleVal([n('1'), stringVal('a')]));
  const e = error(concatFunc.call([listVal([n('1')]), stringVal('x')]));
  assert.ok(e instanceof ArgError && e.index === 1 && e.message === 'all arguments must be lists or tuples; got string');
  assert.equal(error(concatFunc.call([])).message, 'at least one argument is required');
  same(value(minFunc.call([n('3'), n('-1.5'), n('2')])), n('-1.5'));
  assert.equal(error(minFunc.call([])).message, 'must pass at least one number');
  assert.ok(listOf(dynamicType) && tupleOf([]));
});
