/**
 * `expandDynamicBlocks` (ext/dynblock's Expand): a {@link Body} wrapper in which each
 * `dynamic "type" { for_each = ..., content { ... } }` block stands for one `type`
 * block per element of `for_each`, its content evaluated with the iterator (`type`,
 * or the `iterator` name) bound to `{ key, value }`. Dynamic blocks nest; an unknown
 * `for_each` gives one block whose body is unknown. Only block types the schema asks
 * for are expanded, so the wrapper works with any decoder.
 */
import * as cty from '../cty/index.js';
import type { Attribute, AttributesResult, Block, Body, BlockHeaderSchema, BodySchema, ContentResult, PartialContentResult } from '../body.js';
import type { Diagnostic } from '../diagnostic.js';
import type { EvalContext } from '../eval-context.js';
import type { Range } from '../pos.js';
import { decodeExpandSpec, newBlock } from './expand-spec.js';
import type { Iteration } from './iteration.js';
import { IterationExpression, iterationContext, makeIteration } from './iteration.js';
import { UnknownBody } from './unknown-body.js';

const DYNAMIC: BlockHeaderSchema = { type: 'dynamic', labelNames: ['type'] };

/** `body` with its dynamic blocks expanded; `ctx` is what `for_each` and labels are evaluated in. */
export function expandDynamicBlocks(body: Body, ctx: EvalContext): Body {
  return new ExpandBody(body, ctx, undefined, undefined, new Set(), new Map());
}

class ExpandBody implements Body {
  constructor(
    readonly original: Body,
    readonly forEachCtx: EvalContext,
    readonly iteration: Iteration | undefined,
    readonly marks: cty.Marks | undefined,
    readonly hiddenAttrs: ReadonlySet<string>,
    readonly hiddenBlocks: ReadonlyMap<string, BlockHeaderSchema>,
  ) {}

  content(schema: BodySchema): ContentResult {
    const raw = this.original.content(this.extendSchema(schema));
    const blocks = this.expandBlocks(schema, raw.content.blocks, false);
    return {
      content: { attributes: this.prepareAttributes(raw.content.attributes), blocks: blocks.blocks, missingItemRange: this.original.missingItemRange() },
      diagnostics: [...raw.diagnostics, ...blocks.diagnostics],
    };
  }

  partialContent(schema: BodySchema): PartialContentResult {
    const raw = this.original.partialContent(this.extendSchema(schema));
    const blocks = this.expandBlocks(schema, raw.content.blocks, true);
    const hiddenAttrs = new Set(this.hiddenAttrs);
    for (const a of schema.attributes ?? []) hiddenAttrs.add(a.name);
    const hiddenBlocks = new Map(this.hiddenBlocks);
    for (const b of schema.blocks ?? []) hiddenBlocks.set(b.type, b);
    return {
      content: { attributes: this.prepareAttributes(raw.content.attributes), blocks: blocks.blocks, missingItemRange: this.original.missingItemRange() },
      remain: new ExpandBody(this.original, this.forEachCtx, this.iteration, undefined, hiddenAttrs, hiddenBlocks),
      diagnostics: [...raw.diagnostics, ...blocks.diagnostics],
    };
  }

  justAttributes(): AttributesResult {
    return this.original.justAttributes();
  }

  missingItemRange(): Range {
    return this.original.missingItemRange();
  }

  /** The schema plus `dynamic` blocks and what earlier partial reads took (read again, then dropped). */
  private extendSchema(schema: BodySchema): BodySchema {
    return {
      attributes: [...(schema.attributes ?? []), ...[...this.hiddenAttrs].map((name) => ({ name }))],
      blocks: [...(schema.blocks ?? []), DYNAMIC, ...this.hiddenBlocks.values()],
    };
  }

  private prepareAttributes(raw: ReadonlyMap<string, Attribute>): ReadonlyMap<string, Attribute> {
    if (this.hiddenAttrs.size === 0 && this.iteration === undefined && this.marks === undefined) return raw;
    const out = new Map<string, Attribute>();
    for (const [name, attr] of raw) {
      if (this.hiddenAttrs.has(name)) continue;
      out.set(name, { ...attr, expr: new IterationExpression(attr.expr, this.iteration, this.marks) });
    }
    return out;
  }

  private expandBlocks(schema: BodySchema, raw: readonly Block[], partial: boolean): { blocks: Block[]; diagnostics: Diagnostic[] } {
    const blocks: Block[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const rawBlock of raw) {
      if (rawBlock.type !== 'dynamic') {
        if (!this.hiddenBlocks.has(rawBlock.type)) blocks.push({ ...rawBlock, body: this.expandChild(rawBlock.body, this.iteration, undefined) });
        continue;
      }
      const realType = rawBlock.labels[0] ?? '';
      if (this.hiddenBlocks.has(realType)) continue;
      const blockS = (schema.blocks ?? []).find((b) => b.type === realType);
      if (blockS === undefined) {
        if (!partial) {
          diagnostics.push({ severity: 'error', summary: 'Unsupported block type', detail: `Blocks of type ${JSON.stringify(realType)} are not expected here.`, subject: rawBlock.labelRanges[0] ?? rawBlock.defRange });
        }
        continue;
      }
      const { spec, diagnostics: specDiags } = decodeExpandSpec(blockS, rawBlock, this.forEachCtx);
      diagnostics.push(...specDiags);
      if (spec === undefined) continue;
      const [forEach, marks] = cty.unmark(spec.forEach);
      const forEachMarks = marks.size > 0 ? marks : undefined;
      if (!forEach.isKnown()) {
        const i = makeIteration(this.iteration, spec.iteratorName, cty.dynamicVal, cty.dynamicVal);
        const r = newBlock(spec, i, this.forEachCtx);
        diagnostics.push(...r.diagnostics);
        if (r.block) blocks.push({ ...r.block, body: new UnknownBody(this.expandChild(r.block.body, i, forEachMarks), forEachMarks) });
        continue;
      }
      for (const [key, value] of cty.elements(forEach)) {
        const i = makeIteration(this.iteration, spec.iteratorName, key, value);
        const r = newBlock(spec, i, this.forEachCtx);
        diagnostics.push(...r.diagnostics);
        if (r.block) blocks.push({ ...r.block, body: this.expandChild(r.block.body, i, forEachMarks) });
      }
    }
    return { blocks, diagnostics };
  }

  private expandChild(child: Body, i: Iteration | undefined, marks: cty.Marks | undefined): Body {
    return new ExpandBody(child, iterationContext(i, this.forEachCtx), i, marks, new Set(), new Map());
  }
}
