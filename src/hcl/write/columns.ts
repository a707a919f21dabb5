/**
 * How many columns text occupies, counted as hclwrite counts them: one per grapheme
 * cluster. Alignment of `=` and comments depends on it.
 */

let segmenter: Intl.Segmenter | undefined;

/**
 * The number of grapheme clusters in `text`. ASCII text takes a fast path (one
 * column per character, except that CR LF is one cluster); anything else goes
 * through `Intl.Segmenter`.
 */
export function columns(text: string): number {
  const n = text.length;
  let count = n;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return slowColumns(text);
    if (c === 13 && text.charCodeAt(i + 1) === 10) count--;
  }
  return count;
}

function slowColumns(text: string): number {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}
