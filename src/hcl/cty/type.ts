/**
 * cty types: primitives, collections (list, set, map), structural types (object, tuple)
 * and the dynamic pseudo-type. Types are immutable plain objects discriminated by `kind`;
 * compare them with {@link typeEquals}, never with `===` (except the four singletons).
 */
import { compareStrings, normalizeString } from './strings.js';

export type PrimitiveType = StringType | NumberType | BoolType;
export interface StringType {
  readonly kind: 'string';
}
export interface NumberType {
  readonly kind: 'number';
}
export interface BoolType {
  readonly kind: 'bool';
}
/** cty.DynamicPseudoType: "any type" in a constraint, "not known yet" on a value. */
export interface DynamicType {
  readonly kind: 'dynamic';
}
export interface ListType {
  readonly kind: 'list';
  readonly element: Type;
}
export interface SetType {
  readonly kind: 'set';
  readonly element: Type;
}
export interface MapType {
  readonly kind: 'map';
  readonly element: Type;
}
export interface ObjectType {
  readonly kind: 'object';
  /** Attribute types, keys NFC-normalised and in lexical (code point) order. */
  readonly attributes: ReadonlyMap<string, Type>;
  /** Optional attributes (meaningful in type constraints only); empty for ordinary objects. */
  readonly optional: ReadonlySet<string>;
}
export interface TupleType {
  readonly kind: 'tuple';
  readonly elements: readonly Type[];
}
export type CollectionType = ListType | SetType | MapType;
export type Type = PrimitiveType | DynamicType | CollectionType | ObjectType | TupleType;

export const stringType: StringType = Object.freeze({ kind: 'string' });
export const numberType: NumberType = Object.freeze({ kind: 'number' });
export const boolType: BoolType = Object.freeze({ kind: 'bool' });
export const dynamicType: DynamicType = Object.freeze({ kind: 'dynamic' });

const NO_OPTIONALS: ReadonlySet<string> = new Set();

export function listOf(element: Type): ListType {
  return { kind: 'list', element };
}
export function setOf(element: Type): SetType {
  return { kind: 'set', element };
}
export function mapOf(element: Type): MapType {
  return { kind: 'map', element };
}
export function tupleOf(elements: readonly Type[]): TupleType {
  return { kind: 'tuple', elements };
}

/**
 * An object type. `optional` names attributes that may be absent when converting to
 * this type (cty.ObjectWithOptionalAttrs); each must be one of `attributes`.
 */
export function objectOf(
  attributes: Readonly<Record<string, Type>> | ReadonlyMap<string, Type>,
  optional?: Iterable<string>,
): ObjectType {
  const entries = attributes instanceof Map ? [...(attributes as ReadonlyMap<string, Type>)] : Object.entries(attributes);
  const normalised = entries.map(([k, t]): [string, Type] => [normalizeString(k), t]);
  normalised.sort((a, b) => compareStrings(a[0], b[0]));
  const attrs = new Map(normalised);
  let opt = NO_OPTIONALS;
  if (optional !== undefined) {
    const set = new Set<string>();
    for (const raw of optional) {
      const k = normalizeString(raw);
      if (!attrs.has(k)) throw new Error(`optional contains undeclared attribute "${k}"`);
      set.add(k);
    }
    if (set.size > 0) opt = set;
  }
  return { kind: 'object', attributes: attrs, optional: opt };
}

/**
 * @internal An object type over attribute types whose keys are already NFC-normalised
 * and in lexical order (what `objectVal` has just built); the map is kept, not copied.
 */
export function objectOfSorted(attributes: ReadonlyMap<string, Type>): ObjectType {
  return { kind: 'object', attributes, optional: NO_OPTIONALS };
}

export const emptyObjectType: ObjectType = objectOf({});
export const emptyTupleType: TupleType = tupleOf([]);

export function isPrimitiveType(t: Type): t is PrimitiveType {
  return t.kind === 'string' || t.kind === 'number' || t.kind === 'bool';
}
export function isCollectionType(t: Type): t is CollectionType {
  return t.kind === 'list' || t.kind === 'set' || t.kind === 'map';
}

