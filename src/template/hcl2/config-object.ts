/**
 * Reading a component's body against its schema into the `ConfigObject` the SDK's
 * decoder takes: attributes evaluated (with their ranges), nested blocks read
 * recursively per the schema's block fields, `dynamic` blocks expanded. Several body
 * parts are merged as HCL's MergeBodies does: a build-level `source` block may add
 * arguments to its source but not set one again ("Duplicate argument").
 */
import type { Attribute, Body, BodySchema } from '../../hcl/body.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag } from '../../hcl/diagnostic.js';
import type { EvalContext } from '../../hcl/eval-context.js';
import type { Range } from '../../hcl/pos.js';
import { formatRange } from '../../hcl/pos.js';
import type { ConfigNode, ConfigObject } from '../../sdk/schema/decode.js';
import type { ObjectSchema } from '../../sdk/schema/field.js';
import { DYNAMIC_BLOCK, expandDynamic, withScope } from './dynamic.js';
import type { Scope } from './types.js';

/** One body to read, with the `dynamic` iterators its expressions see. */
export interface BodyPart {
  readonly body: Body;
  readonly scope: Scope;
}

/** The HCL schema of an object schema: its attributes and blocks (plus `dynamic`). */
export function bodySchemaOf(schema: ObjectSchema): BodySchema {
  const attributes = [];
  const blocks = [DYNAMIC_BLOCK];
  for (const [name, field] of Object.entries(schema)) {
    if (field.type.kind === 'block') blocks.push({ type: name, labelNames: [] });
    else attributes.push({ name });
  }
  return { attributes, blocks };
}

function blockFields(schema: ObjectSchema): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const [name, field] of Object.entries(schema)) if (field.type.kind === 'block') out.set(name, []);
  return out;
}

export interface ConfigObjectResult {
  readonly object: ConfigObject;
  readonly diagnostics: Diagnostic[];
}

/** Reads `parts` (merged, in order) against `schema`, evaluating in `ctx`. */
export function readConfigObject(parts: readonly BodyPart[], schema: ObjectSchema, ctx: EvalContext, range?: Range): ConfigObjectResult {
  const diagnostics: Diagnostic[] = [];
  const entries = new Map<string, ConfigNode>();
  const seen = new Map<string, Attribute>();
  const hclSchema = bodySchemaOf(schema);
  const allowed = blockFields(schema);
  const blocks = new Map<string, ConfigObject[]>();
  for (const part of parts) {
    const { content, diagnostics: contentDiags } = part.body.content(hclSchema);
    diagnostics.push(...contentDiags);
    const partCtx = withScope(ctx, part.scope);
    for (const [name, attr] of content.attributes) {
      const first = seen.get(name);
      if (first) {
        diagnostics.push(errorDiag('Duplicate argument', `Argument "${name}" was already set at ${formatRange(first.nameRange)}`, attr.nameRange));
        continue;
      }
      seen.set(name, attr);
      const r = attr.expr.value(partCtx);
      diagnostics.push(...r.diagnostics);
      entries.set(name, { kind: 'value', value: r.value, range: attr.expr.range });
    }
    const expanded = expandDynamic(content.blocks, allowed, ctx, part.scope);
    diagnostics.push(...expanded.diagnostics);
    for (const { block, scope } of expanded.blocks) {
      const field = schema[block.type];
      if (field?.type.kind !== 'block') continue;
      const nested = readConfigObject([{ body: block.body, scope }], field.type.fields, ctx, block.defRange);
      diagnostics.push(...nested.diagnostics);
      const list = blocks.get(block.type) ?? [];
      list.push(nested.object);
      blocks.set(block.type, list);
    }
  }
  for (const [name, items] of blocks) entries.set(name, { kind: 'blocks', items });
  return { object: { entries, ...(range ? { range } : {}) }, diagnostics };
}
