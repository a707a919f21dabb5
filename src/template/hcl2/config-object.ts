/**
 * Reading a component's body against its schema into the `ConfigObject` the SDK's
 * decoder takes: attributes evaluated (with their ranges), nested blocks read
 * recursively per the schema's block fields.
 *
 * The body arrives ready: `dynamic` blocks are expanded by the `expandDynamicBlocks`
 * wrapper the loader put around each file (nested ones too, as their content is read),
 * and a build-level `source` block is merged with its source by `mergeBodies`, which
 * reports an argument set in both ("Duplicate argument").
 */
import type { Body, BodySchema } from '../../hcl/body.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import type { EvalContext } from '../../hcl/eval-context.js';
import type { Range } from '../../hcl/pos.js';
import type { ConfigNode, ConfigObject } from '../../sdk/schema/decode.js';
import type { ObjectSchema } from '../../sdk/schema/field.js';

/** The HCL schema of an object schema: its attributes and its block fields. */
export function bodySchemaOf(schema: ObjectSchema): BodySchema {
  const attributes = [];
  const blocks = [];
  for (const [name, field] of Object.entries(schema)) {
    if (field.type.kind === 'block') blocks.push({ type: name, labelNames: [] });
    else attributes.push({ name });
  }
  return { attributes, blocks };
}

export interface ConfigObjectResult {
  readonly object: ConfigObject;
  readonly diagnostics: Diagnostic[];
}

/**
 * Reads `body` against `schema`, evaluating in `ctx`; `range` is where "missing
 * required" errors about the object point.
 *
 * A block generated from an unknown `for_each` (its body says `isUnknown()`) makes
 * its whole block list unknown, as hcldec does; the SDK has no unknown block list, so
 * it becomes what Packer's placeholder for one is: no blocks.
 */
export function readConfigObject(body: Body, schema: ObjectSchema, ctx: EvalContext, range?: Range): ConfigObjectResult {
  const { content, diagnostics } = body.content(bodySchemaOf(schema));
  const entries = new Map<string, ConfigNode>();
  for (const [name, attr] of content.attributes) {
    const r = attr.expr.value(ctx);
    diagnostics.push(...r.diagnostics);
    entries.set(name, { kind: 'value', value: r.value, range: attr.expr.range });
  }
  const blocks = new Map<string, ConfigObject[]>();
  const unknown = new Set<string>();
  for (const block of content.blocks) {
    const field = schema[block.type];
    if (field?.type.kind !== 'block') continue;
    if (block.body.isUnknown?.()) unknown.add(block.type);
    const nested = readConfigObject(block.body, field.type.fields, ctx, block.defRange);
    diagnostics.push(...nested.diagnostics);
    const list = blocks.get(block.type) ?? [];
    list.push(nested.object);
    blocks.set(block.type, list);
  }
  for (const [name, items] of blocks) entries.set(name, { kind: 'blocks', items: unknown.has(name) ? [] : items });
  return { object: { entries, ...(range ? { range } : {}) }, diagnostics };
}
