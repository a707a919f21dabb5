import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PathError } from '../conform.js';
import { rawEquals } from '../equals.js';
import { mark } from '../marks.js';
import { setVal } from '../set.js';
import type { Type } from '../type.js';
import { boolType, dynamicType, friendlyName, listOf, mapOf, numberType, objectOf, setOf, stringType, tupleOf, typeEquals } from '../type.js';
import type { Value } from '../value.js';
import { boolVal, dynamicVal, goString, listVal, mapVal, nullVal, objectVal, parseNumberVal, stringVal, tupleVal, unknownVal } from '../value.js';
import { convertValue } from './convert.js';
import { mismatchMessage } from './mismatch.js';
import { unify, unifyUnsafe } from './unify.js';

const n = (s: string): Value => parseNumberVal(s)!;
const ok = (v: Value, t: Type, want: Value) => {
  const got = convertValue(v, t);
  if (got instanceof PathError) assert.fail(`error: ${got.message}`);
  assert.ok(rawEquals(got, want), `${goString(got)} != ${goString(want)}`);
};
const fails = (v: Value, t: Type, message: string) => {
  const got = convertValue(v, t);
  if (!(got instanceof PathError)) assert.fail(`expected an error, got ${goString(got)}`);
  assert.equal(got.message, message);
};

test('primitive conversions', () => {
  ok(n('1.0'), stringType, stringVal('1'));
  ok(n('0.1'), stringType, stringVal('0.1'));
  ok(boolVal(true), stringType, stringVal('true'));
  ok(stringVal('12.5'), numberType, n('12.5'));
  ok(stringVal('1'), boolType, boolVal(true));
  ok(stringVal('false'), boolType, boolVal(false));
  fails(stringVal('x'), numberType, 'a number is required');
  fails(stringVal('True'), boolType, 'a bool is required; to convert from string, use lowercase "true"');
  fails(stringVal('yes'), boolType, 'a bool is required');
  fails(n('1'), boolType, 'bool required, but have number');
});

test('unknown, null and marked values convert to the target type', () => {
  ok(unknownVal(numberType), stringType, unknownVal(stringType));
  ok(dynamicVal, stringType, unknownVal(stringType));
  ok(nullVal(numberType), stringType, nullVal(stringType));
  ok(mark(n('1'), 'sensitive'), stringType, mark(stringVal('1'), 'sensitive'));
  ok(stringVal('a'), dynamicType, stringVal('a'));
});

test('structural to collection conversions', () => {
  ok(tupleVal([stringVal('a'), n('1')]), listOf(stringType), listVal([stringVal('a'), stringVal('1')]));
  ok(tupleVal([stringVal('a'), n('1')]), listOf(dynamicType), listVal([stringVal('a'), stringVal('1')]));
  ok(tupleVal([stringVal('b'), stringVal('a'), stringVal('b')]), setOf(stringType), setVal([stringVal('a'), stringVal('b')]));
  ok(objectVal({ a: n('1'), b: boolVal(true) }), mapOf(stringType), mapVal({ a: stringVal('1'), b: stringVal('true') }));
  ok(listVal([n('1')]), setOf(stringType), setVal([stringVal('1')]));
  ok(mapVal({ a: stringVal('1') }), objectOf({ a: numberType }), objectVal({ a: n('1') }));
  fails(tupleVal([stringVal('a'), listVal([n('1')])]), listOf(dynamicType), 'all list elements must have the same type');
  fails(tupleVal([stringVal('a'), listVal([n('1')])]), listOf(stringType), 'element 1: string required, but have list of number');
  fails(mapVal({ b: stringVal('x') }), objectOf({ a: numberType }), 'map has no element for required attribute "a"');
});

test('object conversions: missing, optional, extra attributes', () => {
  const want = objectOf({ a: stringType, b: numberType }, ['b']);
  ok(objectVal({ a: n('1'), c: boolVal(true) }), want, objectVal({ a: stringVal('1'), b: nullVal(numberType) }));
  fails(objectVal({ c: n('1') }), objectOf({ a: stringType }), 'attribute "a" is required');
  fails(objectVal({}), objectOf({ a: stringType, b: stringType }), 'attributes "a" and "b" are required');
  fails(objectVal({}), objectOf({ a: stringType, b: stringType, c: stringType }), 'attributes "a", "b", and "c" are required');
  fails(objectVal({ a: listVal([n('1')]) }), objectOf({ a: stringType }), 'attribute "a": string required, but have list of number');
});

test('mismatch messages name the collection element problem', () => {
  assert.equal(mismatchMessage(listOf(numberType), listOf(listOf(stringType))), 'incorrect list element type: list of string required, but have number');
  assert.equal(mismatchMessage(mapOf(numberType), listOf(stringType)), 'list of string required');
  assert.equal(mismatchMessage(stringType, listOf(dynamicType)), 'list of dynamic required, but have string');
  assert.equal(mismatchMessage(setOf(numberType), mapOf(dynamicType)), 'map of any single type required');
  assert.equal(mismatchMessage(tupleOf([stringType]), objectOf({})), 'object required, but have tuple');
  assert.equal(mismatchMessage(objectOf({ a: stringType }), mapOf(listOf(stringType))), 'element "a": list of string required, but have string');
});

test('unify prefers string, lists over tuples, and fails on object + tuple', () => {
  const t = (types: Type[]) => unify(types).type;
  assert.equal(friendlyName(t([numberType, stringType])!), 'string');
  assert.equal(t([numberType, boolType]), undefined);
  assert.equal(unifyUnsafe([numberType, boolType]).type, undefined);
  assert.ok(typeEquals(unifyUnsafe([stringType, numberType]).type!, stringType));
  assert.ok(typeEquals(t([listOf(numberType), listOf(stringType)])!, listOf(stringType)));
  assert.ok(typeEquals(t([tupleOf([numberType]), listOf(stringType)])!, listOf(stringType)));
  assert.ok(typeEquals(t([objectOf({ a: numberType }), objectOf({ a: stringType })])!, objectOf({ a: stringType })));
  assert.ok(typeEquals(t([objectOf({ a: numberType }), objectOf({ b: stringType })])!, mapOf(stringType)));
  assert.equal(t([objectOf({}), tupleOf([])]), undefined);
  assert.ok(typeEquals(t([stringType, dynamicType])!, dynamicType));
  const u = unify([numberType, stringType]);
  const c = u.conversions[0]!(n('2'));
  assert.ok(rawEquals(c as Value, stringVal('2')));
  assert.equal(u.conversions[1], undefined);
});
