/**
 * cty stdlib's string functions (besides `upper`, `format` and the regex family):
 * lower, strrev, substr, join, split, chomp, indent, title, trim, trimprefix,
 * trimsuffix, trimspace and replace. Go's strings package is the reference, so case
 * mapping is per code point, whitespace is Go's unicode.IsSpace, and "characters" in
 * strrev/substr are grapheme clusters.
 */
import { listOf, stringType, numberType } from '../cty/type.js';
import { listVal, listValEmpty, stringVal } from '../cty/value.js';
import { ArgError, CallError, defineFunction, staticReturnType } from './function.js';
import type { CtyFunction } from './function.js';
import { goInt } from './go-value.js';

// Made on first use: building a Segmenter loads ICU's break-iterator data (tens of
// milliseconds), which every command that loads the function table would pay at start-up.
let segmenter: Intl.Segmenter | undefined;

/** The grapheme clusters of `s`, in order. */
export function graphemes(s: string): string[] {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  const out: string[] = [];
  for (const seg of segmenter.segment(s)) out.push(seg.segment);
  return out;
}

/** A one-string-in, one-string-out function with cty's flags for such functions. */
function stringToString(description: string, f: (s: string) => string, allowDynamicType = false): CtyFunction {
  return defineFunction({
    description,
    params: [{ name: 'str', type: stringType, allowDynamicType }],
    type: staticReturnType(stringType),
    impl: (args) => stringVal(f(args[0]!.asString())),
  });
}

/** Go's strings.ToLower: per-code-point simple mapping (no final-sigma rule, no expansions). */
export function goToLower(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const low = ch.toLowerCase();
    out += [...low].length === 1 ? low : ch === '\u0130' ? 'i' : ch;
  }
  return out;
}

export const lowerFunc = stringToString('Returns the given string with all Unicode letters translated to their lowercase equivalents.', goToLower, true);

export const reverseFunc = stringToString(
  'Returns the given string with all of its Unicode characters in reverse order.',
  (s) => graphemes(s).reverse().join(''),
  true,
);

export const substrFunc = defineFunction({
  description: 'Extracts a substring from the given string.',
  params: [
    { name: 'str', type: stringType, allowDynamicType: true },
    { name: 'offset', type: numberType, allowDynamicType: true },
    { name: 'length', type: numberType, allowDynamicType: true },
  ],
  type: staticReturnType(stringType),
  impl: (args) => {
    const offsetIn = goInt(args[1]!);
    if (typeof offsetIn === 'string') return new CallError(offsetIn);
    const length = goInt(args[2]!);
    if (typeof length === 'string') return new CallError(length);
    return stringVal(substr(args[0]!.asString(), offsetIn, length));
  },
});

/** cty's substr, quirks included (a zero length after a negative offset means "to the end"). */
function substr(s: string, offsetIn: number, length: number): string {
  let sub = graphemes(s);
  let offset = offsetIn;
  if (offset < 0) offset += sub.length;
  else if (length === 0) return '';
  if (offset > 0) {
    if (offset > sub.length) return '';
    sub = sub.slice(offset);
  }
  if (length < 0 || length === 0) return sub.join('');
  return sub.slice(0, length).join('');
}

export const joinFunc = defineFunction({
  description: 'Concatenates together the string elements of one or more lists with a given separator.',
  params: [{ name: 'separator', type: stringType }],
  varParam: { name: 'lists', type: listOf(stringType) },
  type: staticReturnType(stringType),
  impl: (args) => {
    const lists = args.slice(1);
    if (lists.length < 1) return new CallError('at least one list is required');
    const items: string[] = [];
    for (let ai = 0; ai < lists.length; ai++) {
      const list = lists[ai]!;
      let ei = 0;
      for (const v of list.asArray()) {
        if (v.isNull()) {
          const where = lists.length > 1 ? `element ${ei} of list ${ai + 1}` : `element ${ei}`;
          return new ArgError(ai + 1, `${where} is null; cannot concatenate null values`);
        }
        items.push(v.asString());
        ei++;
      }
    }
    return stringVal(items.join(args[0]!.asString()));
  },
});

export const splitFunc = defineFunction({
  description: 'Produces a list of one or more strings by splitting the given string at all instances of a given separator substring.',
  params: [
    { name: 'separator', type: stringType },
    { name: 'str', type: stringType },
  ],
  type: staticReturnType(listOf(stringType)),
  impl: (args) => {
    const parts = goSplit(args[1]!.asString(), args[0]!.asString());
    return parts.length === 0 ? listValEmpty(stringType) : listVal(parts.map(stringVal));
  },
});

