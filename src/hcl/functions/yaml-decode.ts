/**
 * `yamldecode` as go-cty-yaml does it: one document; mappings become objects (keys
 * converted to strings, later keys win, `<<` merge keys), sequences tuples, scalars
 * resolved by go-yaml v2's YAML 1.1-flavoured rules (`yes`/`on`/`~`, `0x1f`, `0o17`,
 * `.inf`, timestamps normalised to RFC 3339), quoted scalars always strings.
 *
 * Parsing is eemeli/yaml's, with its failsafe schema so that every scalar arrives as its
 * text, style and explicit tag, and the resolution below is ours. Its error messages
 * are not libyaml's; positions are given as go-cty-yaml gives them (libyaml's zero-based
 * line, one-based column, nothing on the first line).
 *
 * Hostile input is bounded (yaml-limits.ts): nesting deeper than {@link MAX_YAML_DEPTH}
 * and aliases that expand the tree far beyond what is written are errors.
 */
import { createRequire } from 'node:module';
import type * as YamlLib from 'yaml';
import type { Node as YamlNode, Scalar } from 'yaml';
import { convertValue } from '../cty/convert/convert.js';
import { PathError } from '../cty/conform.js';
import { dynamicType, friendlyName, stringType } from '../cty/type.js';
import type { Value } from '../cty/value.js';
import { falseVal, negativeInfinity, nullVal, numberIntVal, objectVal, parseNumberVal, positiveInfinity, stringVal, trueVal, tupleVal } from '../cty/value.js';
import { CallError } from './function.js';
import { AliasBudget, cstDepth, EXCESSIVE_ALIASING, MAX_YAML_DEPTH, TOO_DEEP } from './yaml-limits.js';

const TAG = 'tag:yaml.org,2002:';
const RESOLVABLE = new Set(['', 'str', 'bool', 'int', 'float', 'null', 'timestamp', 'binary'].map((t) => (t === '' ? '' : TAG + t)));

const WORDS = new Map<string, Value>();
for (const [v, words] of [
  [trueVal, 'y Y yes Yes YES true True TRUE on On ON'],
  [falseVal, 'n N no No NO false False FALSE off Off OFF'],
  [positiveInfinity, '.inf .Inf .INF +.inf +.Inf +.INF'],
  [negativeInfinity, '-.inf -.Inf -.INF'],
] as const) {
  for (const w of words.split(' ')) WORDS.set(w, v);
}
const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL']);
const INT_RE = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

class YamlError extends Error {}

let yamlLib: typeof YamlLib | undefined;

/**
 * eemeli/yaml, loaded on the first `yamldecode` call: it is ~70 CommonJS files that
 * every command loading the function table would otherwise read at start-up. Node
 * resolves `yaml` to the same CommonJS build for `require` as for `import`.
 */
function yaml(): typeof YamlLib {
  yamlLib ??= createRequire(import.meta.url)('yaml') as typeof YamlLib;
  return yamlLib;
}

