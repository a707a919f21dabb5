/**
 * A block's configuration read without the component's schema, for a component whose
 * plugin is not installed (`kiln plan` lists it and fingerprints what it can see):
 * every attribute evaluated in the block's context (an expression that fails reads as
 * unknown), nested blocks as a list of objects under their type, their labels under
 * `@labels`. Native-syntax bodies (and merges of them) are read whole; other bodies
 * (JSON syntax, dynamic blocks) by their attributes only.
 */
import type { Body } from '../../hcl/body.js';
import * as cty from '../../hcl/cty/index.js';
import type { EvalContext } from '../../hcl/eval-context.js';
import { NativeBody, nativeBlock } from '../../hcl/syntax/body-native.js';

/** The attributes and blocks of `body` as one object value. */
export function rawBodyValue(body: Body, ctx: EvalContext): cty.Value {
  const attrs = new Map<string, cty.Value>();
  const blocks = new Map<string, cty.Value[]>();
  read(body, ctx, attrs, blocks);
  for (const [type, list] of blocks) attrs.set(type, cty.tupleVal(list));
  return cty.objectVal(attrs);
}

function read(body: Body, ctx: EvalContext, attrs: Map<string, cty.Value>, blocks: Map<string, cty.Value[]>): void {
  const parts = (body as { readonly bodies?: unknown }).bodies;
  if (Array.isArray(parts)) {
    // A merge (a source with its build-level block): later bodies win, as when decoded.
    for (const b of parts as Body[]) read(b, ctx, attrs, blocks);
    return;
  }
  for (const [name, attr] of body.justAttributes().attributes) {
    const r = attr.expr.value(ctx);
    attrs.set(name, r.diagnostics.some((d) => d.severity === 'error') ? cty.unknownVal(cty.dynamicType) : r.value);
  }
  if (!(body instanceof NativeBody)) return;
  for (const node of body.node.blocks) {
    const b = nativeBlock(node);
    const inner = new Map<string, cty.Value>();
    const nested = new Map<string, cty.Value[]>();
    read(b.body, ctx, inner, nested);
    for (const [type, list] of nested) inner.set(type, cty.tupleVal(list));
    if (b.labels.length > 0) inner.set('@labels', cty.tupleVal(b.labels.map((l) => cty.stringVal(l))));
    const list = blocks.get(b.type) ?? [];
    list.push(cty.objectVal(inner));
    blocks.set(b.type, list);
  }
}
