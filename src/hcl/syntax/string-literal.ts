/**
 * Decoding of literal text tokens: backslash escapes in quoted strings, and the
 * `$${` / `%%{` template escapes in every kind of template.
 */
import type { Diagnostic } from '../diagnostic.js';
import { errorDiag } from '../diagnostic.js';
import type { Range } from '../pos.js';
import { advancePos } from './scanner.js';
import type { Token } from './token.js';

const HEX = /^[0-9a-fA-F]*$/;

/** Go's %q for a short string: a double-quoted string with Go escapes. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/**
 * The string a `QuotedLit` (escapes allowed) or `StringLit` token stands for. On
 * error the string may be partial; the diagnostics point at the bad sequence.
 */
export function decodeStringLiteralToken(tok: Token): { value: string; diagnostics: Diagnostic[] } {
  const quoted = tok.type === 'QuotedLit';
  const text = tok.text;
  if (text.indexOf('\\') < 0 && text.indexOf('{') < 0) return { value: text, diagnostics: [] };
  let out = '';
  const diags: Diagnostic[] = [];
  const rangeOf = (from: number, to: number): Range => {
    const start = advancePos(tok.range.start, text, 0, from);
    return { filename: tok.range.filename, start, end: advancePos(start, text, from, to) };
  };
  let i = 0;
  let lit = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && quoted) {
      out += text.slice(lit, i);
      const sel = text[i + 1];
      if (sel === undefined) {
        diags.push(errorDiag('Invalid escape sequence', 'Backslash must be followed by an escape sequence selector character.', rangeOf(i, i + 1)));
        out += '\\';
        i += 1;
      } else if (sel === 'u' || sel === 'U') {
        const want = sel === 'u' ? 4 : 8;
        let j = i + 2;
        while (j < text.length && j < i + 2 + want && HEX.test(text[j] ?? '')) j++;
        const digits = text.slice(i + 2, j);
        if (digits.length !== want) {
          const detail = sel === 'u'
            ? 'The \\u escape sequence must be followed by four hexadecimal digits.'
            : 'The \\U escape sequence must be followed by eight hexadecimal digits.';
          diags.push(errorDiag('Invalid escape sequence', detail, rangeOf(i, j)));
          out += text.slice(i, j);
        } else {
          const cp = parseInt(digits, 16);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            diags.push(errorDiag('Invalid escape sequence', `Cannot encode character U+${cp.toString(16).padStart(4, '0')} in UTF-8.`, rangeOf(i, j)));
            out += text.slice(i, j);
          } else out += String.fromCodePoint(cp);
        }
        i = j;
      } else {
        const len = sel.length === 1 && /[\ud800-\udbff]/.test(sel) ? 2 : 1;
        const selText = text.slice(i + 1, i + 1 + len);
        switch (selText) {
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          default:
            diags.push(errorDiag('Invalid escape sequence', `The symbol ${goQuote(selText)} is not a valid escape sequence selector.`, rangeOf(i, i + 1 + len)));
            out += selText;
        }
        i += 1 + len;
      }
      lit = i;
      continue;
    }
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      out += text.slice(lit, i) + c + '{';
      i += 3;
      lit = i;
      continue;
    }
    i++;
  }
  out += text.slice(lit);
  return { value: out, diagnostics: diags };
}
