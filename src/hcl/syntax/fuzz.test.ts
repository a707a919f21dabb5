/**
 * Mutation fuzzing of the scanner and parser (native and JSON) on kiln's own inputs:
 * the syntax tour, the examples, a legacy JSON template and some broken fragments,
 * mutated with a fixed seed, must never make any entry point throw or hang
 * (fuzz-harness.ts). The real-world corpus and HCL's error vectors are fuzzed by
 * fuzz.conformance.test.ts (`npm run conformance`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzzSyntax, ownSamples } from './fuzz-harness.js';

const INPUTS = 3000;

/** Broken inputs of kiln's own, near the parser's error paths. */
const BROKEN = [
  'locals {\n  x = 1 +\n}\n',
  'a = "${b\n',
  'a = <<EOT\nno end marker\n',
  'block "x" {\n  nested {\n',
  'a = [1, 2\nb = {c = }\n',
  'a = x[*].y[0].*\n',
  'a = { for k, v in m : k => v... if }\n',
  '%{ if true }unclosed',
  '{"builders": [{"type": "null", "communicator": "none"}], "provisioners": [{"type": "shell-local", "inline": ["echo {{user `x`}}"]}]}',
];

describe('native syntax fuzzing', () => {
  it(`never throws or hangs on ${INPUTS} mutated inputs`, async () => {
    const base = [...ownSamples().map((s) => s.text), ...BROKEN];
    assert.ok(base.length >= 12, String(base.length));
    await fuzzSyntax(base, INPUTS);
  });
});
