import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateJson } from './json-schema.js';

const SCHEMA = {
  type: 'object',
  required: ['v', 'items'],
  additionalProperties: false,
  properties: {
    v: { const: '1' },
    items: { type: 'array', items: { $ref: '#/$defs/item' } },
    name: { type: ['string', 'null'] },
  },
  $defs: { item: { type: 'object', required: ['key'], properties: { key: { type: 'string', pattern: '^[0-9a-f]{4}$' }, kind: { enum: ['a', 'b'] }, n: { type: 'integer' } } } },
};

describe('json-schema (test support)', () => {
  it('accepts a conforming document', () => {
    assert.deepEqual(validateJson({ v: '1', items: [{ key: 'ab12', kind: 'a', n: 3 }], name: null }, SCHEMA), []);
  });
  it('reports each problem with its path', () => {
    assert.deepEqual(validateJson({ v: '2', items: [{ key: 'xyz', kind: 'c', n: 1.5 }, 3], extra: 1 }, SCHEMA), [
      '$.v: "2", expected "1"',
      '$.items[0].key: "xyz" does not match ^[0-9a-f]{4}$',
      '$.items[0].kind: "c" is not one of ["a","b"]',
      '$.items[0].n: number, expected integer',
      '$.items[1]: integer, expected object',
      '$: unexpected property extra',
    ]);
    assert.deepEqual(validateJson({}, SCHEMA), ['$: missing v', '$: missing items']);
  });
  it('refuses a keyword it does not check', () => {
    assert.throws(() => validateJson(1, { minimum: 0 }), /keyword minimum/);
  });
});
