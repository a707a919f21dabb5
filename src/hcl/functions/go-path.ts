/** Go's `path/filepath` (Unix flavour) and go-homedir's `Expand`, as go-cty-funcs uses them. */
import { homedir } from 'node:os';
import path from 'node:path';

/** filepath.Clean: lexical normalisation, no trailing slash, `.` for empty. */
export function goClean(p: string): string {
  if (p === '') return '.';
  const n = path.posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** filepath.Join: the non-empty elements joined and cleaned; `""` when all are empty. */
export function goJoin(...parts: string[]): string {
  const nonEmpty = parts.filter((p) => p !== '');
  return nonEmpty.length === 0 ? '' : goClean(nonEmpty.join('/'));
}

/** filepath.Base. */
export function goBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** filepath.Dir. */
export function goDir(p: string): string {
  return goClean(p.slice(0, p.lastIndexOf('/') + 1));
}

/** filepath.Abs against `cwd`. */
export function goAbs(p: string, cwd: string = process.cwd()): string {
  return p.startsWith('/') ? goClean(p) : goJoin(cwd, p);
}

/** The home directory as go-homedir finds it: `$HOME`, else the account's. */
export function homeDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const h = env['HOME'];
  return h !== undefined && h !== '' ? h : homedir();
}

/** go-homedir's Expand: a leading `~` or `~/` becomes the home directory; `~user` is an error (a string). */
export function expandHome(p: string, home: () => string = () => homeDir()): { path: string } | { error: string } {
  if (p === '' || p[0] !== '~') return { path: p };
  if (p.length > 1 && p[1] !== '/' && p[1] !== '\\') return { error: 'cannot expand user-specific home dir' };
  return { path: goJoin(home(), p.slice(1)) };
}

/** Go's os.FileMode.String for a node `mode` (type letters, then rwxrwxrwx). */
export function goFileModeString(mode: number): string {
  const fmt = mode & 0o170000;
  let out = '';
  if (fmt === 0o040000) out += 'd';
  if (fmt === 0o120000) out += 'L';
  if (fmt === 0o060000) out += 'D';
  if (fmt === 0o010000) out += 'p';
  if (fmt === 0o140000) out += 'S';
  if (mode & 0o4000) out += 'u';
  if (mode & 0o2000) out += 'g';
  if (fmt === 0o020000) out += 'Dc';
  if (mode & 0o1000) out += 't';
  if (out === '') out = '-';
  const rwx = 'rwxrwxrwx';
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? rwx[i] : '-';
  return out;
}
