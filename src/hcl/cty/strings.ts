/** String helpers shared by cty: NFC normalisation and Go's byte-wise string order. */

// Every code point below U+0300 is NFC-stable and cannot combine with what precedes it,
// so the common all-ASCII/Latin-1 string skips String.prototype.normalize.
const MAYBE_NOT_NFC = /[\u0300-\uffff]/;

/** The string in Unicode NFC, as cty.StringVal stores strings. */
export function normalizeString(s: string): string {
  return MAYBE_NOT_NFC.test(s) ? s.normalize('NFC') : s;
}

/**
 * Orders strings as Go compares them (UTF-8 bytes, i.e. code points). JS `<` compares
 * UTF-16 code units, which differs only when a surrogate pair meets U+E000..U+FFFF.
 */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      const cx = a.codePointAt(i) ?? x;
      const cy = b.codePointAt(i) ?? y;
      return cx < cy ? -1 : cx > cy ? 1 : 0;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}
