import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as cty from '../../src/hcl/cty/index.js';
import { decodeType, decodeValue, vectorEquals } from './cty-json.js';

test('decodes types, including NilType and optional attributes', () => {
  assert.equal(decodeType(null), undefined);
  const t = decodeType(['object', { a: 'string', b: ['list', 'number'] }, ['b']])!;
  assert.equal(t.kind, 'object');
  assert.ok(t.kind === 'object' && t.optional.has('b'));
  assert.throws(() => decodeType('text'));
});

test('decodes typed values: numbers by text, nulls, unknowns, marks', () => {
  const pi = decodeValue({ type: 'number', value: '3.14159265358979323846264338327950288419716939937510582097494459' });
  assert.equal(cty.numberToString(pi.asNumber()), '3.14159265358979323846264338327950288419716939937510582097494459');
  assert.equal(decodeValue({ type: 'number', value: '-Inf' }).asNumber(), -Infinity);
  assert.ok(decodeValue({ type: ['list', 'string'], null: true }).isNull());
  assert.ok(decodeValue({ type: 'dynamic', unknown: true }) === cty.dynamicVal);
  const secret = decodeValue({ type: 'string', value: 'x', marks: ['sensitive'] });
  assert.ok(cty.hasMark(secret, 'sensitive'));
  const list = decodeValue({ type: ['list', 'dynamic'], value: [] });
  assert.ok(cty.typeEquals(list.type, cty.listOf(cty.dynamicType)));
});

test('vectorEquals: numbers by value, sets as sets, refinements ignored', () => {
  const a = decodeValue({ type: ['set', 'number'], value: [{ type: 'number', value: '2' }, { type: 'number', value: '1.0' }] });
  const b = decodeValue({ type: ['set', 'number'], value: [{ type: 'number', value: '1' }, { type: 'number', value: '2' }] });
  assert.ok(vectorEquals(a, b));
  const u = decodeValue({ type: 'string', unknown: true, refinements: { not_null: true } });
  assert.ok(vectorEquals(u, cty.unknownVal(cty.stringType)));
  assert.ok(!vectorEquals(decodeValue({ type: 'string', value: 'x', marks: ['sensitive'] }), cty.stringVal('x')));
});
