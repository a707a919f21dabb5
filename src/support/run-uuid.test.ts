import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runUuid } from './run-uuid.js';

describe('runUuid', () => {
  it('gives version 4, RFC 4122 variant UUIDs, a new one each call', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const u = await runUuid();
      assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(u);
    }
    assert.equal(seen.size, 200);
  });
});
