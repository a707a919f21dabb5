/**
 * Go's predefined template functions: `and or not len index slice print printf println
 * html js urlquery eq ne lt le gt ge` (`call` is left out: template data holds no
 * functions). `and` and `or` short-circuit; the executor handles them specially.
 */
import { FuncError, type TemplateFunc } from './func.js';
import { sprint, sprintf, sprintln } from './go-fmt.js';
import { fromData, goLen, goTypeName, isMap, isTrue, type GoValue } from './value.js';

function evalArgs(args: readonly GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === undefined || a === null ? '<no value>' : a)));
}

/** Go's `template.HTMLEscapeString`. */
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => {
    switch (c) {
      case '\0': return '\uFFFD';
      case '"': return '&#34;';
      case "'": return '&#39;';
      case '&': return '&amp;';
      case '<': return '&lt;';
      default: return '&gt;';
    }
  });
}

/** Go's `template.JSEscapeString`. */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case "'": out += "\\'"; break;
      case '"': out += '\\"'; break;
      case '<': out += '\\u003C'; break;
      case '>': out += '\\u003E'; break;
      case '&': out += '\\u0026'; break;
      case '=': out += '\\u003D'; break;
      default:
        if (cp < 0x20 || (cp >= 0x7f && !/\p{L}|\p{N}|\p{P}|\p{S}|\p{Zs}|\p{M}/u.test(ch))) {
          out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
        } else out += ch;
    }
  }
  return out;
}

