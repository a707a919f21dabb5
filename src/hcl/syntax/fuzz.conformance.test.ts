/**
 * Mutation fuzzing of the scanner and parser (fuzz-harness.ts) seeded with the
 * real-world corpus and HCL's parse-error vectors from ../shared: part of
 * `npm run conformance`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sharedPath } from '../../../test/support/shared.js';
import { fuzzSyntax } from './fuzz-harness.js';

const INPUTS = 3000;

function seeds(): string[] {
  const dir = sharedPath('corpus', 'templates');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.hcl')).sort();
  const out = files.map((f) => readFileSync(path.join(dir, f), 'utf8'));
  const vectors = JSON.parse(readFileSync(sharedPath('conformance', 'hcl-parse-errors.json'), 'utf8')) as { vectors: { input: string }[] };
  for (const v of vectors.vectors) out.push(v.input);
  return out;
}

describe('native syntax fuzzing over the corpus and the error vectors', () => {
  it(`never throws or hangs on ${INPUTS} mutated inputs`, async () => {
    await fuzzSyntax(seeds(), INPUTS);
  });
});
