import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sharedPath } from './shared.js';

describe('sharedPath', () => {
  it('finds the shared conformance data beside the checkout', () => {
    assert.match(sharedPath('conformance', 'README.md'), /conformance[\\/]README\.md$/);
  });
  it('fails loudly, naming the path, when data is missing', () => {
    assert.throws(() => sharedPath('no-such-folder'), /kiln test data not found: .*no-such-folder/);
  });
});