/** Go's `url.QueryEscape`. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function indexArg(index: GoValue, cap: number): number {
  if (index === undefined || index === null) throw new FuncError('cannot index slice/array with nil');
  if (typeof index !== 'bigint') throw new FuncError(`cannot index slice/array with type ${goTypeName(index)}`);
  if (index < 0n || index > BigInt(cap)) throw new FuncError(`index out of range: ${index}`);
  return Number(index);
}

function index(args: GoValue[]): GoValue {
  let item = args[0];
  if (item === undefined || item === null) throw new FuncError('index of untyped nil');
  for (const idx of args.slice(1)) {
    if (item === undefined || item === null) throw new FuncError('index of nil pointer');
    if (typeof item === 'string') {
      const bytes: Buffer = Buffer.from(item, 'utf8');
      const x = indexArg(idx, bytes.length);
      if (x >= bytes.length) throw new FuncError(`index out of range: ${x}`);
      item = BigInt(bytes[x] ?? 0);
    } else if (Array.isArray(item)) {
      const x = indexArg(idx, item.length);
      if (x >= item.length) throw new FuncError(`index out of range: ${x}`);
      item = fromData(item[x]);
    } else if (isMap(item)) {
      if (typeof idx !== 'string') {
        throw new FuncError(idx === undefined || idx === null ? 'value is nil; should be of type string' : `value has type ${goTypeName(idx)}; should be string`);
      }
      const m = item as Record<string, unknown>;
      item = Object.hasOwn(m, idx) ? fromData(m[idx]) : null;
    } else {
      throw new FuncError(`can't index item of type ${goTypeName(item)}`);
    }
  }
  return item;
}

function slice(args: GoValue[]): GoValue {
  const item = args[0];
  const idxs = args.slice(1);
  if (item === undefined || item === null) throw new FuncError('slice of untyped nil');
  if (idxs.length > 3) throw new FuncError(`too many slice indexes: ${idxs.length}`);
  let len: number;
  if (typeof item === 'string') {
    if (idxs.length === 3) throw new FuncError('cannot 3-index slice a string');
    len = Buffer.byteLength(item, 'utf8');
  } else if (Array.isArray(item)) len = item.length;
  else throw new FuncError(`can't slice item of type ${goTypeName(item)}`);
  const idx = [0, len, len];
  idxs.forEach((x, i) => {
    idx[i] = indexArg(x, len);
  });
  const [lo = 0, hi = len] = idx;
  if (lo > hi) throw new FuncError(`invalid slice index: ${lo} > ${hi}`);
  if (idxs.length === 3 && hi > (idx[2] ?? len)) throw new FuncError(`invalid slice index: ${hi} > ${idx[2]}`);
  if (typeof item === 'string') return Buffer.from(item, 'utf8').subarray(lo, hi).toString('utf8');
  return (item as readonly unknown[]).slice(lo, hi);
}

type Kind = 'bool' | 'int' | 'float' | 'string' | 'other' | 'invalid';

function basicKind(v: GoValue): Kind {
  if (v === undefined || v === null) return 'invalid';
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    case 'number': return 'float';
    case 'string': return 'string';
    default: return 'other';
  }
}

function eq(args: GoValue[]): boolean {
  const [a, ...rest] = args;
  if (rest.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of rest) {
    const k2 = basicKind(b);
    if (k1 !== k2) {
      if (k1 !== 'invalid' && k2 !== 'invalid') throw new FuncError('incompatible types for comparison');
      continue;
    }
    if (k1 === 'other') throw new FuncError(`non-comparable type ${sprint([b])}: ${goTypeName(b)}`);
    if (k1 === 'invalid' || a === b) return true;
  }
  return false;
}

function lt(args: GoValue[]): boolean {
  const [a, b] = args;
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'bool' || k1 === 'other' || k1 === 'invalid' || k2 === 'bool' || k2 === 'other' || k2 === 'invalid') {
    throw new FuncError('invalid type for comparison');
  }
  if (k1 !== k2) throw new FuncError('incompatible types for comparison');
  return (a as string | number | bigint) < (b as string | number | bigint);
}

const any1: TemplateFunc['params'] = ['any'];
const any2: TemplateFunc['params'] = ['any', 'any'];

/** Go's builtins, by name. */
export const BUILTINS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ['and', { params: any1, variadic: 'any', call: (a) => a.find((v) => !isTrue(v)) ?? a[a.length - 1] }],
  ['or', { params: any1, variadic: 'any', call: (a) => a.find((v) => isTrue(v)) ?? a[a.length - 1] }],
  ['not', { params: any1, call: (a) => !isTrue(a[0]) }],
  ['len', {
    params: any1,
    call: (a) => {
      const v = a[0];
      if (v === undefined) throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
      if (v === null) throw new FuncError('len of nil pointer');
      if (typeof v === 'string' || Array.isArray(v) || isMap(v)) return BigInt(goLen(v as string));
      throw new FuncError(`len of type ${goTypeName(v)}`);
    },
  }],
  ['index', { params: any1, variadic: 'any', call: index }],
  ['slice', { params: any1, variadic: 'any', call: slice }],
  ['print', { params: [], variadic: 'any', call: (a) => sprint(a.map(nilOf)) }],
  ['println', { params: [], variadic: 'any', call: (a) => sprintln(a.map(nilOf)) }],
  ['printf', { params: ['string'], variadic: 'any', call: (a) => sprintf(String(a[0]), a.slice(1).map(nilOf)) }],
  ['html', { params: [], variadic: 'any', call: (a) => htmlEscape(evalArgs(a)) }],
  ['js', { params: [], variadic: 'any', call: (a) => jsEscape(evalArgs(a)) }],
  ['urlquery', { params: [], variadic: 'any', call: (a) => queryEscape(evalArgs(a)) }],
  ['eq', { params: any1, variadic: 'any', call: eq }],
  ['ne', { params: any2, call: (a) => !eq(a) }],
  ['lt', { params: any2, call: lt }],
  ['le', { params: any2, call: (a) => lt(a) || eq(a) }],
  ['gt', { params: any2, call: (a) => !lt(a) && !eq(a) }],
  ['ge', { params: any2, call: (a) => !lt(a) }],
]);

/** A missing value passed to an `interface{}` parameter arrives as nil. */
function nilOf(v: GoValue): GoValue {
  return v === undefined ? null : v;
}
