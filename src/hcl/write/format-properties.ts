/**
 * Properties of the formatter, for the format-property tests: formatting changes only
 * whitespace, is idempotent, and does not depend on how many spaces the input had
 * between tokens. Test code only: the own-input test (format-property.test.ts) and the
 * corpus one (format-property.conformance.test.ts) share it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sample } from '../syntax/fuzz-harness.js';
import { lexConfig } from '../syntax/lex.js';
import { format } from './format.js';

/** The token sequence without positions: what formatting must not change. */
function tokenTexts(src: string): string[] {
  return lexConfig(src).tokens.map((t) => `${t.type}\u0000${t.text}`);
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Widens some of the gaps that already hold spaces between tokens: such gaps lie
 * outside any string, so the tokens stay the same. The gap before EOF is left alone
 * (the formatter keeps it as it was, like hclwrite).
 */
function widenGaps(src: string, seed: number): string {
  const next = random(seed);
  let out = '';
  let pos = 0;
  let lastByte = 0;
  for (const tok of lexConfig(src).tokens) {
    // Only ASCII spaces lie between tokens, so a gap in bytes is a gap in UTF-16 units.
    const gap = tok.range.start.byte - lastByte;
    out += src.slice(pos, pos + gap);
    if (gap > 0 && tok.type !== 'EOF' && next() < 0.5) out += ' '.repeat(1 + Math.floor(next() * 6));
    out += tok.text;
    pos += gap + tok.text.length;
    lastByte = tok.range.end.byte;
  }
  return out;
}

/** Registers the three property tests under `title`, over the inputs `inputs()` returns. */
export function describeFormatProperties(title: string, inputs: () => readonly Sample[]): void {
  describe(title, () => {
    const all = inputs();
    it('changes only whitespace: the token sequence is the same', () => {
      for (const { name, text } of all) assert.deepEqual(tokenTexts(format(text)), tokenTexts(text), name);
    });
    it('is idempotent: formatting twice equals formatting once', () => {
      for (const { name, text } of all) {
        const once = format(text);
        assert.equal(format(once), once, name);
      }
    });
    it('ignores how wide the gaps between tokens were', () => {
      for (const { name, text } of all) {
        for (const seed of [1, 2, 3]) assert.equal(format(widenGaps(text, seed)), format(text), `${name} (seed ${seed})`);
      }
    });
  });
}
