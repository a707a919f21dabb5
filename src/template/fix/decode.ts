/**
 * The slice of mapstructure's decoding that Packer's fixers use on a template decoded
 * as generic JSON: a root key looked up by field name (exact, else case-insensitive),
 * decoded as a list of maps or a list of anything, strictly (`Decode`) or weakly
 * (`WeakDecode`: a single value is lifted into a one-element list, an empty object is
 * an empty list). Maps are copied one level deep, as mapstructure copies them; errors
 * carry mapstructure's texts.
 */
import type { JsonValue } from '../json/go-json.js';
import { goKind } from '../json/json-template.js';

export type JsonObject = { [key: string]: JsonValue };

/** A fixer's error: printed by the command as `Error fixing: <message>`. */
export class FixError extends Error {}

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The key mapstructure reads for a struct field: the exact name, else the first that matches ignoring case. */
export function fieldKey(input: JsonObject, field: string): string | undefined {
  if (Object.hasOwn(input, field)) return field;
  const lower = field.toLowerCase();
  return Object.keys(input).find((k) => k.toLowerCase() === lower);
}

function decodeErrors(errs: readonly string[]): FixError {
  return new FixError(`${errs.length} error(s) decoding:\n\n${[...errs].sort().map((e) => `* ${e}`).join('\n')}`);
}

/** The list a field holds, lifted as WeakDecode lifts single values; throws on a non-list in strict mode. */
function listOf(v: JsonValue, name: string, weak: boolean): JsonValue[] {
  if (Array.isArray(v)) return [...v];
  if (!weak) throw decodeErrors([`'${name}': source data must be an array or slice, got ${goKind(v)}`]);
  if (isObject(v) && Object.keys(v).length === 0) return [];
  return [v];
}

/** A field decoded as `[]interface{}`; undefined when the key is absent or null (a nil slice). */
export function decodeList(input: JsonObject, field: string, weak: boolean): JsonValue[] | undefined {
  const key = fieldKey(input, field);
  const v = key === undefined ? undefined : input[key];
  if (v === undefined || v === null) return undefined;
  return listOf(v, field, weak);
}

/** One value decoded as `map[string]interface{}`: a shallow copy, null for null, an error text otherwise. */
export function decodeMap(v: JsonValue, name: string, weak: boolean): { ok: JsonObject | null } | { error: string } {
  if (v === null) return { ok: null };
  if (isObject(v)) return { ok: { ...v } };
  if (weak && Array.isArray(v)) {
    const merged: JsonObject = {};
    for (let i = 0; i < v.length; i++) {
      const e = v[i] ?? null;
      if (!isObject(e)) return { error: `'${name}[${i}]' expected a map, got '${goKind(e)}'` };
      Object.assign(merged, e);
    }
    return { ok: merged };
  }
  return { error: `'${name}' expected a map, got '${goKind(v)}'` };
}

/** A field decoded as `[]map[string]interface{}`: copies of each map (null stays null). */
export function decodeMapList(input: JsonObject, field: string, weak = false): (JsonObject | null)[] | undefined {
  const list = decodeList(input, field, weak);
  if (list === undefined) return undefined;
  const errs: string[] = [];
  const out = list.map((e, i) => {
    const r = decodeMap(e, `${field}[${i}]`, weak);
    if ('error' in r) {
      errs.push(r.error);
      return null;
    }
    return r.ok;
  });
  if (errs.length > 0) throw decodeErrors(errs);
  return out;
}

/**
 * The post-processor definitions of a `post-processors` list (fix/helpers.go): objects
 * at the top level and inside chains; names given as plain strings are skipped.
 */
export function postProcessorMaps(list: readonly JsonValue[]): JsonObject[] {
  const out: JsonObject[] = [];
  for (const raw of list) {
    if (isObject(raw)) out.push(raw);
    else if (Array.isArray(raw)) for (const inner of raw) if (isObject(inner)) out.push(inner);
  }
  return out;
}
