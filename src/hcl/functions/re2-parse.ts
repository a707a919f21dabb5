/**
 * A parser for Go's regular expression syntax (`regexp/syntax` with the Perl flags that
 * `regexp.Compile` uses), producing a small tree that `re2-to-js.ts` turns into a
 * JavaScript RegExp. It reports Go's errors: the same error code and the same offending
 * text, so messages read as Packer's do.
 *
 * Go's semantics kept here, where JavaScript differs:
 * - a negated class never matches a newline (Go adds `\n` to the class before negating);
 * - `\d`, `\s`, `\w` and the POSIX classes are ASCII; `\s` has no `\v`;
 * - flags `(?imsU)` are scoped to the enclosing group and survive `|`;
 * - `{` that does not start a valid repeat is a literal;
 * - names of capture groups may repeat, and may start with a digit.
 */
import { ASCII_CLASSES, negateRanges } from './re2-classes.js';
import type { Range } from './re2-classes.js';

export interface Flags {
  readonly fold: boolean;
  readonly multiLine: boolean;
  readonly dotNL: boolean;
  readonly ungreedy: boolean;
}

export type Re2Node =
  | { readonly kind: 'literal'; readonly cp: number; readonly fold: boolean }
  | { readonly kind: 'class'; readonly negated: boolean; readonly ranges: readonly Range[]; readonly props: readonly string[]; readonly fold: boolean }
  | { readonly kind: 'any'; readonly dotNL: boolean }
  | { readonly kind: 'assert'; readonly what: 'text-start' | 'text-end' | 'line-start' | 'line-end' | 'word' | 'not-word' }
  | { readonly kind: 'group'; readonly capture: number | undefined; readonly body: Re2Node }
  | { readonly kind: 'concat'; readonly items: readonly Re2Node[] }
  | { readonly kind: 'alternate'; readonly alternatives: readonly Re2Node[] }
  | { readonly kind: 'repeat'; readonly min: number; readonly max: number; readonly greedy: boolean; readonly sub: Re2Node };

/** A Go `*syntax.Error`: `code` is Go's error text, `expr` the offending part of the pattern. */
export class Re2SyntaxError {
  readonly kind = 're2-syntax';
  constructor(
    readonly code: string,
    readonly expr: string,
  ) {}
}

export interface ParsedRegexp {
  readonly root: Re2Node;
  /** Capture group names by group number - 1; `''` for an unnamed group. */
  readonly names: readonly string[];
}

const MAX_REPEAT = 1000;
const MAX_RUNE = 0x10ffff;

/** Parses `pattern` as Go's `regexp.Compile` would. */
export function parseRe2(pattern: string): ParsedRegexp | Re2SyntaxError {
  const p = new Parser(pattern);
  try {
    const root = p.parseAll();
    return { root, names: p.names };
  } catch (e) {
    if (e instanceof Re2SyntaxError) return e;
    throw e;
  }
}

interface Frame {
  readonly capture: number | undefined;
  readonly savedFlags: Flags;
  readonly alternatives: Re2Node[][];
}

class Parser {
  readonly names: string[] = [];
  private pos = 0;
  private flags: Flags = { fold: false, multiLine: false, dotNL: false, ungreedy: false };

  constructor(private readonly src: string) {}

  private fail(code: string, expr: string): never {
    throw new Re2SyntaxError(code, expr);
  }

  private rest(): string {
    return this.src.slice(this.pos);
  }

  private nextRune(): string {
    const cp = this.src.codePointAt(this.pos);
    if (cp === undefined) return '';
    const ch = String.fromCodePoint(cp);
    this.pos += ch.length;
    return ch;
  }

