/**
 * Legacy JSON templates give components plain JSON objects. This turns one into the
 * `ConfigObject` the schema decoder reads, guided by the schema only to tell nested
 * blocks (an object, or an array of objects) from attribute values.
 */
import * as cty from '../../hcl/cty/index.js';
import type { ConfigNode, ConfigObject } from './decode.js';
import type { ObjectSchema } from './field.js';

export function jsonConfigObject(schema: ObjectSchema, raw: Readonly<Record<string, unknown>>): ConfigObject {
  const entries = new Map<string, ConfigNode>();
  for (const [key, value] of Object.entries(raw)) {
    const field = schema[key];
    if (field?.type.kind === 'block') {
      const fields = field.type.fields;
      const items = (Array.isArray(value) ? value : [value]).filter(isRecord).map((item) => jsonConfigObject(fields, item));
      entries.set(key, { kind: 'blocks', items });
    } else {
      entries.set(key, { kind: 'value', value: jsonToCty(value) });
    }
  }
  return { entries };
}

/** A JSON value as cty infers it: arrays become tuples, objects become objects. */
export function jsonToCty(value: unknown): cty.Value {
  if (value === null || value === undefined) return cty.nullVal(cty.dynamicType);
  if (typeof value === 'string') return cty.stringVal(value);
  if (typeof value === 'boolean') return cty.boolVal(value);
  if (typeof value === 'number') return Number.isInteger(value) ? cty.numberIntVal(value) : cty.numberFloatVal(value);
  if (Array.isArray(value)) return cty.tupleVal(value.map(jsonToCty));
  if (isRecord(value)) return cty.objectVal(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonToCty(v)])));
  return cty.stringVal(String(value));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
