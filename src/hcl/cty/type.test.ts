import assert from 'node:assert/strict';
import { test } from 'node:test';
import { marshalType, unmarshalType } from './json-type.js';
import type { Type } from './type.js';
import {
  boolType,
  dynamicType,
  friendlyName,
  friendlyNameForConstraint,
  listOf,
  mapOf,
  numberType,
  objectOf,
  setOf,
  stringType,
  tupleOf,
  typeEquals,
  typeGoString,
  withoutOptionalAttributesDeep,
} from './type.js';

test('friendly names as cty prints them', () => {
  assert.equal(friendlyName(listOf(stringType)), 'list of string');
  assert.equal(friendlyName(mapOf(setOf(numberType))), 'map of set of number');
  assert.equal(friendlyName(listOf(dynamicType)), 'list of dynamic');
  assert.equal(friendlyName(objectOf({ a: stringType })), 'object');
  assert.equal(friendlyName(tupleOf([boolType])), 'tuple');
  assert.equal(friendlyName(dynamicType), 'dynamic');
  assert.equal(friendlyNameForConstraint(dynamicType), 'any type');
  assert.equal(friendlyNameForConstraint(listOf(dynamicType)), 'list of any single type');
  assert.equal(friendlyNameForConstraint(mapOf(listOf(dynamicType))), 'map of list of any single type');
});

test('structural equality, including optional attributes', () => {
  assert.ok(typeEquals(listOf(objectOf({ a: numberType })), listOf(objectOf({ a: numberType }))));
  assert.ok(!typeEquals(listOf(stringType), setOf(stringType)));
  assert.ok(!typeEquals(objectOf({ a: numberType }), objectOf({ a: numberType }, ['a'])));
  assert.ok(!typeEquals(tupleOf([stringType]), tupleOf([stringType, stringType])));
  assert.ok(typeEquals(withoutOptionalAttributesDeep(listOf(objectOf({ a: numberType }, ['a']))), listOf(objectOf({ a: numberType }))));
  assert.throws(() => objectOf({ a: numberType }, ['b']));
});

test('attribute names are NFC-normalised and ordered', () => {
  const t = objectOf({ b: stringType, 'e\u0301': numberType, a: boolType });
  assert.deepEqual([...t.attributes.keys()], ['a', 'b', '\u00e9']);
});

test('GoString debug form', () => {
  assert.equal(typeGoString(listOf(stringType)), 'cty.List(cty.String)');
  assert.equal(typeGoString(objectOf({})), 'cty.EmptyObject');
});

test('cty JSON type notation round-trips', () => {
  const cases: Array<[Type, string]> = [
    [stringType, '"string"'],
    [dynamicType, '"dynamic"'],
    [listOf(numberType), '["list","number"]'],
    [mapOf(setOf(boolType)), '["map",["set","bool"]]'],
    [tupleOf([stringType, numberType]), '["tuple",["string","number"]]'],
    [objectOf({ b: stringType, a: numberType }), '["object",{"a":"number","b":"string"}]'],
    [objectOf({ a: numberType, b: stringType }, ['b']), '["object",{"a":"number","b":"string"},["b"]]'],
  ];
  for (const [t, text] of cases) {
    assert.equal(marshalType(t), text);
    const back = unmarshalType(text);
    assert.ok(!(back instanceof Error) && typeEquals(back, t), text);
  }
  assert.equal((unmarshalType('"strin"') as Error).message, 'invalid primitive type name "strin"');
  assert.ok(unmarshalType('["list"]') instanceof Error);
  assert.ok(unmarshalType('["list","string","x"]') instanceof Error);
});
