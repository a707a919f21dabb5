/**
 * The typed JSON notation of the conformance vectors (../shared/conformance/README.md,
 * "Typed value encoding"): decoding types and values into kiln's cty, and the
 * comparison the vectors' `RawEquals` asks for — numbers by value, sets as sets,
 * marks compared, refinements ignored in comparisons (kiln tracks only string prefixes,
 * which the decoder attaches to unknown strings).
 */
import * as cty from '../../src/hcl/cty/index.js';
import { unknownStringWithPrefix } from '../../src/hcl/cty/refinement.js';

/** A type in cty's JSON notation; `null` (Go's cty.NilType) gives undefined. */
export function decodeType(j: unknown): cty.Type | undefined {
  if (j === null) return undefined;
  const t = cty.typeFromJSON(j);
  if (t instanceof Error) throw new Error(`bad type ${JSON.stringify(j)}: ${t.message}`);
  return t;
}

function requireType(j: unknown): cty.Type {
  const t = decodeType(j);
  if (t === undefined) throw new Error('a value needs a type');
  return t;
}

interface Encoded {
  readonly type: unknown;
  readonly value?: unknown;
  readonly null?: boolean;
  readonly unknown?: boolean;
  readonly marks?: ReadonlyArray<string | number>;
  readonly refinements?: unknown;
}

/** A typed value (`{"type": T, "value"|"null"|"unknown": ..., "marks"?: [...]}`). */
export function decodeValue(j: unknown): cty.Value {
  if (j === null || typeof j !== 'object') throw new Error(`bad typed value ${JSON.stringify(j)}`);
  const e = j as Encoded;
  const t = requireType(e.type);
  let v: cty.Value;
  if (e.unknown === true) v = t.kind === 'string' && stringPrefix(e.refinements) ? unknownStringWithPrefix(stringPrefix(e.refinements)) : cty.unknownVal(t);
  else if (e.null === true) v = cty.nullVal(t);
  else if (!('value' in e)) throw new Error(`typed value without value/null/unknown: ${JSON.stringify(j)}`);
  else v = decodePayload(t, e.value);
  return e.marks !== undefined && e.marks.length > 0 ? cty.withMarks(v, new Set(e.marks)) : v;
}

/** The `string_prefix` refinement, the one kiln tracks (src/hcl/cty/refinement.ts). */
function stringPrefix(refinements: unknown): string {
  const p = (refinements as { string_prefix?: unknown } | undefined)?.string_prefix;
  return typeof p === 'string' ? p : '';
}

function decodePayload(t: cty.Type, raw: unknown): cty.Value {
  switch (t.kind) {
    case 'string':
      if (typeof raw !== 'string') throw new Error('string value expected');
      return cty.stringVal(raw);
    case 'number': {
      const n = typeof raw === 'string' ? cty.parseNumberVal(raw) : undefined;
      if (n === undefined) throw new Error(`bad number ${JSON.stringify(raw)}`);
      return n;
    }
    case 'bool':
      if (typeof raw !== 'boolean') throw new Error('bool value expected');
      return cty.boolVal(raw);
    case 'list':
    case 'tuple':
      return cty.rawValue(t, decodeArray(raw));
    case 'set': {
      const els = decodeArray(raw);
      if (els.length === 0) return cty.setValEmpty(t.element);
      const s = cty.setVal(els);
      return cty.typeEquals(s.type, t) ? s : cty.rawValue(t, s.asArray(), s.marks);
    }
    case 'map':
    case 'object': {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('object payload expected');
      const m = new Map<string, cty.Value>();
      for (const k of Object.keys(raw).sort(cty.compareStrings)) m.set(cty.normalizeString(k), decodeValue((raw as Record<string, unknown>)[k]));
      return cty.rawValue(t, m);
    }
    case 'dynamic':
      throw new Error('a known value cannot have the dynamic type');
  }
}

function decodeArray(raw: unknown): cty.Value[] {
  if (!Array.isArray(raw)) throw new Error('array payload expected');
  return raw.map(decodeValue);
}

/**
 * RawEquals as the vectors mean it: same type, same marks, same known/null state, same
 * value; numbers by numeric value, sets as sets (order-free); refinements ignored.
 */
export function vectorEquals(a: cty.Value, b: cty.Value): boolean {
  if (!cty.typeEquals(a.type, b.type) || !cty.marksEqual(a.marks, b.marks)) return false;
  if (a.isKnown() !== b.isKnown()) return false;
  if (!a.isKnown()) return true;
  if (a.isNull() || b.isNull()) return a.isNull() === b.isNull();
  switch (a.type.kind) {
    case 'set': {
      const x = a.asArray();
      const y = [...b.asArray()];
      if (x.length !== y.length) return false;
      for (const v of x) {
        const i = y.findIndex((w) => vectorEquals(v, w));
        if (i < 0) return false;
        y.splice(i, 1);
      }
      return true;
    }
    case 'list':
    case 'tuple': {
      const x = a.asArray();
      const y = b.asArray();
      return x.length === y.length && x.every((v, i) => vectorEquals(v, y[i]!));
    }
    case 'map':
    case 'object': {
      const x = a.asMap();
      const y = b.asMap();
      if (x.size !== y.size) return false;
      for (const [k, v] of x) {
        const w = y.get(k);
        if (w === undefined || !vectorEquals(v, w)) return false;
      }
      return true;
    }
    default:
      return cty.rawEquals(a, b);
  }
}
