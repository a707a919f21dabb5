/**
 * The JSON scanner with HCL's positions (json/scanner.go): byte offsets in UTF-8,
 * columns in grapheme clusters inside strings and per byte elsewhere, a tab counting
 * two columns, and a carriage return none. An unexpected character ends the token
 * stream with an `invalid` token followed by EOF.
 */
import type { Pos, Range } from '../pos.js';

export type TokenType = '{' | '}' | '[' | ']' | ',' | ':' | '=' | 'keyword' | 'string' | 'number' | 'eof' | 'invalid';

export interface Token {
  readonly type: TokenType;
  /** The token's source text. */
  readonly text: string;
  readonly range: Range;
}

let segmenter: Intl.Segmenter | undefined;

/** The grapheme cluster starting at `i`, for non-ASCII text. */
function clusterAt(s: string, i: number): string {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  for (const { segment } of segmenter.segment(s.slice(i, i + 256))) return segment;
  return s.charAt(i);
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const NUMBER_START = new Set('-+.0123456789');
const NUMBER_CHAR = new Set('-+.eE0123456789');

/** Splits `src` into tokens, always ending with an `eof` token. */
export function scanJSON(src: string, filename: string, start: Pos): Token[] {
  const tokens: Token[] = [];
  let line = start.line, column = start.column, byte = start.byte;
  let i = 0;
  const pos = (): Pos => ({ line, column, byte });
  const push = (type: TokenType, from: number, startPos: Pos): void => {
    tokens.push({ type, text: src.slice(from, i), range: { filename, start: startPos, end: pos() } });
  };
  for (;;) {
    for (; i < src.length; i++) {
      const c = src[i];
      if (c === ' ') { byte++; column++; }
      else if (c === '\n') { byte++; column = 1; line++; }
      else if (c === '\r') byte++;
      else if (c === '\t') { byte++; column += 2; }
      else break;
    }
    const startPos = pos();
    if (i >= src.length) {
      tokens.push({ type: 'eof', text: '', range: { filename, start: startPos, end: startPos } });
      return tokens;
    }
    const from = i;
    const c = src[i]!;
    if ('{}[],:='.includes(c)) {
      i++; byte++; column++;
      push(c as TokenType, from, startPos);
    } else if (c === '"') {
      i++; byte++; column++;
      let escaping = false;
      while (i < src.length) {
        const b = src[i]!;
        if (b === '\\') {
          escaping = !escaping;
          i++; byte++; column++;
        } else if (b === '"') {
          i++; byte++; column++;
          if (!escaping) break;
          escaping = false;
        } else if (b < ' ') {
          break;
        } else {
          const cluster = b < '\x80' ? b : clusterAt(src, i);
          i += cluster.length; byte += utf8Length(cluster); column++;
          escaping = false;
        }
      }
      push('string', from, startPos);
    } else if (NUMBER_START.has(c)) {
      while (i < src.length && NUMBER_CHAR.has(src[i]!)) { i++; byte++; column++; }
      push('number', from, startPos);
    } else if (isAlpha(c)) {
      while (i < src.length && (isAlpha(src[i]!) || src[i] === '_')) { i++; byte++; column++; }
      push('keyword', from, startPos);
    } else {
      const ch = String.fromCodePoint(src.codePointAt(i)!);
      const end: Pos = { line, column: column + 1, byte: byte + 1 };
      tokens.push({ type: 'invalid', text: ch, range: { filename, start: startPos, end } });
      tokens.push({ type: 'eof', text: '', range: { filename, start: end, end } });
      return tokens;
    }
  }
}
