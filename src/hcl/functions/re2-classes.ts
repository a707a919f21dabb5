/**
 * Character ranges for the Go regexp translation: Go's ASCII classes (POSIX `[:name:]`
 * and Perl `\d \s \w`), complement, and simple case folding of ranges.
 */

/** An inclusive range of code points. */
export type Range = readonly [number, number];

const MAX_RUNE = 0x10ffff;

/** Go's POSIX classes, plus `perl_space` (Go's `\s`: no vertical tab). */
export const ASCII_CLASSES: Readonly<Record<string, readonly Range[]>> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0, 0x7f]],
  blank: [[9, 9], [0x20, 0x20]],
  cntrl: [[0, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[9, 13], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
  perl_space: [[9, 10], [12, 13], [0x20, 0x20]],
};

/** Sorted, merged copy of `ranges`. */
export function normalizeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** The code points not in `ranges`. */
export function negateRanges(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalizeRanges(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

/**
 * Pairs that String's case mappings do not reach from the ASCII side (Unicode's simple
 * case folding has them; Go's `unicode.SimpleFold` orbits include them).
 */
const EXTRA_FOLDS: ReadonlyArray<readonly [number, number]> = [
  [0x6b, 0x212a], // k, KELVIN SIGN
  [0x73, 0x17f], // s, LONG S
  [0xe5, 0x212b], // å, ANGSTROM SIGN
  [0x3c9, 0x2126], // ω, OHM SIGN
  [0xdf, 0x1e9e], // ß, CAPITAL SHARP S
  [0x3b8, 0x3d1], // θ, ϑ
  [0x3b2, 0x3d0], // β, ϐ
  [0x3b9, 0x1fbe], // ι, PROSGEGRAMMENI
];

/** The code points that equal `cp` under simple case folding (including `cp`). */
export function foldOrbit(cp: number): number[] {
  const out = new Set<number>([cp]);
  const add = (s: string): void => {
    const c = s.codePointAt(0);
    if (c !== undefined && String.fromCodePoint(c) === s) out.add(c);
  };
  const ch = String.fromCodePoint(cp);
  for (const s of [ch.toLowerCase(), ch.toUpperCase()]) {
    add(s);
    add(s.toLowerCase());
    add(s.toUpperCase());
  }
  for (const [a, b] of EXTRA_FOLDS) {
    if (out.has(a) || out.has(b)) {
      out.add(a);
      out.add(b);
      add(String.fromCodePoint(a).toUpperCase());
    }
  }
  return [...out];
}

/** `ranges` plus every code point that folds to one of them. */
export function foldRanges(ranges: readonly Range[]): Range[] {
  const extra: Range[] = [];
  for (const [lo, hi] of normalizeRanges(ranges)) {
    for (let cp = lo; cp <= hi; cp++) {
      // Skip the surrogates and the planes without cased letters.
      if (cp === 0xd800) cp = 0xe000;
      if (cp > 0x1e943 && cp < 0xe0000) break;
      for (const f of foldOrbit(cp)) if (f < lo || f > hi) extra.push([f, f]);
    }
  }
  return normalizeRanges([...ranges, ...extra]);
}
