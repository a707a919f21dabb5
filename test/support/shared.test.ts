import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sharedPath } from './shared.js';

describe('sharedPath', () => {
  const saved = process.env['KILN_SHARED'];
  const root = mkdtempSync(path.join(tmpdir(), 'kiln-shared-'));
  mkdirSync(path.join(root, 'conformance'));
  after(() => {
    if (saved === undefined) delete process.env['KILN_SHARED'];
    else process.env['KILN_SHARED'] = saved;
    rmSync(root, { recursive: true, force: true });
  });
  it('finds the data in the folder KILN_SHARED names', () => {
    process.env['KILN_SHARED'] = root;
    assert.equal(sharedPath('conformance'), path.join(root, 'conformance'));
  });
  it('fails loudly, naming the path, when data is missing', () => {
    process.env['KILN_SHARED'] = root;
    assert.throws(() => sharedPath('no-such-folder'), /kiln test data not found: .*no-such-folder/);
  });
});
