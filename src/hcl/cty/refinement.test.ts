import assert from 'node:assert/strict';
import { it } from 'node:test';
import { stringPrefixOf, unknownStringWithPrefix } from './refinement.js';
import { stringType } from './type.js';
import { unknownVal } from './value.js';

it('keeps the known prefix of an unknown string beside the value', () => {
  const v = unknownStringWithPrefix('{"a"');
  assert.equal(v.isKnown(), false);
  assert.equal(v.type.kind, 'string');
  assert.equal(stringPrefixOf(v), '{"a"');
  assert.equal(stringPrefixOf(unknownVal(stringType)), '');
  assert.equal(stringPrefixOf(unknownStringWithPrefix('x')), 'x');
});
