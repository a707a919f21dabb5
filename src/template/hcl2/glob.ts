/**
 * The glob patterns of `-only` and `-except` in HCL mode (gobwas/glob compiled without
 * separators): `*` matches any run of characters, dots included, `?` one character,
 * `[abc]`/`[a-z]`/`[!a]` a class, `{a,b}` alternatives, `\` escapes the next character.
 */

export type GlobResult = { readonly kind: 'ok'; readonly match: (s: string) => boolean } | { readonly kind: 'error'; readonly message: string };

const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles `pattern`; a malformed one (unclosed `[` or `{`) is an error, as in gobwas/glob. */
export function compileGlob(pattern: string): GlobResult {
  let re = '';
  let depth = 0;
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    switch (c) {
      case '\\': {
        const next = chars[++i];
        if (next === undefined) return { kind: 'error', message: 'unexpected end of input' };
        re += escapeRe(next);
        break;
      }
      case '*':
        re += '[\\s\\S]*';
        break;
      case '?':
        re += '[\\s\\S]';
        break;
      case '[': {
        const end = chars.indexOf(']', i + 1);
        if (end < 0) return { kind: 'error', message: 'unexpected end of input' };
        let body = chars.slice(i + 1, end).join('');
        const negate = body.startsWith('!');
        if (negate) body = body.slice(1);
        const cls = body.replace(/[\\\]^]/g, '\\$&');
        re += `[${negate ? '^' : ''}${cls}]`;
        i = end;
        break;
      }
      case '{':
        depth++;
        re += '(?:';
        break;
      case '}':
        if (depth === 0) {
          re += '\\}';
          break;
        }
        depth--;
        re += ')';
        break;
      case ',':
        re += depth > 0 ? '|' : ',';
        break;
      default:
        re += escapeRe(c);
    }
  }
  if (depth > 0) return { kind: 'error', message: 'unexpected end of input' };
  const compiled = new RegExp(`^${re}$`, 'u');
  return { kind: 'ok', match: (s) => compiled.test(s) };
}