  parseAll(): Re2Node {
    const stack: Frame[] = [{ capture: undefined, savedFlags: this.flags, alternatives: [[]] }];
    let lastRepeatStart = -1;
    while (this.pos < this.src.length) {
      const top = stack[stack.length - 1]!;
      const items = top.alternatives[top.alternatives.length - 1]!;
      const ch = this.src[this.pos]!;
      let repeatStart = -1;
      switch (ch) {
        case '(':
          this.openGroup(stack);
          break;
        case '|':
          this.pos++;
          top.alternatives.push([]);
          break;
        case ')': {
          if (stack.length === 1) this.fail('unexpected )', this.src);
          this.pos++;
          stack.pop();
          this.flags = top.savedFlags;
          stack[stack.length - 1]!.alternatives.at(-1)!.push({ kind: 'group', capture: top.capture, body: alternation(top.alternatives) });
          break;
        }
        case '^':
          this.pos++;
          items.push({ kind: 'assert', what: this.flags.multiLine ? 'line-start' : 'text-start' });
          break;
        case '$':
          this.pos++;
          items.push({ kind: 'assert', what: this.flags.multiLine ? 'line-end' : 'text-end' });
          break;
        case '.':
          this.pos++;
          items.push({ kind: 'any', dotNL: this.flags.dotNL });
          break;
        case '[':
          items.push(this.parseClass());
          break;
        case '*':
        case '+':
        case '?':
        case '{': {
          const start = this.pos;
          const bounds = ch === '{' ? this.parseRepeatBounds() : this.simpleBounds(ch);
          if (bounds === undefined) {
            this.pos++;
            items.push(this.literal(0x7b));
            break;
          }
          this.repeat(items, start, bounds, lastRepeatStart);
          repeatStart = start;
          break;
        }
        case '\\':
          this.parseBackslash(items);
          break;
        default:
          items.push(this.literal(this.nextRune().codePointAt(0)!));
      }
      lastRepeatStart = repeatStart;
    }
    if (stack.length > 1) this.fail('missing closing )', this.src);
    return alternation(stack[0]!.alternatives);
  }

  private literal(cp: number): Re2Node {
    return { kind: 'literal', cp, fold: this.flags.fold };
  }

  private simpleBounds(ch: string): [number, number] {
    this.pos++;
    return ch === '*' ? [0, -1] : ch === '+' ? [1, -1] : [0, 1];
  }