/** Decodes one YAML document into a cty value, or go-cty-yaml's error. */
export function decodeYaml(src: string): Value | CallError {
  const { Composer, isAlias, isMap, isScalar, isSeq, LineCounter, Parser } = yaml();
  const lines = new LineCounter();
  // parseAllDocuments, split so that the depth is checked before the recursive composer runs.
  const tokens = Array.from(new Parser(lines.addNewLine).parse(src));
  if (cstDepth(tokens) > MAX_YAML_DEPTH) return new CallError(TOO_DEEP);
  const composer = new Composer({ schema: 'failsafe', resolveKnownTags: false, uniqueKeys: false, merge: false });
  const docs = Array.from(composer.compose(tokens));
  const at = (offset: number | undefined, msg: string): YamlError => {
    if (offset === undefined) return new YamlError(msg);
    const { line, col } = lines.linePos(offset);
    return new YamlError(line - 1 === 0 ? msg : `on line ${line - 1}, column ${col}: ${msg}`);
  };
  const list = docs;
  const doc = list[0];
  if (doc === undefined) return new CallError('missing start of document');
  for (const d of list) {
    const e = d.errors[0];
    if (e !== undefined) return new CallError(at(e.pos[0], e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')).message);
  }
  if (list.length > 1) return new CallError(at(list[1]!.range[0], 'unexpected extra content after value').message);
  const anchors = new Map<string, Value>();
  const pending = new Set<string>();
  const budget = new AliasBudget();

  const withAnchor = (node: YamlNode, make: () => Value): Value => {
    budget.node();
    const a = node.anchor;
    if (a === undefined) return make();
    pending.add(a);
    const start = budget.startAnchor();
    const v = make();
    budget.endAnchor(a, start);
    pending.delete(a);
    anchors.set(a, v);
    return v;
  };

  const value = (node: unknown): Value => {
    if (node === null || node === undefined) return nullVal(dynamicType);
    if (isAlias(node)) {
      if (pending.has(node.source)) throw at(node.range?.[0], `cannot refer to anchor ${JSON.stringify(node.source)} from inside its own definition`);
      const v = anchors.get(node.source);
      if (v === undefined) throw at(node.range?.[0], `reference to undefined anchor ${JSON.stringify(node.source)}`);
      budget.alias(node.source);
      return v;
    }
    if (isScalar(node)) {
      return withAnchor(node, () => {
        const r = resolveScalar(node, blockAtEof(node, src));
        if (typeof r === 'string') throw at(node.range?.[0], r);
        return r;
      });
    }
    if (isSeq(node)) {
      if (node.tag !== undefined && node.tag !== `${TAG}seq`) throw at(node.range?.[0], `can't interpret sequence as ${node.tag}`);
      return withAnchor(node, () => tupleVal(node.items.map(value)));
    }
    if (isMap(node)) {
      if (node.tag !== undefined && node.tag !== `${TAG}map`) throw at(node.range?.[0], `can't interpret mapping as ${node.tag}`);
      return withAnchor(node, () => mapping(node.items));
    }
    throw new YamlError('unexpected YAML node');
  };

  const mapping = (pairs: ReadonlyArray<{ key: unknown; value: unknown }>): Value => {
    const attrs = new Map<string, Value>();
    for (const pair of pairs) {
      const k = pair.key;
      if (isScalar(k) && ((k.tag === undefined && k.type === 'PLAIN' && k.source === '<<') || k.tag === `${TAG}merge`)) {
        mergeInto(attrs, value(pair.value), k.range?.[0]);
        continue;
      }
      if (!isScalar(k)) throw at((k as YamlNode | null)?.range?.[0], 'only strings are allowed as mapping keys');
      const kv = resolveScalar(k);
      if (typeof kv === 'string') throw new YamlError(kv);
      if (kv.isNull()) throw at(k.range?.[0], 'mapping key cannot be null');
      const ks = convertValue(kv, stringType);
      if (ks instanceof PathError) throw at(k.range?.[0], 'only strings are allowed as mapping keys');
      attrs.set(ks.asString(), value(pair.value));
    }
    return objectVal(attrs);
  };

  const mergeInto = (attrs: Map<string, Value>, v: Value, offset: number | undefined): void => {
    const t = v.type.kind;
    if (t === 'object' || t === 'map') {
      for (const [k, e] of v.asMap()) attrs.set(k, e);
    } else if (t === 'tuple' || t === 'list') {
      for (const m of v.asArray()) {
        if (m.type.kind !== 'object' && m.type.kind !== 'map') throw at(offset, `cannot merge ${friendlyName(m.type)} (from sequence) into mapping`);
        for (const [k, e] of m.asMap()) attrs.set(k, e);
      }
    } else {
      throw at(offset, `cannot merge ${friendlyName(v.type)} into mapping`);
    }
  };

  try {
    const v = value(doc.contents);
    if (budget.exceeded()) return new CallError(EXCESSIVE_ALIASING);
    return v;
  } catch (e) {
    if (e instanceof YamlError) return new CallError(e.message);
    throw e;
  }
}

/** A block scalar whose text runs to the end of an input that has no final line break. */
function blockAtEof(node: Scalar, src: string): boolean {
  return (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && node.range?.[1] === src.length && !/[\n\r]$/.test(src);
}

/** go-cty-yaml's resolveScalar: the value, or an error message. */
function resolveScalar(node: Scalar, atEof = false): Value | string {
  const tag = node.tag ?? '';
  // libyaml keeps no final line break for a block scalar that ends the input without one.
  const text = String(node.value);
  const src = atEof && text.endsWith('\n') ? text.slice(0, -1) : text;
  if (!RESOLVABLE.has(tag)) return `unsupported tag ${JSON.stringify(tag)}`;
  const first = src[0];
  const hint = first === undefined ? 'N' : /[+-]/.test(first) ? 'S' : /[0-9]/.test(first) ? 'D' : /[yYnNtTfFoO~]/.test(first) ? 'M' : first === '.' ? '.' : '';
  let resolvedTag = tag;
  if (hint !== '' && tag !== `${TAG}str` && tag !== `${TAG}binary`) {
    if (node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') return stringVal(src);
    const word = WORDS.get(src);
    if (word !== undefined) return word;
    if (NULL_WORDS.has(src)) return nullVal(dynamicType);
    if (tag === '' && ['.nan', '.NaN', '.NAN'].includes(src)) return 'floating point NaN is not supported';
    if (hint === '.') {
      const n = parseNumberVal(src);
      if (n !== undefined && FLOAT_RE.test(src)) return n;
    } else if (hint === 'D' || hint === 'S') {
      if (tag === '' || tag === `${TAG}timestamp`) {
        const t = parseTimestamp(src);
        if (t !== undefined) return stringVal(t);
      }
      if (INT_RE.test(src)) resolvedTag = `${TAG}int`;
      else if (FLOAT_RE.test(src)) resolvedTag = `${TAG}float`;
    }
  }
  switch (resolvedTag) {
    case `${TAG}binary`:
      if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(src.replace(/[\r\n]/g, ''))) return `cannot parse ${JSON.stringify(src)} as ${resolvedTag}: not valid base64`;
      return stringVal(src);
    case `${TAG}str`:
    case '':
      return stringVal(src);
    case `${TAG}bool`: {
      const w = WORDS.get(src);
      return w !== undefined && w.type.kind === 'bool' ? w : `cannot parse ${JSON.stringify(src)} as ${resolvedTag}`;
    }
    case `${TAG}int`:
    case `${TAG}float`:
      return parseYamlNumber(src.replaceAll('_', '')) ?? `cannot parse ${JSON.stringify(src)} as ${resolvedTag}`;
    case `${TAG}timestamp`: {
      const t = parseTimestamp(src);
      return t === undefined ? `cannot parse ${JSON.stringify(src)} as ${resolvedTag}` : stringVal(t);
    }
    default:
      return nullVal(dynamicType);
  }
}

/** A decimal (cty.ParseNumberVal), else an integer with Go's base prefixes (strconv.ParseInt base 0). */
function parseYamlNumber(s: string): Value | undefined {
  if (/^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(s)) return parseNumberVal(s.replace(/^\+/, ''));
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]+)$/.exec(s);
  if (m === null) return undefined;
  const digits = /^0[0-7]/.test(m[2]!) ? `0o${m[2]!.slice(1)}` : m[2]!;
  const n = BigInt(digits);
  return numberIntVal(m[1] === '-' ? -n : n);
}

/**
 * go-cty-yaml's parseTimestamp (Go layouts `2006-1-2T15:4:5.999999999Z07:00`, the same
 * with `t`, `2006-1-2 15:4:5.999999999`, `2006-1-2`), formatted as RFC 3339 (seconds,
 * the zone as written, `Z` for UTC); undefined when it is not one.
 */
export function parseTimestamp(s: string): string | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?)?$/.exec(s);
  if (m === null) return undefined;
  const [, y, mo, d, sep, h = '0', mi = '0', sec = '0', , zone] = m;
  if (sep !== undefined && (sep === ' ') === (zone !== undefined)) return undefined;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysIn || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return undefined;
  if (zone !== undefined && zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4)) > 59)) return undefined;
  const p2 = (x: string): string => x.padStart(2, '0');
  const z = zone === undefined || zone === 'Z' || /^[+-]00:00$/.test(zone) ? 'Z' : zone;
  return `${y}-${p2(mo!)}-${p2(d!)}T${p2(h)}:${p2(mi)}:${p2(sec)}${z}`;
}