/** Go's strings.Split: an empty separator splits after each UTF-8 sequence (code point). */
function goSplit(s: string, sep: string): string[] {
  if (sep === '') return s === '' ? [] : [...s];
  return s.split(sep);
}

export const chompFunc = stringToString('Removes one or more newline characters from the end of the given string.', (s) =>
  s.replace(/(?:\r\n?|\n)*$/, ''),
);

export const indentFunc = defineFunction({
  description: 'Adds a given number of spaces after each newline character in the given string.',
  params: [
    { name: 'spaces', type: numberType },
    { name: 'str', type: stringType },
  ],
  type: staticReturnType(stringType),
  impl: (args) => {
    const spaces = goInt(args[0]!);
    if (typeof spaces === 'string') return new CallError(spaces);
    if (spaces < 0) return new CallError('panic in function implementation: strings: negative Repeat count');
    return stringVal(args[1]!.asString().replaceAll('\n', `\n${' '.repeat(spaces)}`));
  },
});

/** Go's unicode.IsSpace. */
export function isGoSpace(cp: number): boolean {
  if (cp <= 0xff) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
  return cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

/** Go's strings.Title separator rule. */
function isTitleSeparator(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if (cp <= 0x7f) return !/[0-9A-Za-z_]/.test(ch);
  if (/[\p{L}\p{Nd}]/u.test(ch)) return false;
  return isGoSpace(cp);
}

/** Go's unicode.ToTitle of one code point (simple mapping). */
function toTitle(ch: string): string {
  const special: Record<string, string> = { ǆ: 'ǅ', ǅ: 'ǅ', Ǆ: 'ǅ', ǉ: 'ǈ', ǈ: 'ǈ', Ǉ: 'ǈ', ǌ: 'ǋ', ǋ: 'ǋ', Ǌ: 'ǋ', ǳ: 'ǲ', ǲ: 'ǲ', Ǳ: 'ǲ' };
  const s = special[ch];
  if (s !== undefined) return s;
  const up = ch.toUpperCase();
  return [...up].length === 1 ? up : ch;
}

export const titleFunc = stringToString('Replaces one letter after each non-letter and non-digit character with its uppercase equivalent.', (s) => {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isTitleSeparator(prev) ? toTitle(ch) : ch;
    prev = ch;
  }
  return out;
});

export const trimSpaceFunc = stringToString('Removes any consecutive space characters (as defined by Unicode) from the start and end of the given string.', (s) => {
  const cps = [...s];
  let a = 0;
  let b = cps.length;
  while (a < b && isGoSpace(cps[a]!.codePointAt(0)!)) a++;
  while (b > a && isGoSpace(cps[b - 1]!.codePointAt(0)!)) b--;
  return cps.slice(a, b).join('');
});

function twoStrings(description: string, second: string, f: (s: string, t: string) => string): CtyFunction {
  return defineFunction({
    description,
    params: [
      { name: 'str', type: stringType },
      { name: second, type: stringType },
    ],
    type: staticReturnType(stringType),
    impl: (args) => stringVal(f(args[0]!.asString(), args[1]!.asString())),
  });
}

export const trimFunc = twoStrings('Removes consecutive characters of the given cutset from the start and end of the given string.', 'cutset', (s, cutset) => {
  const cut = new Set(cutset);
  const cps = [...s];
  let a = 0;
  let b = cps.length;
  while (a < b && cut.has(cps[a]!)) a++;
  while (b > a && cut.has(cps[b - 1]!)) b--;
  return cps.slice(a, b).join('');
});

export const trimPrefixFunc = twoStrings('Removes the given prefix from the start of the given string, if present.', 'prefix', (s, p) =>
  s.startsWith(p) ? s.slice(p.length) : s,
);

export const trimSuffixFunc = twoStrings('Removes the given suffix from the end of the given string, if present.', 'suffix', (s, p) =>
  p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s,
);

export const replaceFunc = defineFunction({
  description: 'Replaces all instances of the given substring in the given string with the given replacement string.',
  params: [
    { name: 'str', type: stringType },
    { name: 'substr', type: stringType },
    { name: 'replace', type: stringType },
  ],
  type: staticReturnType(stringType),
  impl: (args) => stringVal(goReplaceAll(args[0]!.asString(), args[1]!.asString(), args[2]!.asString())),
});

/** Go's strings.Replace(s, old, new, -1): an empty `old` inserts `new` around every code point. */
function goReplaceAll(s: string, old: string, replacement: string): string {
  if (old !== '') return s.split(old).join(replacement);
  return replacement + [...s].map((ch) => ch + replacement).join('');
}

