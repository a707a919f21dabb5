/**
 * The last step of decoding a native component's config: the cty value the block
 * decoded to (through the schema's lowered hcldec spec, `{{ }}` rendered) turned into
 * the schema's typed config. Defaults and required fields, deprecation warnings,
 * durations, whole numbers, `oneOf` sets and sensitive strings are handled here, with
 * diagnostics at the attribute's range; unknown values (while validating, before data
 * sources run) become Packer's placeholders. Nothing throws.
 */
import * as cty from '../../hcl/cty/index.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag } from '../../hcl/diagnostic.js';
import type { Range } from '../../hcl/pos.js';
import { parseDuration } from '../duration.js';
import type { Field, Infer, ObjectSchema } from './field.js';

export interface TypedConfig<T> {
  readonly config: T;
  readonly diagnostics: Diagnostic[];
  /** Strings that came from sensitive values: register them with the secret filter. */
  readonly secrets: string[];
}

/** Where diagnostics of the typed step point. */
export interface ValueRanges {
  /** The attribute at a path (`name`, `block.name`, `blocks[1].name`), when known. */
  readonly rangeOf: (path: string) => Range | undefined;
  /** The block, for "missing required" errors. */
  readonly range?: Range;
}

/** `value` (an object of the schema's lowered spec type) as the schema's typed config. */
export function typedConfig<S extends ObjectSchema>(schema: S, value: cty.Value, ranges: ValueRanges): TypedConfig<Infer<S>> {
  const ctx: Ctx = { diagnostics: [], secrets: [], rangeOf: ranges.rangeOf };
  const config = typedObject(schema, value, '', ranges.range, ctx) as Infer<S>;
  return { config, diagnostics: ctx.diagnostics, secrets: ctx.secrets };
}

interface Ctx {
  readonly diagnostics: Diagnostic[];
  readonly secrets: string[];
  readonly rangeOf: (path: string) => Range | undefined;
}

function attributesOf(v: cty.Value): ReadonlyMap<string, cty.Value> {
  const [bare] = cty.unmark(v);
  if (!bare.isKnown() || bare.isNull() || (bare.type.kind !== 'object' && bare.type.kind !== 'map')) return new Map();
  return bare.asMap();
}

function typedObject(schema: ObjectSchema, value: cty.Value, prefix: string, range: Range | undefined, ctx: Ctx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const given = attributesOf(value);
  for (const [key, field] of Object.entries(schema)) {
    const v = given.get(key);
    const path = `${prefix}${key}`;
    const present = v !== undefined && !(v.isKnown() && v.isNull()) && !(field.type.kind === 'block' && v.isKnown() && isEmptySequence(v));
    if (!present) {
      if (field.options.defaultValue !== undefined) out[key] = structuredClone(field.options.defaultValue);
      else if (field.options.required) {
        ctx.diagnostics.push(errorDiag('Missing required argument', `The argument "${path}" is required, but no definition was found.`, range));
      }
      continue;
    }
    if (field.options.deprecated) {
      const at = ctx.rangeOf(path);
      ctx.diagnostics.push({ severity: 'warning', summary: `Deprecated configuration key: '${path}'`, detail: field.options.deprecated, ...(at ? { subject: at } : {}) });
    }
    const decoded = typedField(field, v, path, ctx);
    if (decoded !== undefined) out[key] = decoded;
  }
  return out;
}

function isEmptySequence(v: cty.Value): boolean {
  const k = v.type.kind;
  return (k === 'tuple' || k === 'list' || k === 'set') && v.asArray().length === 0;
}

function typedField(field: Field<unknown, boolean>, v: cty.Value, path: string, ctx: Ctx): unknown {
  const t = field.type;
  if (t.kind === 'block') {
    // A block list from an unknown `for_each` is Packer's placeholder for it: no blocks.
    if (!v.isKnown()) return t.repeated ? [] : undefined;
    if (!t.repeated) return typedObject(t.fields, v, `${path}.`, ctx.rangeOf(path), ctx);
    return v.asArray().map((item, i) => typedObject(t.fields, item, `${path}.`, ctx.rangeOf(`${path}[${i}]`), ctx));
  }
  const [bare, marks] = cty.unmarkDeep(v);
  const problem = (detail: string) => ctx.diagnostics.push(errorDiag(`Invalid value for ${path}`, detail, ctx.rangeOf(path)));
  return toPlain(field, bare, path, problem, marks.has('sensitive') ? ctx.secrets : undefined);
}

/**
 * A converted cty value as plain data. Unknown values (while validating, before data
 * sources run) become Packer's placeholders: "<unknown>", 0, false, empty list.
 */
function toPlain(field: Field<unknown, boolean>, v: cty.Value, name: string, problem: (d: string) => void, secrets?: string[]): unknown {
  const t = field.type;
  if (!v.isKnown()) return placeholder(field);
  if (v.isNull()) return undefined;
  switch (t.kind) {
    case 'string': {
      const s = v.asString();
      secrets?.push(s);
      if (t.oneOf && !t.oneOf.includes(s)) problem(`"${name}" must be one of ${t.oneOf.map((o) => `"${o}"`).join(', ')}; got "${s}".`);
      return s;
    }
    case 'duration': {
      const parsed = parseDuration(v.asString());
      if (parsed.kind === 'error') {
        problem(`Failed parsing ${name}: ${parsed.message}`);
        return undefined;
      }
      return parsed.ms;
    }
    case 'number':
      return cty.toFloat64(v.asNumber());
    case 'int': {
      const n = cty.toSafeInteger(v.asNumber());
      if (n === undefined) problem(`"${name}" must be a whole number.`);
      return n;
    }
    case 'bool':
      return v.asBool();
    case 'list':
      return v.asArray().map((e, i) => toPlain(t.element, e, `${name}[${i}]`, problem, secrets));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, e] of v.asMap()) out[k] = toPlain(t.element, e, `${name}["${k}"]`, problem, secrets);
      return out;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(t.fields)) {
        const e = v.asMap().get(k);
        const plain = e === undefined ? undefined : toPlain(f, e, `${name}.${k}`, problem, secrets);
        if (plain !== undefined) out[k] = plain;
        else if (f.options.defaultValue !== undefined) out[k] = structuredClone(f.options.defaultValue);
      }
      return out;
    }
    case 'any':
      return anyToPlain(v, secrets);
    case 'block':
      return undefined;
  }
}

function placeholder(field: Field<unknown, boolean>): unknown {
  switch (field.type.kind) {
    case 'string':
    case 'any':
      return '<unknown>';
    case 'number':
    case 'int':
    case 'duration':
      return 0;
    case 'bool':
      return false;
    case 'list':
      return [];
    case 'map':
    case 'object':
    case 'block':
      return {};
  }
}

/** Any cty value as JSON-like data: numbers as JS numbers, sets and tuples as arrays. */
export function anyToPlain(v: cty.Value, secrets?: string[]): unknown {
  if (!v.isKnown()) return '<unknown>';
  if (v.isNull()) return null;
  switch (v.type.kind) {
    case 'string': {
      const s = v.asString();
      secrets?.push(s);
      return s;
    }
    case 'number':
      return cty.toFloat64(v.asNumber());
    case 'bool':
      return v.asBool();
    case 'list':
    case 'set':
    case 'tuple':
      return v.asArray().map((e) => anyToPlain(e, secrets));
    case 'map':
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, e] of v.asMap()) out[k] = anyToPlain(e, secrets);
      return out;
    }
    case 'dynamic':
      return null;
  }
}
