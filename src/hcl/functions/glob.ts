/**
 * bmatcuk/doublestar v1's `Glob`, as go-cty-funcs' `fileset` uses it: `*`, `?`, `[...]`
 * classes (`^`/`!` negation, ranges, `\` escapes) and `{a,b}` alternatives within one
 * path component, and `**` as a whole component for zero or more directories.
 * Dot files are not special; `**` does not descend into symlinked directories.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';

/** Thrown by {@link globSync} for a malformed pattern; the text is doublestar's ErrBadPattern. */
export class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

const META = /[*?[{]/;

/** The existing paths matching `pattern` (a cleaned path), in directory order. */
export function globSync(pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const comps = pattern.split('/').filter((c, i) => !(absolute && i === 0));
  for (const c of comps) if (META.test(c)) toRegExp(c);
  const out: string[] = [];
  walk(absolute ? '/' : '', comps, 0, out);
  return out;
}

const join = (dir: string, name: string): string => (dir === '' ? name : dir.endsWith('/') ? dir + name : `${dir}/${name}`);

function entries(dir: string): { name: string; isDir: boolean }[] {
  try {
    return readdirSync(dir === '' ? '.' : dir, { withFileTypes: true })
      .map((e) => ({ name: e.name, isDir: e.isDirectory() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

function isDirFollowing(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function walk(dir: string, comps: readonly string[], i: number, out: string[]): void {
  if (i === comps.length) {
    out.push(dir === '' ? '.' : dir);
    return;
  }
  const comp = comps[i]!;
  const last = i === comps.length - 1;
  if (comp === '**') {
    walk(dir, comps, i + 1, out);
    for (const e of entries(dir)) if (e.isDir) walkDoubleStar(join(dir, e.name), comps, i, out);
    return;
  }
  if (!META.test(comp)) {
    const p = join(dir, comp.replace(/\\(.)/g, '$1'));
    try {
      lstatSync(p);
    } catch {
      return;
    }
    if (last || isDirFollowing(p)) walk(p, comps, i + 1, out);
    return;
  }
  const re = toRegExp(comp);
  for (const e of entries(dir)) {
    if (!re.test(e.name)) continue;
    const p = join(dir, e.name);
    if (last || isDirFollowing(p)) walk(p, comps, i + 1, out);
  }
}

function walkDoubleStar(dir: string, comps: readonly string[], i: number, out: string[]): void {
  walk(dir, comps, i + 1, out);
  for (const e of entries(dir)) if (e.isDir) walkDoubleStar(join(dir, e.name), comps, i, out);
}

const cache = new Map<string, RegExp>();

/** One path component's pattern as an anchored RegExp; throws BadPatternError. */
function toRegExp(comp: string): RegExp {
  let re = cache.get(comp);
  if (re === undefined) {
    re = new RegExp(`^${translate(comp, 0, false).source}$`, 'su');
    cache.set(comp, re);
  }
  return re;
}

function escapeRe(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Translates from `start`; inside braces stops at an unnested `,` or `}`. */
function translate(s: string, start: number, inBrace: boolean): { source: string; end: number } {
  let out = '';
  let i = start;
  const chars = [...s];
  while (i < chars.length) {
    const c = chars[i]!;
    if (inBrace && (c === ',' || c === '}')) return { source: out, end: i };
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      i++;
      if (i >= chars.length) throw new BadPatternError();
      out += escapeRe(chars[i]!);
    } else if (c === '[') {
      const r = charClass(chars, i);
      out += r.source;
      i = r.end;
    } else if (c === '{') {
      const alts: string[] = [];
      let j = i + 1;
      for (;;) {
        const r = translate(chars.join(''), j, true);
        alts.push(r.source);
        if (r.end >= chars.length) throw new BadPatternError();
        j = r.end + 1;
        if (chars[r.end] === '}') break;
      }
      out += `(?:${alts.join('|')})`;
      i = j - 1;
    } else out += escapeRe(c);
    i++;
  }
  if (inBrace) return { source: out, end: chars.length };
  return { source: out, end: i };
}

function charClass(chars: readonly string[], open: number): { source: string; end: number } {
  let i = open + 1;
  let negate = false;
  if (chars[i] === '^' || chars[i] === '!') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  for (;;) {
    const c = chars[i];
    if (c === undefined) throw new BadPatternError();
    if (c === ']' && !first) break;
    first = false;
    let lo = c;
    if (c === '\\') {
      i++;
      lo = chars[i] ?? '';
      if (lo === '') throw new BadPatternError();
    }
    if (chars[i + 1] === '-' && chars[i + 2] !== undefined && chars[i + 2] !== ']') {
      let hi = chars[i + 2]!;
      i += 2;
      if (hi === '\\') {
        i++;
        hi = chars[i] ?? '';
        if (hi === '') throw new BadPatternError();
      }
      if (hi < lo) throw new BadPatternError();
      body += `${escapeRe(lo)}-${escapeRe(hi)}`;
    } else body += escapeRe(lo);
    i++;
  }
  return { source: negate ? `[^/${body}]` : `[${body}]`, end: i };
}
