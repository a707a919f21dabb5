/** Go's `strconv.Unquote` for template string literals and character constants. */

const SIMPLE: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\',
};

/** Decodes one escape at `s[i]` (just after the backslash); undefined when invalid. */
function escape(s: string, i: number, quote: string): { text: string; next: number } | undefined {
  const c = s[i];
  if (c === undefined) return undefined;
  const simple = SIMPLE[c];
  if (simple !== undefined) return { text: simple, next: i + 1 };
  if (c === quote) return { text: c, next: i + 1 };
  const hexLen = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  if (hexLen > 0) {
    const hex = s.slice(i + 1, i + 1 + hexLen);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) return undefined;
    const v = parseInt(hex, 16);
    if (c === 'x') return { text: String.fromCharCode(v), next: i + 1 + hexLen }; // a byte; Latin-1 approximation
    if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return undefined;
    return { text: String.fromCodePoint(v), next: i + 1 + hexLen };
  }
  if (c >= '0' && c <= '7') {
    const oct = s.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(oct)) return undefined;
    const v = parseInt(oct, 8);
    if (v > 255) return undefined;
    return { text: String.fromCharCode(v), next: i + 3 };
  }
  return undefined;
}

/** Unquotes a `"..."` or `` `...` `` literal; undefined means Go's "invalid syntax". */
export function unquoteGo(lit: string): string | undefined {
  if (lit.length < 2) return undefined;
  const q = lit[0];
  if (q !== lit[lit.length - 1]) return undefined;
  const body = lit.slice(1, -1);
  if (q === '`') return body.includes('`') ? undefined : body.replace(/\r/g, '');
  if (q !== '"') return undefined;
  let out = '';
  for (let i = 0; i < body.length; ) {
    const ch = body[i] ?? '';
    if (ch === '"' || ch === '\n') return undefined;
    if (ch !== '\\') {
      out += ch;
      i++;
      continue;
    }
    const e = escape(body, i + 1, '"');
    if (e === undefined) return undefined;
    out += e.text;
    i = e.next;
  }
  return out;
}

/** The code point of a `'x'` character constant; undefined when malformed. */
export function unquoteChar(lit: string): number | undefined {
  if (lit.length < 3 || lit[0] !== "'" || lit[lit.length - 1] !== "'") return undefined;
  const body = lit.slice(1, -1);
  if (body[0] === '\\') {
    const e = escape(body, 1, "'");
    if (e === undefined || e.next !== body.length) return undefined;
    return e.text.codePointAt(0);
  }
  const cps = [...body];
  return cps.length === 1 ? cps[0]?.codePointAt(0) : undefined;
}
