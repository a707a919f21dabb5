/**
 * Robustness: evaluation never throws on parsed input (eval-fuzz-harness.ts), over
 * kiln's own HCL (the syntax tour and the examples). The real-world corpus runs in
 * eval-fuzz.conformance.test.ts (`npm run conformance`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateSamples } from './eval-fuzz-harness.js';
import { ownSamples } from './fuzz-harness.js';

describe('evaluation robustness over kiln\'s own HCL', () => {
  it('evaluates every expression, and mutations of it, without throwing', () => {
    const count = evaluateSamples(ownSamples());
    assert.ok(count > 60, `only ${count} expressions found`);
  });
});
