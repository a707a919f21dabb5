/**
 * cty values on Packer's wire: configs go to plugins as cty JSON
 * (`{"value":…,"type":…}`, sent as msgpack bin) with unknowns replaced by Packer's
 * placeholders first (hcl2shim.WriteUnknownPlaceholderValues); data-source results come
 * back as cty msgpack with the dynamic pseudo-type (`[bin(type JSON), value]`).
 */
import * as cty from '../../hcl/cty/index.js';
import { CallError } from '../../hcl/functions/function.js';
import { marshalJson } from '../../hcl/functions/json.js';
import { decode } from '@msgpack/msgpack';
import { UNKNOWN_EXT, unpackOptions } from './net-rpc.js';

/** Replaces unknown values as Packer does before sending a config: `<unknown>`, 0, false, empty. */
export function withUnknownPlaceholders(v: cty.Value): cty.Value {
  if (!v.isKnown()) {
    switch (v.type.kind) {
      case 'string':
        return cty.stringVal('<unknown>');
      case 'number':
        return cty.numberIntVal(0);
      case 'bool':
        return cty.falseVal;
      case 'list':
        return cty.listValEmpty(v.type.element);
      case 'map':
        return cty.mapValEmpty(v.type.element);
      case 'set':
        return cty.setValEmpty(v.type.element);
      default:
        return cty.nullVal(v.type);
    }
  }
  if (v.isNull()) return v;
  const [marksFree] = cty.unmarkDeep(v);
  switch (marksFree.type.kind) {
    case 'set':
      return cty.setVal(marksFree.asArray().map(withUnknownPlaceholders));
    case 'list':
    case 'tuple':
      return cty.rawValue(marksFree.type, marksFree.asArray().map(withUnknownPlaceholders));
    case 'map':
    case 'object': {
      const m = new Map<string, cty.Value>();
      for (const [k, e] of marksFree.asMap()) m.set(k, withUnknownPlaceholders(e));
      return cty.rawValue(marksFree.type, m);
    }
    default:
      return marksFree;
  }
}

/** `ctyjson.Marshal(v, cty.DynamicPseudoType)` of a config value, as the bytes Packer sends. */
export function ctyJsonBytes(v: cty.Value): Uint8Array {
  const known = withUnknownPlaceholders(v);
  const value = marshalJson(known);
  if (value instanceof CallError) throw new Error(`internal: cannot encode a config for a plugin: ${value.message}`);
  return Buffer.from(`{"value":${value},"type":${JSON.stringify(cty.typeToJSON(known.type))}}`, 'utf8');
}

function numberFrom(raw: unknown): cty.Value {
  if (typeof raw === 'number') return Number.isInteger(raw) ? cty.numberIntVal(raw) : cty.numberFloatVal(raw);
  if (typeof raw === 'bigint') return cty.numberIntVal(raw);
  if (typeof raw === 'string') {
    const n = cty.parseNumberVal(raw);
    if (n) return n;
  }
  throw new Error(`cty msgpack: bad number ${String(raw)}`);
}

function entriesOf(raw: unknown): [string, unknown][] {
  if (raw instanceof Map) return [...raw].map(([k, v]) => [String(k), v]);
  if (typeof raw === 'object' && raw !== null) return Object.entries(raw);
  throw new Error('cty msgpack: expected a map');
}

/** A cty value of type `t` from its decoded msgpack form. */
export function ctyFromMsgpackValue(raw: unknown, t: cty.Type): cty.Value {
  if (raw === UNKNOWN_EXT) return cty.unknownVal(t);
  if (raw === null || raw === undefined) return cty.nullVal(t);
  switch (t.kind) {
    case 'string':
      return cty.stringVal(String(raw));
    case 'number':
      return numberFrom(raw);
    case 'bool':
      return cty.boolVal(raw === true);
    case 'dynamic': {
      const [typeBytes, inner] = raw as [Uint8Array, unknown];
      const ty = cty.unmarshalType(Buffer.from(typeBytes).toString('utf8'));
      if (ty instanceof Error) throw ty;
      return ctyFromMsgpackValue(inner, ty);
    }
    case 'list':
    case 'set': {
      const items = (raw as unknown[]).map((e) => ctyFromMsgpackValue(e, t.element));
      if (items.length === 0) return t.kind === 'list' ? cty.listValEmpty(t.element) : cty.setValEmpty(t.element);
      return t.kind === 'list' ? cty.listVal(items) : cty.setVal(items);
    }
    case 'tuple':
      return cty.tupleVal((raw as unknown[]).map((e, i) => ctyFromMsgpackValue(e, t.elements[i] ?? cty.dynamicType)));
    case 'map': {
      const m = new Map<string, cty.Value>();
      for (const [k, e] of entriesOf(raw)) m.set(k, ctyFromMsgpackValue(e, t.element));
      return m.size === 0 ? cty.mapValEmpty(t.element) : cty.mapVal(m);
    }
    case 'object': {
      const m = new Map<string, cty.Value>();
      const given = new Map(entriesOf(raw));
      for (const [k, at] of t.attributes) m.set(k, ctyFromMsgpackValue(given.get(k) ?? null, at));
      return cty.objectVal(m);
    }
  }
}

/** Decodes `Datasource.Execute`'s Value bytes (cty msgpack with DynamicPseudoType). */
export function ctyFromDynamicMsgpack(bytes: Uint8Array): cty.Value {
  return ctyFromMsgpackValue(decode(bytes, unpackOptions), cty.dynamicType);
}
