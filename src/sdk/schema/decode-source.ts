/**
 * The first step of decoding a component's config: its source (an HCL block body, or a
 * legacy JSON object) read through the component's hcldec spec into one cty value of
 * the spec's implied type, with diagnostics. The same functions take a native schema's
 * lowered spec (`schemaSpec`) and a spec that arrived at run time (`RuntimeSpec`).
 */
import * as cty from '../../hcl/cty/index.js';
import type { Body } from '../../hcl/body.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag } from '../../hcl/diagnostic.js';
import type { EvalContext } from '../../hcl/eval-context.js';
import type { Range } from '../../hcl/pos.js';
import { decode } from '../../hcl/dec/decode.js';
import { childBlockTypes, impliedSchema, impliedType } from '../../hcl/dec/schema.js';
import type { Spec } from '../../hcl/dec/spec.js';
import { objectSpecEntries } from '../../hcl/dec/spec.js';

/** A source read through a spec. */
export interface SourceDecode {
  /** Of the spec's implied type; attributes that failed to convert are unknown. */
  readonly value: cty.Value;
  readonly diagnostics: Diagnostic[];
  /**
   * Where an attribute's value is written, by path: `name`, `block.name`,
   * `blocks[1].name` (a block's own path gives its header). Looked up on demand, so
   * decoding pays nothing for ranges no diagnostic asks for. Undefined for JSON.
   */
  readonly rangeOf: (path: string) => Range | undefined;
}

/**
 * Decodes an HCL block body with `spec` (hcldec's Decode), evaluating in `ctx`: anything
 * the spec does not read is an "Unsupported argument" / "Unsupported block type" error,
 * attribute values are converted to the spec's types ("Incorrect attribute value type"),
 * required attributes and blocks are checked. This is the entry point for a runtime
 * ConfigSpec: `decodeBlockBody(block.body, runtimeSpec.spec, ctx)`.
 */
export function decodeBlockBody(body: Body, spec: Spec, ctx: EvalContext | undefined): SourceDecode {
  const r = decode(body, spec, ctx);
  return { value: r.value, diagnostics: r.diagnostics, rangeOf: (path) => rangeIn(body, spec, parsePath(path)) };
}

interface Step {
  readonly name: string;
  readonly index: number;
}

function parsePath(path: string): Step[] {
  return path.split('.').map((part) => {
    const m = /^(.*)\[(\d+)\]$/.exec(part);
    return m ? { name: m[1] ?? '', index: Number(m[2]) } : { name: part, index: 0 };
  });
}

function rangeIn(body: Body, spec: Spec, steps: readonly Step[]): Range | undefined {
  const [head, ...rest] = steps;
  if (!head) return undefined;
  const { content } = body.partialContent(impliedSchema(spec));
  if (rest.length === 0) {
    const attr = content.attributes.get(head.name);
    if (attr) return attr.expr.range;
  }
  const block = content.blocks.filter((b) => b.type === head.name)[head.index];
  if (!block) return undefined;
  if (rest.length === 0) return block.defRange;
  const nested = childBlockTypes(spec).get(head.name);
  return nested ? rangeIn(block.body, nested, rest) : undefined;
}

/** How a legacy JSON template's unknown key is worded (Packer's mapstructure error). */
function unknownJsonKey(path: string): Diagnostic {
  return errorDiag(`unknown configuration key: '"${path}"'`, '');
}

/**
 * Reads a legacy JSON template's config (already a cty value, `{{ }}` rendered when the
 * component renders) through `spec`: each attribute converted to its spec type, nested
 * blocks from an object or an array of objects, keys the spec does not read reported
 * in Packer's JSON wording (`unknown configuration key: '"name"'`).
 */
export function decodeJsonValue(value: cty.Value, spec: Spec): SourceDecode {
  const diagnostics: Diagnostic[] = [];
  const out = jsonSpec(spec, value, '', diagnostics);
  return { value: out, diagnostics, rangeOf: () => undefined };
}

