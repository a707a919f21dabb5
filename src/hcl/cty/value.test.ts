import assert from 'node:assert/strict';
import { test } from 'node:test';
import { equals, notEquals, rawEquals } from './equals.js';
import { containsMarked, mark, unmark, unmarkDeep, withMarks } from './marks.js';
import { add, and, divide, elements, getAttr, greaterThanOrEqualTo, hasIndex, index, length, lessThan, modulo, multiply, negate, not, or, subtract } from './operations.js';
import { setVal } from './set.js';
import { boolType, dynamicType, listOf, numberType, objectOf, stringType, tupleOf } from './type.js';
import type { Value } from './value.js';
import {
  dynamicVal,
  falseVal,
  goString,
  listVal,
  mapVal,
  nullVal,
  numberIntVal,
  numberToString,
  objectVal,
  parseNumberVal,
  stringVal,
  trueVal,
  tupleVal,
  unknownVal,
} from './value.js';

const n = (s: string): Value => parseNumberVal(s)!;
const S = 'sensitive';
const same = (a: Value, b: Value) => assert.ok(rawEquals(a, b), `${goString(a)} != ${goString(b)}`);

test('strings are NFC-normalised', () => {
  assert.equal(stringVal('e\u0301').asString(), '\u00e9');
});

test('arithmetic on known, unknown and marked values', () => {
  same(add(n('1'), n('2')), n('3'));
  same(subtract(n('1'), n('0.5')), n('0.5'));
  same(multiply(n('3'), n('0.5')), n('1.5'));
  same(divide(n('1'), n('0')), n('+Inf'));
  same(modulo(n('9'), n('8')), n('1'));
  same(negate(n('2')), n('-2'));
  same(add(n('1'), unknownVal(numberType)), unknownVal(numberType));
  same(add(n('1'), dynamicVal), unknownVal(numberType));
  same(add(mark(n('1'), S), n('2')), mark(n('3'), S));
  assert.throws(() => add(n('1'), stringVal('a')), /type mismatch: want number but value 1 is string/);
});

test('logic short-circuits over unknowns like cty', () => {
  same(and(falseVal, unknownVal(boolType)), falseVal);
  same(or(unknownVal(boolType), trueVal), trueVal);
  same(and(trueVal, unknownVal(boolType)), unknownVal(boolType));
  same(not(mark(trueVal, S)), mark(falseVal, S));
  same(lessThan(n('1'), n('2')), trueVal);
  same(greaterThanOrEqualTo(n('2'), n('2')), trueVal);
  same(greaterThanOrEqualTo(n('2'), unknownVal(numberType)), unknownVal(boolType));
});

test('equals: types, nulls, unknowns and marks', () => {
  same(equals(n('1'), n('1.0')), trueVal);
  same(equals(n('1'), stringVal('1')), falseVal);
  same(equals(nullVal(stringType), nullVal(numberType)), trueVal);
  same(equals(nullVal(stringType), stringVal('a')), falseVal);
  same(equals(stringVal('a'), unknownVal(stringType)), unknownVal(boolType));
  same(equals(stringVal('a'), unknownVal(numberType)), falseVal);
  same(equals(stringVal('a'), dynamicVal), unknownVal(boolType));
  same(equals(listVal([mark(n('1'), S)]), listVal([n('1')])), mark(trueVal, S));
  same(equals(listVal([n('1'), unknownVal(numberType)]), listVal([n('2'), n('3')])), falseVal);
  same(equals(listVal([unknownVal(numberType), n('1')]), listVal([n('2'), n('3')])), unknownVal(boolType));
  same(notEquals(n('1'), n('2')), trueVal);
  same(equals(objectVal({ a: n('1') }), objectVal({ a: n('1') })), trueVal);
});

test('rawEquals compares marks, known-ness and type', () => {
  assert.ok(!rawEquals(mark(n('1'), S), n('1')));
  assert.ok(!rawEquals(unknownVal(stringType), nullVal(stringType)));
  assert.ok(!rawEquals(listVal([n('1')]), tupleVal([n('1')])));
  assert.ok(rawEquals(n('1.50'), n('1.5')));
});

test('marks: unmark, unmarkDeep, withMarks', () => {
  const v = mark(listVal([mark(stringVal('a'), 'x'), stringVal('b')]), S);
  const [top, topMarks] = unmark(v);
  assert.deepEqual([...topMarks], [S]);
  assert.ok(containsMarked(top));
  const [deep, all] = unmarkDeep(v);
  assert.deepEqual([...all].sort(), [S, 'x']);
  assert.ok(!containsMarked(deep));
  same(withMarks(stringVal('a'), new Set([1]), new Set(['s'])), mark(mark(stringVal('a'), 1), 's'));
});

test('sets: deduplicated, marks hoisted, cty order', () => {
  const s = setVal([n('10'), n('2'), n('2.0'), mark(n('1'), S)]);
  assert.deepEqual(s.asArray().map((e) => numberToString(e.asNumber())), ['1', '2', '10']);
  assert.deepEqual([...(s.marks ?? [])], [S]);
  const strs = setVal([stringVal('b'), stringVal('B'), stringVal('a'), unknownVal(stringType), nullVal(stringType)]);
  assert.deepEqual(strs.asArray().map((e) => (e.isNull() ? 'null' : e.isKnown() ? e.asString() : '?')), ['B', 'a', 'b', '?', 'null']);
  assert.deepEqual(setVal([trueVal, falseVal]).asArray().map((e) => e.asBool()), [false, true]);
  // Two unknowns never merge.
  assert.equal(setVal([unknownVal(stringType), unknownVal(stringType)]).asArray().length, 2);
  same(length(setVal([unknownVal(stringType), stringVal('a')])), unknownVal(numberType));
});

test('length, index, hasIndex, getAttr, elements', () => {
  same(length(tupleVal([n('1'), stringVal('a')])), numberIntVal(2));
  same(length(unknownVal(tupleOf([stringType]))), numberIntVal(1));
  same(length(unknownVal(listOf(stringType))), unknownVal(numberType));
  same(length(mark(listVal([n('1')]), S)), mark(numberIntVal(1), S));
  same(index(listVal([stringVal('a'), stringVal('b')]), n('1')), stringVal('b'));
  same(index(mapVal({ k: n('1') }), stringVal('k')), n('1'));
  same(index(tupleVal([n('1'), stringVal('x')]), unknownVal(numberType)), dynamicVal);
  same(index(unknownVal(listOf(stringType)), n('0')), unknownVal(stringType));
  same(hasIndex(listVal([n('1')]), n('1')), falseVal);
  same(hasIndex(listVal([n('1')]), n('0.5')), falseVal);
  same(hasIndex(mapVal({ k: n('1') }), stringVal('k')), trueVal);
  same(hasIndex(mapVal({ k: n('1') }), n('1')), falseVal);
  same(getAttr(objectVal({ a: n('1') }), 'a'), n('1'));
  same(getAttr(unknownVal(objectOf({ a: stringType })), 'a'), unknownVal(stringType));
  same(getAttr(dynamicVal, 'a'), dynamicVal);
  const m = mapVal({ b: n('2'), a: n('1') });
  assert.deepEqual(elements(m).map(([k]) => k.asString()), ['a', 'b']);
  assert.equal(dynamicVal.type, dynamicType);
});

test('listVal rejects mixed element types', () => {
  assert.throws(() => listVal([n('1'), stringVal('a')]), /inconsistent list element types/);
});
