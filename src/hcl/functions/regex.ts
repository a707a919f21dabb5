/**
 * cty's regular expression functions: `regex`, `regexall` and `regex_replace` (cty's
 * RegexReplace, under Packer's name), over Go patterns translated by `re2-to-js.ts`.
 *
 * Result shapes follow cty: no capture groups → the matched string; only unnamed groups
 * → a tuple of strings; only named groups → an object; a group that did not take part in
 * the match → a null string. Successive matches follow Go's `FindAll` and
 * `ReplaceAllString` rules (an empty match right after a previous match is skipped), and
 * `$1`/`${name}` in replacements are expanded as Go's `Regexp.Expand` does.
 */
import type { Type } from '../cty/type.js';
import { dynamicType, listOf, objectOf, stringType, tupleOf } from '../cty/type.js';
import type { Value } from '../cty/value.js';
import { dynamicVal, listVal, listValEmpty, nullVal, objectVal, stringVal, tupleVal } from '../cty/value.js';
import { ArgError, CallError, defineFunction, staticReturnType } from './function.js';
import type { GoRegExp } from './re2-to-js.js';
import { compileGoRegexp, Re2SyntaxError } from './re2-to-js.js';

const NO_MATCH = 'pattern did not match any part of the given string';

/** cty's result type for a pattern's capture groups, or the error for a bad pattern. */
function patternResultType(pattern: string): { re: GoRegExp; type: Type } | ArgError {
  const re = compileGoRegexp(pattern);
  if (re instanceof Re2SyntaxError) return new ArgError(0, `invalid regexp pattern: ${re.code} in ${re.expr}`);
  const named = re.names.filter((n) => n !== '');
  const unnamed = re.names.length - named.length;
  if (named.length === 0 && unnamed === 0) return { re, type: stringType };
  if (named.length > 0 && unnamed > 0) return new ArgError(0, 'invalid regexp pattern: cannot mix both named and unnamed capture groups');
  if (unnamed > 0) return { re, type: tupleOf(re.names.map(() => stringType)) };
  return { re, type: objectOf(Object.fromEntries(named.map((n): [string, Type] => [n, stringType]))) };
}

function matchValue(m: RegExpExecArray, re: GoRegExp, type: Type): Value {
  const group = (i: number): Value => {
    const s = m[i];
    return s === undefined ? nullVal(stringType) : stringVal(s);
  };
  if (type.kind === 'string') return stringVal(m[0]);
  if (type.kind === 'tuple') return tupleVal(re.names.map((_, i) => group(i + 1)));
  const attrs = new Map<string, Value>();
  re.names.forEach((name, i) => attrs.set(name, group(i + 1)));
  return objectVal(attrs);
}

/** The next match at or after `from`, searching with the whole string as context. */
function execAt(re: RegExp, s: string, from: number): RegExpExecArray | null {
  re.lastIndex = from;
  return re.exec(s);
}

/** Width of the code point at `i` in UTF-16 units (1 at the end, as Go steps past it). */
function widthAt(s: string, i: number): number {
  const cp = s.codePointAt(i);
  return cp !== undefined && cp > 0xffff ? 2 : 1;
}

