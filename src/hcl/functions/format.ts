/**
 * cty's `format` and `formatlist`: Go-fmt-like verbs over cty values. The format
 * string is read as cty's state machine does: `%` flags width precision [argidx] letter;
 * offsets in messages are UTF-8 byte offsets, as in cty.
 */
import { PathError } from '../cty/conform.js';
import { convertValue } from '../cty/convert/convert.js';
import { length } from '../cty/operations.js';
import { boolType, dynamicType, listOf, numberType, stringType } from '../cty/type.js';
import type { Value } from '../cty/value.js';
import { listVal, listValEmpty, stringVal, unknownVal } from '../cty/value.js';
import type { FunctionError } from './function.js';
import { ArgError, CallError, defineFunction, staticReturnType } from './function.js';
import type { NumberVerb } from './format-number.js';
import { exactInteger, floatText, formatFloat, formatInteger } from './format-number.js';
import { goJsonString, marshalJson } from './json.js';
import { graphemes } from './text.js';

type Verb = { -readonly [K in keyof NumberVerb]: NumberVerb[K] } & {
  raw: string;
  offset: number;
  argNum: number;
};

const utf8 = new TextEncoder();

function byteLen(s: string): number {
  return utf8.encode(s).length;
}

/** Go's %q of one rune (strconv.QuoteRune), for the printable runes messages show. */
function quoteRune(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '\\') return "'\\\\'";
  return `'${ch}'`;
}

/** cty's formatFSM: the formatted text, or an error (an ArgError for unused arguments). */
export function formatValues(format: string, args: readonly Value[]): string | FunctionError {
  let out = '';
  let nextArg = 1;
  let highest = 0;
  const chars = [...format];
  let offset = 0; // byte offset of chars[i]
  let i = 0;
  const at = (k: number): string | undefined => chars[k];
  while (i < chars.length) {
    const ch = chars[i]!;
    if (ch !== '%') {
      out += ch;
      offset += byteLen(ch);
      i++;
      continue;
    }
    const start = offset;
    const startIdx = i;
    const verb: Verb = { raw: '', offset: start, argNum: nextArg, mode: '', width: -1, prec: -1, zero: false, minus: false, plus: false, space: false, sharp: false };
    let j = i + 1;
    let off = offset + 1;
    const bad = (): CallError => {
      const c = at(j);
      if (c === undefined) return new CallError(`invalid format string starting at offset ${off}`);
      return new CallError(`unrecognized format character ${quoteRune(c)} at offset ${off}`);
    };
    const adv = (): void => {
      off += byteLen(chars[j]!);
      j++;
    };
    if (at(j) === '%') {
      out += '%';
      i = j + 1;
      offset = off + 1;
      continue;
    }
    for (;;) {
      const c = at(j);
      if (c === '0') verb.zero = true;
      else if (c === '#') verb.sharp = true;
      else if (c === '-') verb.minus = true;
      else if (c === '+') verb.plus = true;
      else if (c === ' ') verb.space = true;
      else break;
      adv();
    }
    if (/^[1-9]$/.test(at(j) ?? '')) {
      let w = 0;
      while (/^[0-9]$/.test(at(j) ?? '')) {
        w = w * 10 + Number(at(j));
        adv();
      }
      verb.width = w;
    }
    if (at(j) === '.') {
      adv();
      let p = 0;
      while (/^[0-9]$/.test(at(j) ?? '')) {
        p = p * 10 + Number(at(j));
        adv();
      }
      verb.prec = p;
    }
    if (at(j) === '[') {
      adv();
      if (!/^[1-9]$/.test(at(j) ?? '')) return bad();
      let n = 0;
      while (/^[0-9]$/.test(at(j) ?? '')) {
        n = n * 10 + Number(at(j));
        adv();
      }
      if (at(j) !== ']') return bad();
      adv();
      verb.argNum = n;
    }
    const m = at(j);
    if (m === undefined || !/^[A-Za-z]$/.test(m)) return bad();
    adv();
    verb.mode = m;
    verb.raw = chars.slice(startIdx, j).join('');
    if (verb.argNum > highest) highest = verb.argNum;
    const r = formatAppend(verb, args);
    if (r instanceof CallError) return r;
    out += r;
    nextArg = verb.argNum + 1;
    i = j;
    offset = off;
  }
  if (highest < args.length) {
    const firstBad = highest + 1;
    if (highest === 0) return new ArgError(firstBad, 'too many arguments; no verbs in format string');
    return new ArgError(firstBad, `too many arguments; only ${highest} used by format string`);
  }
  return out;
}

function unsupported(verb: Verb, why: string): CallError {
  return new CallError(`unsupported value for ${goJsonString(verb.raw)} at ${verb.offset}: ${why}`);
}

