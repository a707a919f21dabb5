/**
 * Robustness: evaluation never throws on parsed input (eval-fuzz-harness.ts), over
 * every attribute expression of the real-world corpus (../shared/corpus/templates):
 * part of `npm run conformance`.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sharedPath } from '../../../test/support/shared.js';
import { evaluateSamples } from './eval-fuzz-harness.js';

describe('evaluation robustness over the corpus', () => {
  it('evaluates every corpus expression, and mutations of it, without throwing', () => {
    const dir = sharedPath('corpus', 'templates');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.hcl')).sort();
    assert.ok(files.length > 10, `only ${files.length} files under ${dir}`);
    const count = evaluateSamples(files.map((f) => ({ name: f, text: readFileSync(path.join(dir, f), 'utf8') })));
    assert.ok(count > 500, `only ${count} expressions found`);
  });
});
