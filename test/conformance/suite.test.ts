import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareWithBaseline, formatResult } from './suite.js';

const r = (passed: number) => ({ passed, failed: 10 - passed, skipped: 0, failures: [] });

describe('conformance baseline', () => {
  it('formats the line CI reads', () => {
    assert.equal(formatResult('hcl-fmt', r(7)), 'hcl-fmt: 7 passed, 3 failed, 0 skipped');
  });
  it('accepts counts at or above the baseline', () => {
    assert.deepEqual(compareWithBaseline(new Map([['a', r(5)], ['b', r(9)]]), { a: 5, b: 8 }), []);
  });
  it('reports a drop, a missing entry and a vanished suite', () => {
    const problems = compareWithBaseline(new Map([['a', r(4)], ['new', r(1)]]), { a: 5, gone: 3 });
    assert.equal(problems.length, 3);
    assert.match(problems[0] ?? '', /a: 4 passed is below the baseline of 5/);
    assert.match(problems[1] ?? '', /new: no baseline entry/);
    assert.match(problems[2] ?? '', /gone: in the baseline but no such suite ran/);
  });
});