/** Structural type equality, as cty's Type.Equals (optional markers count for objects). */
export function typeEquals(a: Type, b: Type): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case 'string':
    case 'number':
    case 'bool':
    case 'dynamic':
      return a.kind === b.kind;
    case 'list':
    case 'set':
    case 'map':
      return b.kind === a.kind && typeEquals(a.element, (b as CollectionType).element);
    case 'tuple': {
      if (b.kind !== 'tuple' || b.elements.length !== a.elements.length) return false;
      for (let i = 0; i < a.elements.length; i++) if (!typeEquals(a.elements[i]!, b.elements[i]!)) return false;
      return true;
    }
    case 'object': {
      if (b.kind !== 'object' || b.attributes.size !== a.attributes.size) return false;
      for (const [k, t] of a.attributes) {
        const o = b.attributes.get(k);
        if (o === undefined || !typeEquals(t, o)) return false;
        if (a.optional.has(k) !== b.optional.has(k)) return false;
      }
      return true;
    }
  }
}

/** cty's `FriendlyName()`: "string", "list of number", "map of dynamic", "object", "tuple". */
export function friendlyName(t: Type): string {
  return friendly(t, false);
}

/** cty's `FriendlyNameForConstraint()`: "any type", "list of any single type", ... */
export function friendlyNameForConstraint(t: Type): string {
  return friendly(t, true);
}

function friendly(t: Type, constraint: boolean): string {
  switch (t.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return t.kind;
    case 'dynamic':
      return constraint ? 'any type' : 'dynamic';
    case 'list':
    case 'set':
    case 'map': {
      const el = constraint && t.element.kind === 'dynamic' ? 'any single type' : friendly(t.element, constraint);
      return `${t.kind} of ${el}`;
    }
    case 'object':
      return 'object';
    case 'tuple':
      return 'tuple';
  }
}

/** A Go-syntax-like debug form: `cty.List(cty.String)`, `cty.Object(map[string]cty.Type{"a":cty.Number})`. */
export function typeGoString(t: Type): string {
  switch (t.kind) {
    case 'string':
      return 'cty.String';
    case 'number':
      return 'cty.Number';
    case 'bool':
      return 'cty.Bool';
    case 'dynamic':
      return 'cty.DynamicPseudoType';
    case 'list':
      return `cty.List(${typeGoString(t.element)})`;
    case 'set':
      return `cty.Set(${typeGoString(t.element)})`;
    case 'map':
      return `cty.Map(${typeGoString(t.element)})`;
    case 'tuple':
      return t.elements.length === 0 ? 'cty.EmptyTuple' : `cty.Tuple([]cty.Type{${t.elements.map(typeGoString).join(', ')}})`;
    case 'object': {
      if (t.attributes.size === 0) return 'cty.EmptyObject';
      const attrs = [...t.attributes].map(([k, v]) => `${JSON.stringify(k)}:${typeGoString(v)}`).join(', ');
      const m = `map[string]cty.Type{${attrs}}`;
      if (t.optional.size === 0) return `cty.Object(${m})`;
      const opt = [...t.optional].sort(compareStrings).map((k) => JSON.stringify(k)).join(', ');
      return `cty.ObjectWithOptionalAttrs(${m}, []string{${opt}})`;
    }
  }
}

/** True when `t` is or contains the dynamic pseudo-type. */
export function hasDynamicTypes(t: Type): boolean {
  switch (t.kind) {
    case 'dynamic':
      return true;
    case 'string':
    case 'number':
    case 'bool':
      return false;
    case 'list':
    case 'set':
    case 'map':
      return hasDynamicTypes(t.element);
    case 'tuple':
      return t.elements.some(hasDynamicTypes);
    case 'object':
      for (const a of t.attributes.values()) if (hasDynamicTypes(a)) return true;
      return false;
  }
}

/** The same type with every object's optional-attribute markers dropped. */
export function withoutOptionalAttributesDeep(t: Type): Type {
  switch (t.kind) {
    case 'dynamic':
    case 'string':
    case 'number':
    case 'bool':
      return t;
    case 'list':
    case 'set':
    case 'map': {
      const el = withoutOptionalAttributesDeep(t.element);
      return el === t.element ? t : { kind: t.kind, element: el };
    }
    case 'tuple': {
      const els = t.elements.map(withoutOptionalAttributesDeep);
      return els.every((e, i) => e === t.elements[i]) ? t : tupleOf(els);
    }
    case 'object': {
      let changed = t.optional.size > 0;
      const attrs = new Map<string, Type>();
      for (const [k, a] of t.attributes) {
        const n = withoutOptionalAttributesDeep(a);
        if (n !== a) changed = true;
        attrs.set(k, n);
      }
      return changed ? { kind: 'object', attributes: attrs, optional: NO_OPTIONALS } : t;
    }
  }
}
