/**
 * Decodes a component's configuration against its schema. Both template forms arrive
 * here as a `ConfigObject`: HCL attributes already evaluated to cty values (with their
 * source ranges), legacy JSON values converted to cty values. Problems come back as
 * diagnostics pointing at the attribute; nothing throws.
 */
import * as cty from '../../hcl/cty/index.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag } from '../../hcl/diagnostic.js';
import type { Range } from '../../hcl/pos.js';
import { parseDuration } from '../duration.js';
import { ctyTypeOf } from './cty-type.js';
import type { Field, Infer, ObjectSchema } from './field.js';

/** One attribute value or a list of nested blocks, with where it came from. */
export type ConfigNode =
  | { readonly kind: 'value'; readonly value: cty.Value; readonly range?: Range }
  | { readonly kind: 'blocks'; readonly items: readonly ConfigObject[] };

export interface ConfigObject {
  readonly entries: ReadonlyMap<string, ConfigNode>;
  /** Where the object is (the block's definition), for "missing required" errors. */
  readonly range?: Range;
}

export interface DecodeResult<T> {
  readonly config: T;
  readonly diagnostics: Diagnostic[];
  /** Strings that came from sensitive values: register them with the secret filter. */
  readonly secrets: string[];
}

/** How unknown keys are reported: HCL's wording or legacy JSON's. */
export type Dialect = 'hcl' | 'json';

export function decodeConfig<S extends ObjectSchema>(schema: S, input: ConfigObject, dialect: Dialect = 'hcl'): DecodeResult<Infer<S>> {
  const ctx: Ctx = { diagnostics: [], secrets: [], dialect };
  const config = decodeObject(schema, input, '', ctx) as Infer<S>;
  return { config, diagnostics: ctx.diagnostics, secrets: ctx.secrets };
}

interface Ctx {
  readonly diagnostics: Diagnostic[];
  readonly secrets: string[];
  readonly dialect: Dialect;
}

function decodeObject(schema: ObjectSchema, input: ConfigObject, prefix: string, ctx: Ctx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, node] of input.entries) {
    if (Object.hasOwn(schema, key)) continue;
    const range = node.kind === 'value' ? node.range : node.items[0]?.range;
    ctx.diagnostics.push(
      ctx.dialect === 'json'
        ? errorDiag(`unknown configuration key: '"${prefix}${key}"'`, '', range)
        : errorDiag('Unsupported argument', `An argument named "${key}" is not expected here.`, range),
    );
  }
  for (const [key, field] of Object.entries(schema)) {
    const node = input.entries.get(key);
    const name = `${prefix}${key}`;
    const present = node !== undefined && !(node.kind === 'value' && node.value.isKnown() && node.value.isNull());
    if (!present) {
      if (field.options.defaultValue !== undefined) out[key] = structuredClone(field.options.defaultValue);
      else if (field.options.required) {
        ctx.diagnostics.push(errorDiag('Missing required argument', `The argument "${name}" is required, but no definition was found.`, input.range));
      }
      continue;
    }
    if (field.options.deprecated) {
      const range = node.kind === 'value' ? node.range : node.items[0]?.range;
      ctx.diagnostics.push({ severity: 'warning', summary: `Deprecated configuration key: '${name}'`, detail: field.options.deprecated, ...(range ? { subject: range } : {}) });
    }
    const decoded = decodeNode(field, node, name, ctx);
    if (decoded !== undefined) out[key] = decoded;
  }
  return out;
}

function decodeNode(field: Field<unknown, boolean>, node: ConfigNode, name: string, ctx: Ctx): unknown {
  const t = field.type;
  if (t.kind === 'block') {
    if (node.kind !== 'blocks') {
      ctx.diagnostics.push(errorDiag('Unsupported argument', `An argument named "${name}" is not expected here. Did you mean to define a block of type "${name}"?`, node.range));
      return undefined;
    }
    const items = node.items.map((item) => decodeObject(t.fields, item, `${name}.`, ctx));
    if (t.repeated) return items;
    if (items.length > 1) {
      ctx.diagnostics.push(errorDiag(`Duplicate ${name} block`, `Only one "${name}" block is allowed.`, node.items[1]?.range));
    }
    return items[0];
  }
  if (node.kind === 'blocks') {
    ctx.diagnostics.push(errorDiag('Unsupported block type', `Blocks of type "${name}" are not expected here. Did you mean to define argument "${name}"?`, node.items[0]?.range));
    return undefined;
  }
  const want = ctyTypeOf(field) ?? cty.dynamicType;
  const [bare, marks] = cty.unmarkDeep(node.value);
  const converted = cty.convertValue(bare, want);
  if (!(converted instanceof cty.Value)) {
    ctx.diagnostics.push(errorDiag(`Invalid value for ${name}`, `Inappropriate value for attribute "${name}": ${converted.message}.`, node.range));
    return undefined;
  }
  const sensitive = marks.has('sensitive');
  const problem = (detail: string) => ctx.diagnostics.push(errorDiag(`Invalid value for ${name}`, detail, node.range));
  return toPlain(field, converted, name, problem, sensitive ? ctx.secrets : undefined);
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
