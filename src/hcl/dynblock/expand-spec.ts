/**
 * Reading one `dynamic "type" { for_each, iterator, labels, content {} }` block
 * (ext/dynblock's decodeSpec and newBlock), with the extension's diagnostics.
 */
import * as cty from '../cty/index.js';
import type { Block, Body, BlockHeaderSchema, BodySchema } from '../body.js';
import type { Diagnostic } from '../diagnostic.js';
import { hasErrors } from '../diagnostic.js';
import type { EvalContext } from '../eval-context.js';
import type { Expression } from '../expression.js';
import { absTraversalForExpr, exprList } from '../expression.js';
import type { Range } from '../pos.js';
import { rootName, traversalRange } from '../traversal.js';
import type { Iteration } from './iteration.js';
import { iterationContext } from './iteration.js';

const WITH_LABELS: BodySchema = {
  attributes: [{ name: 'for_each', required: true }, { name: 'iterator' }, { name: 'labels', required: true }],
  blocks: [{ type: 'content' }],
};
const WITHOUT_LABELS: BodySchema = {
  attributes: [{ name: 'for_each', required: true }, { name: 'iterator' }],
  blocks: [{ type: 'content' }],
};

/** A dynamic block, read and checked, ready to generate blocks. */
export interface ExpandSpec {
  readonly blockType: string;
  readonly blockTypeRange: Range;
  readonly defRange: Range;
  readonly forEach: cty.Value;
  readonly iteratorName: string;
  readonly labelExprs: readonly Expression[];
  readonly contentBody: Body;
}

function err(summary: string, detail: string, subject: Range, expression?: Expression, ctx?: EvalContext): Diagnostic {
  return { severity: 'error', summary, detail, subject, ...(expression ? { expression, evalContext: ctx } : {}) };
}

/** Reads `raw` (a `dynamic` block) for generating blocks of `blockS`; undefined when it has errors. */
export function decodeExpandSpec(blockS: BlockHeaderSchema, raw: Block, ctx: EvalContext): { spec: ExpandSpec | undefined; diagnostics: Diagnostic[] } {
  const labelNames = blockS.labelNames ?? [];
  const c = raw.body.content(labelNames.length > 0 ? WITH_LABELS : WITHOUT_LABELS);
  const diagnostics = c.diagnostics;
  const fail = (d?: Diagnostic): { spec: undefined; diagnostics: Diagnostic[] } => ({ spec: undefined, diagnostics: d ? [...diagnostics, d] : diagnostics });
  if (hasErrors(diagnostics)) return fail();
  let iteratorName = blockS.type;
  const itAttr = c.content.attributes.get('iterator');
  if (itAttr) {
    const t = absTraversalForExpr(itAttr.expr);
    diagnostics.push(...t.diagnostics);
    if (t.value === undefined) return fail();
    if (t.value.length !== 1) return fail(err('Invalid dynamic iterator name', 'Dynamic iterator must be a single variable name.', traversalRange(t.value) ?? itAttr.expr.range));
    iteratorName = rootName(t.value);
  }
  const eachAttr = c.content.attributes.get('for_each')!;
  const each = eachAttr.expr.value(ctx);
  diagnostics.push(...each.diagnostics);
  if (hasErrors(diagnostics)) return fail();
  const [plain] = cty.unmark(each.value);
  if (!cty.canIterateElements(plain) && plain.type.kind !== 'dynamic') {
    return fail(err('Invalid dynamic for_each value', `Cannot use a ${cty.friendlyName(each.value.type)} value in for_each. An iterable collection is required.`, eachAttr.expr.range, eachAttr.expr, ctx));
  }
  if (plain.isNull()) {
    return fail(err('Invalid dynamic for_each value', 'Cannot use a null value in for_each.', eachAttr.expr.range, eachAttr.expr, ctx));
  }
  let labelExprs: readonly Expression[] = [];
  const labelsAttr = c.content.attributes.get('labels');
  if (labelsAttr) {
    const l = exprList(labelsAttr.expr);
    diagnostics.push(...l.diagnostics);
    if (l.value === undefined) return fail();
    labelExprs = l.value;
    const detail = `Blocks of type ${JSON.stringify(blockS.type)} require ${labelNames.length} label(s).`;
    const extra = labelExprs[labelNames.length];
    if (extra) return fail(err('Extraneous dynamic block label', detail, extra.range));
    if (labelExprs.length < labelNames.length) return fail(err('Insufficient dynamic block labels', detail, labelsAttr.expr.range));
  }
  const [content, second] = c.content.blocks;
  if (content === undefined) {
    return fail(err('Missing dynamic content block', 'A dynamic block must have a nested block of type "content" to describe the body of each generated block.', c.content.missingItemRange));
  }
  if (second !== undefined) {
    return fail(err('Extraneous dynamic content block', 'Only one nested content block is allowed for each dynamic block.', second.defRange));
  }
  return {
    spec: {
      blockType: blockS.type,
      blockTypeRange: raw.labelRanges[0] ?? raw.typeRange,
      defRange: raw.defRange,
      forEach: each.value,
      iteratorName,
      labelExprs,
      contentBody: content.body,
    },
    diagnostics,
  };
}

/** One generated block for iteration `i` (its body still the raw content); undefined on label errors. */
export function newBlock(spec: ExpandSpec, i: Iteration, ctx: EvalContext): { block: Block | undefined; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const labels: string[] = [];
  const labelRanges: Range[] = [];
  const lctx = iterationContext(i, ctx);
  for (const expr of spec.labelExprs) {
    const r = expr.value(lctx);
    diagnostics.push(...r.diagnostics);
    if (hasErrors(r.diagnostics)) return { block: undefined, diagnostics };
    const bad = (detail: string): { block: undefined; diagnostics: Diagnostic[] } => {
      diagnostics.push(err('Invalid dynamic block label', detail, expr.range, expr, lctx));
      return { block: undefined, diagnostics };
    };
    const v = cty.convertValue(r.value, cty.stringType);
    if (v instanceof cty.PathError) return bad(`Cannot use this value as a dynamic block label: ${v.message}.`);
    if (v.isNull()) return bad('Cannot use a null value as a dynamic block label.');
    if (!v.isKnown()) return bad('This value is not yet known. Dynamic block labels must be immediately-known values.');
    if (v.isMarked()) return bad('This value has dynamic marks that make it unsuitable for use as a block label.');
    labels.push(v.asString());
    labelRanges.push(expr.range);
  }
  return {
    block: { type: spec.blockType, typeRange: spec.blockTypeRange, labels, labelRanges, defRange: spec.defRange, body: spec.contentBody },
    diagnostics,
  };
}