function formatAppend(verb: Verb, args: readonly Value[]): string | CallError {
  const arg = args[verb.argNum - 1];
  if (arg === undefined) {
    return new CallError(`not enough arguments for ${goJsonString(verb.raw)} at ${verb.offset}: need index ${verb.argNum} but have ${args.length} total`);
  }
  if (verb.mode !== 'v' && arg.isNull()) return unsupported(verb, 'null value cannot be formatted');
  switch (verb.mode) {
    case 'v':
      return formatAsIs(verb, arg);
    case 't': {
      const b = convertValue(arg, boolType);
      if (b instanceof PathError) return unsupported(verb, b.message);
      return b.asBool() ? 'true' : 'false';
    }
    case 'b':
    case 'd':
    case 'o':
    case 'x':
    case 'X':
    case 'e':
    case 'E':
    case 'f':
    case 'g':
    case 'G': {
      const n = convertValue(arg, numberType);
      if (n instanceof PathError) return unsupported(verb, n.message);
      if ('eEfgG'.includes(verb.mode)) return formatFloat(verb, n.asNumber());
      const int = exactInteger(n.asNumber());
      if (int === undefined) return unsupported(verb, 'an integer is required');
      return formatInteger(verb, int);
    }
    case 's':
    case 'q': {
      const s = convertValue(arg, stringType);
      if (s instanceof PathError) return unsupported(verb, s.message);
      let str = s.asString();
      if (verb.prec > 0) str = graphemes(str).slice(0, verb.prec).join('');
      return padWidth(verb, verb.mode === 'q' ? goJsonString(str) : str);
    }
    default:
      return new CallError(`unsupported format verb ${quoteRune(verb.mode)} in ${goJsonString(verb.raw)} at offset ${verb.offset}`);
  }
}

function formatAsIs(verb: Verb, arg: Value): string | CallError {
  if (!verb.sharp && !arg.isNull()) {
    if (arg.type.kind === 'string') return padWidth(verb, arg.asString());
    if (arg.type.kind === 'number') return padWidth(verb, floatText(arg.asNumber(), 'g', -1));
  }
  const j = marshalJson(arg);
  if (j instanceof CallError) return unsupported(verb, j.message);
  return padWidth(verb, j);
}

function padWidth(verb: Verb, s: string): string {
  if (verb.width < 0) return s;
  const have = graphemes(s).length;
  if (have >= verb.width) return s;
  const pads = (verb.zero ? '0' : ' ').repeat(verb.width - have);
  return verb.minus ? s + pads : pads + s;
}

const argsParam = { name: 'args', type: dynamicType, allowNull: true, allowUnknown: true, allowDynamicType: true };

export const formatFunc = defineFunction({
  description: 'Constructs a string by applying formatting verbs to a series of arguments, using a similar syntax to the C function "printf".',
  params: [{ name: 'format', type: stringType }],
  varParam: argsParam,
  type: staticReturnType(stringType),
  impl: (args) => {
    if (args.slice(1).some((a) => !a.isWhollyKnown())) return unknownVal(stringType);
    const r = formatValues(args[0]!.asString(), args.slice(1));
    return typeof r === 'string' ? stringVal(r) : r;
  },
});

export const formatListFunc = defineFunction({
  description: 'Constructs a list of strings by applying formatting verbs to a series of arguments, using a similar syntax to the C function "printf".',
  params: [{ name: 'format', type: stringType }],
  varParam: argsParam,
  type: staticReturnType(listOf(stringType)),
  impl: (all, retType) => {
    const fmt = all[0]!.asString();
    const args = all.slice(1);
    if (args.length === 0) {
      const r = formatValues(fmt, []);
      return typeof r === 'string' ? listVal([stringVal(r)]) : r;
    }
    let iterLen = -1;
    let chooser = -1;
    const seqs: Array<readonly Value[] | undefined> = [];
    let unknown = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const k = a.type.kind;
      seqs.push(undefined);
      if ((k === 'list' || k === 'set' || k === 'tuple') && !a.isNull()) {
        if (k !== 'tuple' && !(a.isKnown() && length(a).isKnown())) {
          unknown = true;
          continue;
        }
        const n = k === 'tuple' ? (a.type as { elements: readonly unknown[] }).elements.length : a.asArray().length;
        if (iterLen === -1) {
          iterLen = n;
          chooser = i;
        } else if (n !== iterLen) {
          return new ArgError(i + 1, `argument ${i + 1} has length ${n}, which is inconsistent with argument ${chooser + 1} of length ${iterLen}`);
        }
        if (!a.isKnown()) {
          unknown = true;
          continue;
        }
        seqs[i] = a.asArray();
      } else if (k === 'dynamic' && !a.isKnown()) {
        unknown = true;
      }
    }
    if (unknown) return unknownVal(retType);
    if (iterLen === 0) return listValEmpty(stringType);
    if (iterLen === -1) iterLen = 1;
    const out: Value[] = [];
    for (let it = 0; it < iterLen; it++) {
      const fmtArgs = args.map((a, i) => seqs[i]?.[it] ?? a);
      if (fmtArgs.some((a) => !a.isWhollyKnown())) {
        out.push(unknownVal(stringType));
        continue;
      }
      const r = formatValues(fmt, fmtArgs);
      if (typeof r !== 'string') return new CallError(`error on format iteration ${it}: ${r.message}`);
      out.push(stringVal(r));
    }
    return listVal(out);
  },
});
