/**
 * How Go values are modelled while a template executes.
 *
 * - `undefined` is Go's invalid `reflect.Value` (a missing map key): prints `<no value>`.
 * - `null` is a nil interface (`nil`, or a JSON `null` in the data).
 * - `bigint` is Go's `int`; `number` is `float64`. Integral JS numbers in caller data are
 *   read as `int` (Packer's own data maps hold ints), non-integral ones as `float64`.
 * - arrays are `[]interface{}`; plain objects are `map[string]interface{}`.
 */
export type GoValue =
  | undefined
  | null
  | string
  | boolean
  | bigint
  | number
  | readonly unknown[]
  | GoMap;

/** A `map[string]interface{}`: any non-array object in the data. */
export interface GoMap {
  readonly [key: string]: unknown;
}

/** Reads a caller-supplied value as a Go value (see the module comment). */
export function fromData(x: unknown): GoValue {
  switch (typeof x) {
    case 'undefined':
    case 'string':
    case 'boolean':
    case 'bigint':
      return x;
    case 'number':
      return Number.isInteger(x) && Number.isSafeInteger(x) ? BigInt(x) : x;
    case 'object':
      if (x === null) return null;
      if (Array.isArray(x)) return x as readonly unknown[];
      if (x instanceof Map) return Object.fromEntries(x) as GoMap;
      return x as GoMap;
    default:
      return String(x);
  }
}

export function isMap(v: GoValue): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isSlice(v: GoValue): v is readonly unknown[] {
  return Array.isArray(v);
}

/** Go's type name of a value, as used in error messages. */
export function goTypeName(v: GoValue): string {
  if (v === undefined) return '<invalid reflect.Value>';
  if (v === null) return 'interface {}';
  switch (typeof v) {
    case 'string': return 'string';
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    case 'number': return 'float64';
    default: return Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
  }
}

/** Go's `template.IsTrue`: the value is not the zero of its type. */
export function isTrue(v: GoValue): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'string': return v.length > 0;
    case 'boolean': return v;
    case 'bigint': return v !== 0n;
    case 'number': return v !== 0;
    default: return Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0;
  }
}

/** Length in Go terms: strings count UTF-8 bytes. */
export function goLen(v: string | readonly unknown[] | GoMap): number {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (Array.isArray(v)) return v.length;
  return Object.keys(v).length;
}
