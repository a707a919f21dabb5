// Properties of the formatter (format-properties.ts) over real inputs from ../shared:
// the template corpus and the hcl-fmt vectors (fragments included). Part of
// `npm run conformance`.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { sharedPath } from '../../../test/support/shared.js';
import type { Sample } from '../syntax/fuzz-harness.js';
import { describeFormatProperties } from './format-properties.js';

function inputs(): Sample[] {
  const root = sharedPath('corpus', 'templates');
  const corpus = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.hcl'))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(sharedPath('corpus', 'templates', f), 'utf8') }));
  const data = JSON.parse(readFileSync(sharedPath('conformance', 'hcl-fmt.json'), 'utf8')) as { vectors: { id: string; input: string }[] };
  const vectors = data.vectors.map((v) => ({ name: v.id, text: v.input }));
  assert.ok(corpus.length >= 72 && vectors.length >= 71, 'corpus and vectors are all there');
  return [...corpus, ...vectors];
}

describeFormatProperties('formatter properties over the corpus and the vectors', inputs);
