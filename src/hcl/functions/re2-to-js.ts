/**
 * Go regular expressions as JavaScript RegExps (with the `u` flag).
 *
 * The tree from `re2-parse.ts` is written out so that the JavaScript engine matches what
 * Go's regexp matches: every literal and class explicitly (`\u{..}` escapes), `.` as
 * `[^\n]` (JavaScript's `.` also stops at `\r`, U+2028 and U+2029), `^`/`$` of `(?m)` as
 * look-arounds on `\n` only, and every capture group unnamed (names are kept on the side,
 * so any Go name works and duplicates are allowed).
 *
 * JavaScript (on Node 20) has no inline flags. `(?s)`, `(?m)` and `(?U)` change how each
 * piece is written. `(?i)` becomes the `i` flag when it covers every literal and class of
 * the pattern; when it covers only some, those are written out case-folded one by one,
 * which works for literals and ranges but not for `\p{..}` classes: that combination is
 * rejected with an error naming it.
 *
 * Not the same as Go: JavaScript backtracks, so a pathological pattern can take
 * exponential time where RE2 is linear.
 */
import type { Range } from './re2-classes.js';
import { foldOrbit, foldRanges, normalizeRanges } from './re2-classes.js';
import type { ParsedRegexp, Re2Node } from './re2-parse.js';
import { parseRe2, Re2SyntaxError } from './re2-parse.js';

export { Re2SyntaxError };

/** A compiled Go pattern. */
export interface GoRegExp {
  /** Global, Unicode JavaScript RegExp; `exec` from `lastIndex` finds the next match. */
  readonly regexp: RegExp;
  /** Capture names by group number - 1 (`''` for unnamed groups), as Go's SubexpNames()[1:]. */
  readonly names: readonly string[];
  /** The JavaScript source, for tests and messages. */
  readonly source: string;
}

/** Compiles a Go pattern, or returns the syntax error Go would report (or one for what JavaScript cannot express). */
export function compileGoRegexp(pattern: string): GoRegExp | Re2SyntaxError {
  const parsed = parseRe2(pattern);
  if (parsed instanceof Re2SyntaxError) return parsed;
  return translate(parsed);
}

function translate(parsed: ParsedRegexp): GoRegExp | Re2SyntaxError {
  const folds = new Set<boolean>();
  collectFolds(parsed.root, folds);
  const mode: FoldMode = folds.size === 1 && folds.has(true) ? 'flag' : folds.size === 2 ? 'expand' : 'none';
  try {
    const source = emit(parsed.root, mode);
    const regexp = new RegExp(source, mode === 'flag' ? 'gui' : 'gu');
    return { regexp, names: parsed.names, source };
  } catch (e) {
    if (e instanceof Re2SyntaxError) return e;
    // A translation JavaScript refuses is our bug, but still the user's pattern.
    return new Re2SyntaxError('pattern not supported by kiln', e instanceof Error ? e.message : String(e));
  }
}

type FoldMode = 'none' | 'flag' | 'expand';

/** Which fold settings the case-sensitive pieces of the pattern use. */
function collectFolds(node: Re2Node, out: Set<boolean>): void {
  switch (node.kind) {
    case 'literal':
      if (foldOrbit(node.cp).length > 1) out.add(node.fold);
      return;
    case 'class':
      out.add(node.fold);
      return;
    case 'group':
      collectFolds(node.body, out);
      return;
    case 'repeat':
      collectFolds(node.sub, out);
      return;
    case 'concat':
      node.items.forEach((n) => collectFolds(n, out));
      return;
    case 'alternate':
      node.alternatives.forEach((n) => collectFolds(n, out));
      return;
    case 'any':
    case 'assert':
      return;
  }
}

function emit(node: Re2Node, mode: FoldMode): string {
  switch (node.kind) {
    case 'literal': {
      if (mode === 'expand' && node.fold) {
        const orbit = foldOrbit(node.cp);
        if (orbit.length > 1) return `[${orbit.map(escapeCp).join('')}]`;
      }
      return escapeCp(node.cp);
    }
    case 'class': {
      if (mode === 'expand' && node.fold && node.props.length > 0) {
        throw new Re2SyntaxError('case-insensitive Unicode class in a pattern that is only partly case-insensitive is not supported by kiln', node.props.join(''));
      }
      const ranges = mode === 'expand' && node.fold ? foldRanges(node.ranges) : normalizeRanges(node.ranges);
      return `[${node.negated ? '^' : ''}${ranges.map(escapeRange).join('')}${node.props.join('')}]`;
    }
    case 'any':
      return node.dotNL ? '[^]' : '[^\\n]';
    case 'assert':
      return ASSERTIONS[node.what];
    case 'group':
      return node.capture === undefined ? `(?:${emit(node.body, mode)})` : `(${emit(node.body, mode)})`;
    case 'concat':
      return node.items.map((n) => emit(n, mode)).join('');
    case 'alternate':
      return node.alternatives.map((n) => emit(n, mode)).join('|');
    case 'repeat': {
      const bounds = node.max === -1 ? (node.min === 0 ? '*' : node.min === 1 ? '+' : `{${node.min},}`) : node.min === node.max ? `{${node.min}}` : `{${node.min},${node.max}}`;
      return `(?:${emit(node.sub, mode)})${bounds}${node.greedy ? '' : '?'}`;
    }
  }
}

const ASSERTIONS: Readonly<Record<(Re2Node & { kind: 'assert' })['what'], string>> = {
  'text-start': '^',
  'text-end': '$',
  'line-start': '(?<=^|\\n)',
  'line-end': '(?=\\n|$)',
  word: '\\b',
  'not-word': '\\B',
};

function escapeCp(cp: number): string {
  return /^[A-Za-z0-9_ ]$/.test(String.fromCodePoint(cp)) ? String.fromCodePoint(cp) : `\\u{${cp.toString(16)}}`;
}

function escapeRange([lo, hi]: Range): string {
  return lo === hi ? escapeCp(lo) : `${escapeCp(lo)}-${escapeCp(hi)}`;
}
