/**
 * The text `packer fix` prints: Go's `json.Encoder` output (keys sorted, HTML
 * characters escaped, floats in Go's format) re-indented with `json.Indent(…, "", "  ")`,
 * with `\u003c` and `\u003e` turned back into `<` and `>` as Packer does. Ends with
 * the encoder's newline.
 */
import { compareStrings } from '../../hcl/cty/strings.js';
import type { JsonValue } from '../json/go-json.js';

/** Go's float64 encoding in encoding/json. */
export function goJsonNumber(n: number): string {
  if (Object.is(n, -0)) return '-0';
  // JS and Go switch to exponent form at the same bounds (< 1e-6, >= 1e21) and both
  // print the shortest round-tripping digits; Go writes `e-07` as `e-7` like JS.
  return String(n);
}

/** Go's encodeState.string with HTML escaping on. */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '<': case '>': case '&': case '\u2028': case '\u2029':
        out += `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
        break;
      default: {
        const cp = ch.codePointAt(0) ?? 0;
        out += cp < 0x20 ? `\\u00${cp.toString(16).padStart(2, '0')}` : ch;
      }
    }
  }
  return `${out}"`;
}

function indented(v: JsonValue, depth: number): string {
  const pad = '  '.repeat(depth + 1);
  const close = '  '.repeat(depth);
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goJsonNumber(v);
  if (typeof v === 'string') return goJsonString(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((e) => pad + indented(e, depth + 1)).join(',\n')}\n${close}]`;
  }
  const keys = Object.keys(v).sort(compareStrings);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${pad}${goJsonString(k)}: ${indented(v[k] ?? null, depth + 1)}`).join(',\n')}\n${close}}`;
}

/** What `packer fix` prints for a fixed template (before the UI's own newline). */
export function fixOutputText(v: JsonValue): string {
  return `${indented(v, 0)}\n`.replaceAll('\\u003c', '<').replaceAll('\\u003e', '>');
}
