/** Legacy JSON templates give components plain JSON objects; the decode path reads them as cty values. */
import * as cty from '../../hcl/cty/index.js';

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
