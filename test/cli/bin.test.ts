// The real executable, as a user runs it: bin/kiln over the compiled dist/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');

describe('bin/kiln', () => {
  it('prints the version and exits 0', () => {
    const r = spawnSync(bin, ['version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^kiln v\d+\.\d+\.\d+ \(Packer 1\.16\.0 compatible\)\n$/);
  });
  it('exits 127 with the command list when the command is unknown', () => {
    const r = spawnSync(bin, ['frobnicate'], { encoding: 'utf8' });
    assert.equal(r.status, 127);
    assert.match(r.stdout, /Available commands are:/);
  });
});
