/**
 * cty's JSON notation for types (Type.MarshalJSON / UnmarshalJSON): `"string"`,
 * `["list","string"]`, `["object",{"a":"number"},["a"]]` (optional attributes last),
 * `["tuple",["bool"]]`, `"dynamic"`. Packer and cty use it in plugin schemas and
 * variable type descriptions.
 */
import { compareStrings } from './strings.js';
import type { Type } from './type.js';
import { boolType, dynamicType, listOf, mapOf, numberType, objectOf, setOf, stringType, tupleOf } from './type.js';

/** The JSON-compatible value for `t` (stringify it for cty's exact text). */
export function typeToJSON(t: Type): unknown {
  switch (t.kind) {
    case 'string':
    case 'number':
    case 'bool':
    case 'dynamic':
      return t.kind;
    case 'list':
    case 'set':
    case 'map':
      return [t.kind, typeToJSON(t.element)];
    case 'tuple':
      return ['tuple', t.elements.map(typeToJSON)];
    case 'object': {
      const attrs: Record<string, unknown> = {};
      for (const [k, at] of t.attributes) attrs[k] = typeToJSON(at);
      if (t.optional.size === 0) return ['object', attrs];
      return ['object', attrs, [...t.optional].sort(compareStrings)];
    }
  }
}

/** Decodes a parsed JSON type description; returns an Error (cty's message) when invalid. */
export function typeFromJSON(j: unknown): Type | Error {
  if (typeof j === 'string') {
    switch (j) {
      case 'string':
        return stringType;
      case 'number':
        return numberType;
      case 'bool':
        return boolType;
      case 'dynamic':
        return dynamicType;
      default:
        return new Error(`invalid primitive type name "${j}"`);
    }
  }
  if (!Array.isArray(j)) return new Error('invalid type description');
  const [kind, arg, extra] = j as unknown[];
  if (typeof kind !== 'string') return new Error('invalid complex type kind name');
  const maxLen = kind === 'object' ? 3 : 2;
  if (j.length < 2 || j.length > maxLen) return new Error('unexpected extra data in type description');
  switch (kind) {
    case 'list':
    case 'set':
    case 'map': {
      const et = typeFromJSON(arg);
      if (et instanceof Error) return et;
      return kind === 'list' ? listOf(et) : kind === 'set' ? setOf(et) : mapOf(et);
    }
    case 'tuple': {
      if (!Array.isArray(arg)) return new Error('invalid tuple element types');
      const ets: Type[] = [];
      for (const e of arg) {
        const et = typeFromJSON(e);
        if (et instanceof Error) return et;
        ets.push(et);
      }
      return tupleOf(ets);
    }
    case 'object': {
      if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) return new Error('invalid object attribute types');
      const attrs = new Map<string, Type>();
      for (const [k, v] of Object.entries(arg as Record<string, unknown>)) {
        const at = typeFromJSON(v);
        if (at instanceof Error) return at;
        attrs.set(k, at);
      }
      if (extra === undefined) return objectOf(attrs);
      if (!Array.isArray(extra) || extra.some((x) => typeof x !== 'string')) return new Error('invalid optional attribute names');
      const missing = (extra as string[]).find((k) => !attrs.has(k));
      if (missing !== undefined) return new Error(`optional contains undeclared attribute "${missing}"`);
      return objectOf(attrs, extra as string[]);
    }
    default:
      return new Error('invalid complex type kind name');
  }
}

/** `typeToJSON` as compact JSON text, e.g. `["list","string"]`. */
export function marshalType(t: Type): string {
  return JSON.stringify(typeToJSON(t));
}

/** Parses JSON text into a type; an Error when the text or the description is invalid. */
export function unmarshalType(text: string): Type | Error {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
  return typeFromJSON(j);
}