  /** `{n}`, `{n,}`, `{n,m}` at pos; undefined (pos unchanged) when it is not a repeat. */
  private parseRepeatBounds(): [number, number] | undefined {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.rest());
    if (m === null) return undefined;
    this.pos += m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
    if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
      const lazy = this.src[this.pos] === '?' ? 1 : 0;
      this.fail('invalid repeat count', this.src.slice(this.pos - m[0].length, this.pos + lazy));
    }
    return [min, max];
  }

  private repeat(items: Re2Node[], start: number, [min, max]: [number, number], lastRepeatStart: number): void {
    let greedy = !this.flags.ungreedy;
    if (this.src[this.pos] === '?') {
      this.pos++;
      greedy = !greedy;
    }
    if (lastRepeatStart >= 0) this.fail('invalid nested repetition operator', this.src.slice(lastRepeatStart, this.pos));
    const sub = items.pop();
    if (sub === undefined) this.fail('missing argument to repetition operator', this.src.slice(start, this.pos));
    const node: Re2Node = { kind: 'repeat', min, max, greedy, sub };
    if ((min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) this.fail('invalid repeat count', this.src.slice(start, this.pos));
    items.push(node);
  }

  private openGroup(stack: Frame[]): void {
    const start = this.pos;
    const rest = this.rest();
    if (!rest.startsWith('(?')) {
      this.pos++;
      this.names.push('');
      stack.push({ capture: this.names.length, savedFlags: this.flags, alternatives: [[]] });
      return;
    }
    if (rest.startsWith('(?P<') || rest.startsWith('(?<')) {
      const end = rest.indexOf('>');
      if (end < 0) this.fail('invalid named capture', rest);
      const name = rest.slice(rest.startsWith('(?P<') ? 4 : 3, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) this.fail('invalid named capture', rest.slice(0, end + 1));
      this.pos += end + 1;
      this.names.push(name);
      stack.push({ capture: this.names.length, savedFlags: this.flags, alternatives: [[]] });
      return;
    }
    this.pos += 2;
    const before = this.flags;
    const f = { ...this.flags };
    let negate = false;
    let sawFlag = false;
    for (;;) {
      const c = this.nextRune();
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
        const key = c === 'i' ? 'fold' : c === 'm' ? 'multiLine' : c === 's' ? 'dotNL' : 'ungreedy';
        f[key] = !negate;
        sawFlag = true;
      } else if (c === '-' && !negate) {
        negate = true;
        sawFlag = false;
      } else if ((c === ':' || c === ')') && !(negate && !sawFlag)) {
        if (c === ':') stack.push({ capture: undefined, savedFlags: before, alternatives: [[]] });
        this.flags = f;
        return;
      } else {
        this.fail('invalid or unsupported Perl syntax', this.src.slice(start, this.pos));
      }
    }
  }

  private parseBackslash(items: Re2Node[]): void {
    const next = this.src[this.pos + 1];
    const simple: Record<string, Re2Node> = {
      A: { kind: 'assert', what: 'text-start' },
      z: { kind: 'assert', what: 'text-end' },
      b: { kind: 'assert', what: 'word' },
      B: { kind: 'assert', what: 'not-word' },
    };
    if (next !== undefined && simple[next] !== undefined) {
      this.pos += 2;
      items.push(simple[next]);
      return;
    }
    if (next === 'C') this.fail('invalid escape sequence', '\\C');
    if (next === 'Q') {
      const end = this.src.indexOf('\\E', this.pos + 2);
      const text = this.src.slice(this.pos + 2, end < 0 ? undefined : end);
      this.pos = end < 0 ? this.src.length : end + 2;
      for (const ch of text) items.push(this.literal(ch.codePointAt(0)!));
      return;
    }
    const cls = this.classEscape();
    if (cls !== undefined) {
      items.push({ kind: 'class', negated: false, ranges: cls.ranges, props: cls.props, fold: this.flags.fold });
      return;
    }
    items.push(this.literal(this.parseEscape()));
  }

  /** `\d`-style and `\p{..}` escapes at pos, or undefined. */
  private classEscape(): { ranges: Range[]; props: string[] } | undefined {
    const next = this.src[this.pos + 1];
    if (next === 'p' || next === 'P') return this.unicodeClass();
    if (next === undefined || !'dDsSwW'.includes(next)) return undefined;
    this.pos += 2;
    const base = ASCII_CLASSES[next.toLowerCase() === 'd' ? 'digit' : next.toLowerCase() === 's' ? 'perl_space' : 'word']!;
    return { ranges: next === next.toUpperCase() ? negateRanges(base) : [...base], props: [] };
  }

  private unicodeClass(): { ranges: Range[]; props: string[] } {
    const start = this.pos;
    const negated = this.src[this.pos + 1] === 'P';
    this.pos += 2;
    let name: string;
    if (this.src[this.pos] === '{') {
      const end = this.src.indexOf('}', this.pos);
      if (end < 0) this.fail('invalid character class range', this.src.slice(start));
      name = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      name = this.nextRune();
      if (name === '') this.fail('invalid character class range', this.src.slice(start));
    }
    let neg = negated;
    if (name.startsWith('^')) {
      neg = !neg;
      name = name.slice(1);
    }
    const prop = unicodeProperty(name);
    if (prop === undefined) this.fail('invalid character class range', this.src.slice(start, this.pos));
    if (prop === 'any') return { ranges: neg ? [] : [[0, MAX_RUNE]], props: [] };
    return { ranges: [], props: [`\\${neg ? 'P' : 'p'}{${prop}}`] };
  }

  /** A single-character escape (Go's parseEscape), pos at the backslash. */
  private parseEscape(): number {
    const start = this.pos;
    this.pos++;
    if (this.pos >= this.src.length) this.fail('trailing backslash at end of expression', '');
    const c = this.nextRune();
    const bad = (): never => this.fail('invalid escape sequence', this.src.slice(start, this.pos));
    const cp = c.codePointAt(0)!;
    if (cp < 0x80 && !/[A-Za-z0-9]/.test(c)) return cp;
    const isOct = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '7';
    if ((c >= '1' && c <= '7' && isOct(this.src[this.pos])) || c === '0') {
      let r = cp - 0x30;
      for (let i = 1; i < 3 && isOct(this.src[this.pos]); i++) r = r * 8 + this.src.charCodeAt(this.pos++) - 0x30;
      return r;
    }
    const named: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (named[c] !== undefined) return named[c];
    if (c !== 'x') return bad();
    const first = this.nextRune();
    if (first === '{') {
      let r = 0;
      let digits = 0;
      for (;;) {
        const h = this.nextRune();
        if (h === '') return bad();
        if (h === '}') break;
        if (!/^[0-9A-Fa-f]$/.test(h)) return bad();
        r = r * 16 + parseInt(h, 16);
        if (r > MAX_RUNE) return bad();
        digits++;
      }
      return digits === 0 ? bad() : r;
    }
    const second = this.nextRune();
    if (!/^[0-9A-Fa-f]$/.test(first) || !/^[0-9A-Fa-f]$/.test(second)) return bad();
    return parseInt(first + second, 16);
  }

  private parseClass(): Re2Node {
    const start = this.pos;
    this.pos++;
    const whole = (): string => this.src.slice(start);
    let negated = false;
    const ranges: Range[] = [];
    const props: string[] = [];
    if (this.src[this.pos] === '^') {
      negated = true;
      this.pos++;
      ranges.push([10, 10]);
    }
    let first = true;
    while (first || this.src[this.pos] !== ']') {
      if (this.pos >= this.src.length) this.fail('missing closing ]', whole());
      first = false;
      if (this.rest().startsWith('[:')) {
        const named = this.namedClass();
        if (named !== undefined) {
          ranges.push(...named);
          continue;
        }
      }
      if (this.src[this.pos] === '\\') {
        const esc = this.classEscape();
        if (esc !== undefined) {
          ranges.push(...esc.ranges);
          props.push(...esc.props);
          continue;
        }
      }
      const rangeStart = this.pos;
      const lo = this.classChar(whole);
      let hi = lo;
      if (this.src[this.pos] === '-' && this.pos + 1 < this.src.length && this.src[this.pos + 1] !== ']') {
        this.pos++;
        hi = this.classChar(whole);
        if (hi < lo) this.fail('invalid character class range', this.src.slice(rangeStart, this.pos));
      }
      ranges.push([lo, hi]);
    }
    this.pos++;
    return { kind: 'class', negated, ranges, props, fold: this.flags.fold };
  }

  private classChar(whole: () => string): number {
    if (this.pos >= this.src.length) this.fail('missing closing ]', whole());
    if (this.src[this.pos] === '\\') return this.parseEscape();
    return this.nextRune().codePointAt(0)!;
  }

  /** `[:alpha:]` or `[:^alpha:]` at pos; undefined when there is no closing `:]`. */
  private namedClass(): Range[] | undefined {
    const end = this.src.indexOf(':]', this.pos + 2);
    if (end < 0) return undefined;
    const text = this.src.slice(this.pos, end + 2);
    let name = text.slice(2, -2);
    const neg = name.startsWith('^');
    if (neg) name = name.slice(1);
    const base = name === 'perl_space' ? undefined : ASCII_CLASSES[name];
    if (base === undefined) this.fail('invalid character class range', text);
    this.pos = end + 2;
    return neg ? negateRanges(base) : [...base];
  }
}

