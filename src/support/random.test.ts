import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomBytes, randomUuid } from './random.js';

describe('randomUuid', () => {
  it('gives version 4, RFC 4122 variant UUIDs, a new one each call', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const u = randomUuid();
      assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(u);
    }
    assert.equal(seen.size, 200);
  });
});

describe('randomBytes', () => {
  it('gives the length asked for, different each call, every byte value in a large sample', () => {
    assert.equal(randomBytes(0).length, 0);
    assert.equal(randomBytes(37).length, 37);
    assert.notDeepEqual(randomBytes(16), randomBytes(16));
    const values = new Set(randomBytes(16384));
    assert.equal(values.size, 256);
  });
});
