/**
 * Go's `path/filepath.Glob` and `Match` (Unix separators): `*` and `?` never cross `/`,
 * `[...]` classes with `^` negation and ranges, `\` escapes; no `**`, no `{a,b}`; dot
 * files are not special. Matches come back sorted per directory and joined with
 * `filepath.Join`, so `./a*` yields `a1`. Missing paths are not an error.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Go's `filepath.ErrBadPattern`. */
export class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

const hasMeta = (p: string): boolean => /[*?[\\]/.test(p);

/** The paths matching `pattern`; throws {@link BadPatternError} for a malformed one. */
export function goGlob(pattern: string): string[] {
  compile(pattern); // Go checks the whole pattern first.
  return glob(pattern, 0);
}

function glob(pattern: string, depth: number): string[] {
  if (!hasMeta(pattern)) {
    try {
      lstatSync(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const lastSlash = pattern.lastIndexOf('/');
  const file = pattern.slice(lastSlash + 1);
  // filepath.Split keeps the trailing slash; cleanGlobPath drops it (but keeps "/").
  const dir = lastSlash < 0 ? '.' : pattern.slice(0, lastSlash) || '/';
  // Guard against a path that only grows more meta characters (Go limits the depth too).
  if (depth > 10000) throw new BadPatternError();
  if (!hasMeta(dir)) return matchIn(dir, file);
  if (dir === pattern) throw new BadPatternError();
  return glob(dir, depth + 1).flatMap((d) => matchIn(d, file));
}

function matchIn(dir: string, pattern: string): string[] {
  try {
    if (!statSync(dir).isDirectory()) return [];
  } catch {
    return [];
  }
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const re = compile(pattern);
  return names.filter((n) => re.test(n)).map((n) => path.join(dir, n));
}

/** `filepath.Match(pattern, name)`; throws {@link BadPatternError} for a malformed pattern. */
export function goMatch(pattern: string, name: string): boolean {
  return compile(pattern).test(name);
}

function compile(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      i++;
      if (i >= pattern.length) throw new BadPatternError();
      re += escape(pattern[i] as string);
    } else if (c === '[') {
      const [cls, next] = compileClass(pattern, i + 1);
      re += cls;
      i = next - 1;
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`, 'su');
}

/** A `[...]` class starting after `[`; returns the RegExp text and the index after `]`. */
function compileClass(p: string, start: number): [string, number] {
  let i = start;
  let negated = false;
  if (p[i] === '^') {
    negated = true;
    i++;
  }
  const parts: string[] = [];
  const char = (): string => {
    const c = p[i];
    if (c === undefined || c === '-' || c === ']') throw new BadPatternError();
    i++;
    if (c !== '\\') return c;
    const e = p[i];
    if (e === undefined) throw new BadPatternError();
    i++;
    return e;
  };
  for (let first = true; ; first = false) {
    if (p[i] === ']' && !first) return [`(?:(?!/)[${negated ? '^' : ''}${parts.join('')}])`, i + 1];
    const lo = char();
    let hi = lo;
    if (p[i] === '-') {
      i++;
      hi = char();
      if (hi < lo) throw new BadPatternError();
    }
    parts.push(lo === hi ? classEscape(lo) : `${classEscape(lo)}-${classEscape(hi)}`);
  }
}

const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const classEscape = (c: string): string => c.replace(/[\\\]^-]/g, '\\$&');