function alternation(alternatives: readonly Re2Node[][]): Re2Node {
  const nodes = alternatives.map((items): Re2Node => (items.length === 1 ? items[0]! : { kind: 'concat', items }));
  return nodes.length === 1 ? nodes[0]! : { kind: 'alternate', alternatives: nodes };
}

/** Go's repeatIsValid: nested repeat counts multiply to at most `n`. */
function repeatIsValid(node: Re2Node, n: number): boolean {
  let budget = n;
  if (node.kind === 'repeat') {
    let m = node.max;
    if (m === 0) return true;
    if (m < 0) m = node.min;
    if (m > budget) return false;
    if (m > 0) budget = Math.floor(budget / m);
  }
  switch (node.kind) {
    case 'repeat':
      return repeatIsValid(node.sub, budget);
    case 'group':
      return repeatIsValid(node.body, budget);
    case 'concat':
      return node.items.every((s) => repeatIsValid(s, budget));
    case 'alternate':
      return node.alternatives.every((s) => repeatIsValid(s, budget));
    default:
      return true;
  }
}

/**
 * The JavaScript property for a Go `\p` name: a general category (`L`, `Lu`, ...), a
 * script (`Greek` → `Script=Greek`), `'any'` for `Any`; undefined for a name Go rejects.
 */
function unicodeProperty(name: string): string | undefined {
  if (name === 'Any') return 'any';
  const candidate = /^[A-Z][a-z]?$/.test(name) ? name : /^[A-Z][A-Za-z_]*$/.test(name) ? `Script=${name}` : undefined;
  if (candidate === undefined) return undefined;
  try {
    new RegExp(`\\p{${candidate}}`, 'u');
    return candidate;
  } catch {
    return undefined;
  }
}
