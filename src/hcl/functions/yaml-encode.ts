/**
 * `yamlencode` output byte for byte as go-cty-yaml writes it through its libyaml
 * emitter: block style with two-space indents (a sequence under a mapping key is not
 * indented), every string double-quoted (keys too) unless it holds a line break and can
 * be a literal block (`|`, `|-`, `|+`, with an indentation hint when it starts with a
 * space), numbers in plain decimal, `null`, empty collections as `{}` and `[]`, `...`
 * after an open-ended document (a plain scalar at the top, or a `|+` block).
 *
 * libyaml details kept: only characters it deems printable stay literal (tabs, C1
 * controls and everything beyond U+FFFF are escaped, hex in upper case); long
 * double-quoted strings fold at a space once past column 80; keys that are multi-line
 * or longer than 128 bytes are written as complex keys (`? key` / `: value`).
 */
import { formatNum } from '../cty/number.js';
import type { Value } from '../cty/value.js';

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

type ScalarStyle = 'plain' | 'double' | 'literal';

interface Scalar {
  readonly text: string;
  readonly style: ScalarStyle;
}

/** The YAML text for a wholly known value. */
export function encodeYaml(v: Value): string {
  const e = new Emitter();
  e.node(v, -1, 'root');
  if (e.column > 0) e.out += '\n';
  if (e.openEnded) e.out += '...\n';
  return e.out;
}

function isPrintable(cp: number): boolean {
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}
function isBreak(ch: string): boolean {
  return ch === '\n' || ch === '\r' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029';
}

/** libyaml's choice for a string go-cty-yaml asks to write literal when it has a newline. */
function stringStyle(s: string, simpleKey: boolean): ScalarStyle {
  if (!s.includes('\n') || simpleKey) return 'double';
  const chars = [...s];
  let prevSpace = false;
  for (const ch of chars) {
    const cp = ch.codePointAt(0)!;
    if (!isPrintable(cp)) return 'double';
    if (ch === ' ') prevSpace = true;
    else if (isBreak(ch)) {
      if (prevSpace) return 'double';
      prevSpace = false;
    } else prevSpace = false;
  }
  return chars[chars.length - 1] === ' ' ? 'double' : 'literal';
}

const ESCAPES: Readonly<Record<number, string>> = {
  0: '0', 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 0x1b: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

function escapeChar(cp: number): string {
  const named = ESCAPES[cp];
  if (named !== undefined) return `\\${named}`;
  const hex = cp.toString(16).toUpperCase();
  return cp <= 0xff ? `\\x${hex.padStart(2, '0')}` : cp <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
}

class Emitter {
  out = '';
  column = 0;
  openEnded = false;
  /** At the start of a line's indentation, or right after an indicator and its space. */
  private whitespace = true;

  private put(s: string): void {
    this.out += s;
    this.column += [...s].length;
  }
  private newline(): void {
    this.out += '\n';
    this.column = 0;
    this.whitespace = true;
  }
  /** libyaml's write_indent: a new line unless already at the indentation. */
  private indent(indent: number): void {
    const want = Math.max(indent, 0);
    if (this.column > want || (this.column === want && !this.whitespace)) this.newline();
    while (this.column < want) this.put(' ');
    this.whitespace = true;
  }
  private indicator(s: string, needWhitespace: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(s);
    this.whitespace = false;
  }

  /** Writes `v` whose parent has indent `parent`; `where` is how it is placed. */
  node(v: Value, parent: number, where: 'root' | 'key' | 'value' | 'item'): void {
    const kind = v.type.kind;
    if (!v.isNull() && (kind === 'list' || kind === 'set' || kind === 'tuple')) {
      const items = v.asArray();
      if (items.length === 0) return this.indicator('[]', true);
      const indentless = where === 'value';
      const ind = parent < 0 ? 0 : indentless ? parent : parent + BEST_INDENT;
      for (const item of items) {
        this.indent(ind);
        this.indicator('-', true);
        this.put(' ');
        this.whitespace = true;
        this.node(item, ind, 'item');
      }
      return;
    }
    if (!v.isNull() && (kind === 'map' || kind === 'object')) {
      const entries = [...v.asMap()];
      if (entries.length === 0) return this.indicator('{}', true);
      const ind = parent < 0 ? 0 : parent + BEST_INDENT;
      for (const [k, item] of entries) {
        this.indent(ind);
        if ([...Buffer.from(k, 'utf8')].length <= 128 && !/[\n\r\u0085\u2028\u2029]/.test(k)) {
          this.scalar({ text: k, style: 'double' }, ind, false);
          this.indicator(':', false);
        } else {
          this.indicator('?', true);
          this.put(' ');
          this.whitespace = true;
          this.scalar({ text: k, style: stringStyle(k, false) }, ind, true);
          this.indent(ind);
          this.indicator(':', true);
        }
        this.node(item, ind, 'value');
      }
      return;
    }
    this.scalar(scalarOf(v), parent, where !== 'key');
    if (where === 'root' && scalarOf(v).style === 'plain') this.openEnded = true;
  }

  private scalar(s: Scalar, parent: number, allowBreaks: boolean): void {
    const ind = parent < 0 ? BEST_INDENT : parent + BEST_INDENT;
    switch (s.style) {
      case 'plain':
        this.indicator(s.text, true);
        return;
      case 'double':
        return this.doubleQuoted(s.text, ind, allowBreaks);
      case 'literal':
        return this.literal(s.text, ind);
    }
  }

  private doubleQuoted(text: string, ind: number, allowBreaks: boolean): void {
    this.indicator('"', true);
    const chars = [...text];
    let spaces = false;
    chars.forEach((ch, i) => {
      const cp = ch.codePointAt(0)!;
      if (!isPrintable(cp) || isBreak(ch) || ch === '"' || ch === '\\') {
        this.put(escapeChar(cp));
        spaces = false;
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.whitespace = false;
          this.indent(ind);
          if (chars[i + 1] === ' ') this.put('\\');
        } else {
          this.put(ch);
        }
        spaces = true;
      } else {
        this.put(ch);
        spaces = false;
      }
    });
    this.put('"');
    this.whitespace = false;
  }

  private literal(text: string, ind: number): void {
    this.indicator('|', true);
    const chars = [...text];
    if (chars[0] === ' ' || isBreak(chars[0] ?? '')) this.put(String(BEST_INDENT));
    const last = chars[chars.length - 1] ?? '';
    if (!isBreak(last)) this.put('-');
    else if (chars.length === 1 || isBreak(chars[chars.length - 2]!)) {
      this.put('+');
      this.openEnded = true;
    }
    this.newline();
    let atLineStart = true;
    for (const ch of chars) {
      if (isBreak(ch)) {
        this.newline();
        atLineStart = true;
      } else {
        if (atLineStart) {
          while (this.column < ind) this.put(' ');
          atLineStart = false;
        }
        this.put(ch);
      }
    }
    this.whitespace = atLineStart;
  }
}

function scalarOf(v: Value): Scalar {
  if (v.isNull()) return { text: 'null', style: 'plain' };
  switch (v.type.kind) {
    case 'number':
      return { text: formatNum(v.asNumber()), style: 'plain' };
    case 'bool':
      return { text: v.asBool() ? 'true' : 'false', style: 'plain' };
    default: {
      const s = v.asString();
      return { text: s, style: stringStyle(s, false) };
    }
  }
}
