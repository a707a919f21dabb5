/**
 * Quotes a remote path for a POSIX shell. A leading `~/` stays outside the quotes so
 * the remote shell still expands it, as it does for Packer's unquoted paths.
 */
export function shellQuote(p: string): string {
  if (p === '~') return '~';
  if (p.startsWith('~/')) return `~/${quoteWord(p.slice(2))}`;
  return quoteWord(p);
}

function quoteWord(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_/.,:@%+=-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