/** Go's FindAll: non-overlapping matches, skipping an empty match that abuts the previous one. */
export function findAllGo(re: RegExp, s: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let prevEnd = -1;
  for (let pos = 0; pos <= s.length; ) {
    const m = execAt(re, s, pos);
    if (m === null) break;
    const end = m.index + m[0].length;
    let accept = true;
    if (end === pos) {
      if (m.index === prevEnd) accept = false;
      pos += widthAt(s, pos);
    } else {
      pos = end;
    }
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

export const regexFunc = defineFunction({
  description: 'Applies the given regular expression pattern to the given string and returns information about a single match, or raises an error if there is no match.',
  params: [
    { name: 'pattern', type: stringType },
    { name: 'string', type: stringType },
  ],
  type: (args) => {
    if (!args[0]!.isKnown()) return dynamicType;
    const r = patternResultType(args[0]!.asString());
    return r instanceof ArgError ? r : r.type;
  },
  impl: (args, retType) => {
    if (retType.kind === 'dynamic') return dynamicVal;
    const r = patternResultType(args[0]!.asString());
    if (r instanceof ArgError) return r;
    const s = args[1]!.asString();
    const m = execAt(r.re.regexp, s, 0);
    if (m === null) return new CallError(NO_MATCH);
    return matchValue(m, r.re, retType);
  },
});

export const regexAllFunc = defineFunction({
  description: 'Applies the given regular expression pattern to the given string and returns a list of information about all non-overlapping matches, or an empty list if there are no matches.',
  params: [
    { name: 'pattern', type: stringType },
    { name: 'string', type: stringType },
  ],
  type: (args) => {
    if (!args[0]!.isKnown()) return listOf(dynamicType);
    const r = patternResultType(args[0]!.asString());
    return r instanceof ArgError ? r : listOf(r.type);
  },
  impl: (args, retType) => {
    const ety = (retType as { element: Type }).element;
    if (ety.kind === 'dynamic') return dynamicVal;
    const r = patternResultType(args[0]!.asString());
    if (r instanceof ArgError) return r;
    const matches = findAllGo(r.re.regexp, args[1]!.asString());
    if (matches.length === 0) return listValEmpty(ety);
    return listVal(matches.map((m) => matchValue(m, r.re, ety)));
  },
});

export const regexReplaceFunc = defineFunction({
  description: 'Applies the given regular expression pattern to the given string and replaces all matches with the given replacement string.',
  params: [
    { name: 'str', type: stringType },
    { name: 'pattern', type: stringType },
    { name: 'replace', type: stringType },
  ],
  type: staticReturnType(stringType),
  impl: (args) => {
    const re = compileGoRegexp(args[1]!.asString());
    if (re instanceof Re2SyntaxError) return new CallError(`error parsing regexp: ${re.code}: \`${re.expr}\``);
    return stringVal(replaceAllGo(re, args[0]!.asString(), args[2]!.asString()));
  },
});

/** Go's `Regexp.ReplaceAllString`: `$` expansion in `template`, Go's rules for empty matches. */
export function replaceAllGo(re: GoRegExp, s: string, template: string): string {
  let out = '';
  let lastEnd = 0;
  for (let searchPos = 0; searchPos <= s.length; ) {
    const m = execAt(re.regexp, s, searchPos);
    if (m === null) break;
    const end = m.index + m[0].length;
    out += s.slice(lastEnd, m.index);
    // No replacement for an empty match right after the previous match.
    if (end > lastEnd || m.index === 0) out += expandGo(re.names, m, template);
    lastEnd = end;
    const width = searchPos < s.length ? widthAt(s, searchPos) : 1;
    searchPos = searchPos + width > end ? searchPos + width : end;
  }
  return out + s.slice(lastEnd);
}

/**
 * Go's `Regexp.Expand`: `$$` is a dollar; `$name` takes the longest run of letters,
 * digits and `_`; `${name}` is braced; a name made only of digits (without a leading
 * zero) is a group number; a group that does not exist or did not match expands to
 * nothing; a malformed reference leaves the `$` as text.
 */
export function expandGo(names: readonly string[], m: RegExpExecArray, template: string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) break;
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const ref = /^(?:\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/u.exec(template.slice(i));
    if (ref === null) {
      out += '$';
      continue;
    }
    i += ref[0].length;
    const name = ref[1] ?? ref[2]!;
    const num = /^(?:0|[1-9][0-9]{0,8})$/.test(name) ? Number(name) : -1;
    if (num >= 0) {
      out += m[num] ?? '';
    } else {
      const idx = names.indexOf(name);
      if (idx >= 0) out += m[idx + 1] ?? '';
    }
  }
  return out + template.slice(i);
}