function attrsOf(v: cty.Value): ReadonlyMap<string, cty.Value> {
  const [bare] = cty.unmark(v);
  if (!bare.isKnown() || bare.isNull() || (bare.type.kind !== 'object' && bare.type.kind !== 'map')) return new Map();
  return bare.asMap();
}

function jsonSpec(spec: Spec, value: cty.Value, prefix: string, diagnostics: Diagnostic[]): cty.Value {
  if (spec.kind !== 'object') return cty.nullVal(impliedType(spec));
  const given = attrsOf(value);
  const read = new Set<string>();
  const vals = new Map<string, cty.Value>();
  for (const [key, s] of objectSpecEntries(spec)) {
    const name = 'name' in s && typeof s.name === 'string' ? s.name : 'typeName' in s ? s.typeName : key;
    read.add(name);
    vals.set(key, jsonItem(s, given.get(name), `${prefix}${name}`, diagnostics));
  }
  for (const key of given.keys()) if (!read.has(key)) diagnostics.push(unknownJsonKey(`${prefix}${key}`));
  return cty.objectVal(vals);
}

function jsonItem(spec: Spec, v: cty.Value | undefined, name: string, diagnostics: Diagnostic[]): cty.Value {
  const type = cty.withoutOptionalAttributesDeep(impliedType(spec));
  switch (spec.kind) {
    case 'attr': {
      if (v === undefined || (v.isKnown() && v.isNull())) {
        if (spec.required) diagnostics.push(errorDiag('Missing required argument', `The argument "${name}" is required, but no definition was found.`));
        return cty.nullVal(type);
      }
      const converted = cty.convertValue(v, spec.type);
      if (converted instanceof cty.Value) return converted;
      diagnostics.push(errorDiag(`Invalid value for ${name}`, `Inappropriate value for attribute "${name}": ${converted.message}.`));
      return cty.unknownVal(type);
    }
    case 'block':
    case 'block-list':
    case 'block-tuple':
    case 'block-set': {
      const items = jsonItems(v).map((item) => jsonSpec(spec.nested, item, `${name}.`, diagnostics));
      if (spec.kind === 'block') {
        if (items.length > 1) diagnostics.push(errorDiag(`Duplicate ${name} block`, `Only one "${name}" block is allowed.`));
        if (items.length === 0 && spec.required) diagnostics.push(errorDiag(`Missing ${name} block`, `A block of type "${name}" is required here.`));
        return items[0] ?? cty.nullVal(type);
      }
      if (spec.kind === 'block-tuple') return items.length === 0 ? cty.emptyTupleVal : cty.tupleVal(items);
      const ety = impliedType(spec.nested);
      if (items.length === 0) return spec.kind === 'block-list' ? cty.listValEmpty(ety) : cty.setValEmpty(ety);
      return spec.kind === 'block-list' ? cty.listVal(items) : cty.setVal(items);
    }
    case 'default': {
      const primary = jsonItem(spec.primary, v, name, diagnostics);
      return primary.isNull() ? jsonItem(spec.default, v, name, diagnostics) : primary;
    }
    case 'literal':
      return spec.value;
    default:
      // Specs that read expressions, labels or transforms have no JSON form.
      return v ?? cty.nullVal(type);
  }
}

/** A JSON block value: one object, or an array of objects (other items are ignored). */
function jsonItems(v: cty.Value | undefined): cty.Value[] {
  if (v === undefined) return [];
  const [bare] = cty.unmark(v);
  if (!bare.isKnown() || bare.isNull()) return [];
  const kind = bare.type.kind;
  if (kind === 'object' || kind === 'map') return [bare];
  if (kind === 'tuple' || kind === 'list' || kind === 'set') return bare.asArray().filter((e) => e.isKnown() && !e.isNull() && (e.type.kind === 'object' || e.type.kind === 'map'));
  return [];
}
