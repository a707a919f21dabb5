/**
 * Quoting for a POSIX shell (the remote shells of the SSH and docker communicators).
 */

/**
 * Quotes a word (usually a path) for a POSIX shell; words of safe characters stay
 * bare. A leading `~/` stays outside the quotes so the remote shell still expands
 * it, as it does for Packer's unquoted paths.
 */
export function shellQuote(p: string): string {
  if (p === '~') return '~';
  if (p.startsWith('~/')) return `~/${quoteWord(p.slice(2))}`;
  return quoteWord(p);
}

/** True when `p` holds a shell glob character (`*`, `?`, `[`), as Packer's file provisioner checks. */
export function isGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/**
 * Quotes a remote path but leaves its glob characters (`* ? [ ]`) to the remote shell,
 * which expands them as it does for Packer's unquoted `scp -vrf <src>`.
 */
export function shellQuoteGlob(p: string): string {
  return p
    .split(/([*?[\]])/)
    .map((part, i) => (i % 2 === 1 ? part : part === '' ? '' : shellQuote(part)))
    .join('');
}

function quoteWord(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_/.,:@%+=-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
