/**
 * `dynamic` blocks (HCL's ext/dynblock), expanded where kiln reads a body's blocks:
 * `dynamic "tag" { for_each = ..., iterator = t, labels = [...], content { ... } }`
 * becomes one `tag` block per element, whose content sees the iterator (`tag.key`,
 * `tag.value`) besides its block's usual context. Nested `dynamic` blocks expand the
 * same way when their content is read.
 */
import type { Block, BlockHeaderSchema } from '../../hcl/body.js';
import * as cty from '../../hcl/cty/index.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../../hcl/diagnostic.js';
import type { EvalContext } from '../../hcl/eval-context.js';
import { exprAsKeyword } from '../../hcl/expression.js';
import type { Scope, ScopedBlock } from './types.js';

const DYNAMIC_SCHEMA = {
  attributes: [{ name: 'for_each', required: true }, { name: 'iterator' }, { name: 'labels' }],
  blocks: [{ type: 'content' }],
};

/** The schema entry to add so `dynamic` blocks are read too. */
export const DYNAMIC_BLOCK: BlockHeaderSchema = { type: 'dynamic', labelNames: ['type'] };

/** `ctx` extended with the iterators of `scope` (ctx itself when there are none). */
export function withScope(ctx: EvalContext, scope: Scope): EvalContext {
  return scope.size === 0 ? ctx : ctx.newChild({ variables: scope });
}

/**
 * The blocks of `blocks` with every `dynamic` one expanded, in source order. `allowed`
 * maps each block type the body accepts to its label names.
 */
export function expandDynamic(
  blocks: readonly Block[],
  allowed: ReadonlyMap<string, readonly string[]>,
  ctx: EvalContext,
  scope: Scope,
): { blocks: ScopedBlock[]; diagnostics: Diagnostic[] } {
  const out: ScopedBlock[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const block of blocks) {
    if (block.type !== 'dynamic') {
      out.push({ block, scope });
      continue;
    }
    const r = expandOne(block, allowed, ctx, scope);
    diagnostics.push(...r.diagnostics);
    out.push(...r.blocks);
  }
  return { blocks: out, diagnostics };
}

function expandOne(dyn: Block, allowed: ReadonlyMap<string, readonly string[]>, ctx: EvalContext, scope: Scope): { blocks: ScopedBlock[]; diagnostics: Diagnostic[] } {
  const type = dyn.labels[0] ?? '';
  const labelNames = allowed.get(type);
  if (labelNames === undefined) {
    return { blocks: [], diagnostics: [errorDiag('Unsupported block type', `Blocks of type "${type}" are not expected here.`, dyn.labelRanges[0] ?? dyn.defRange)] };
  }
  const { content, diagnostics } = dyn.body.content(DYNAMIC_SCHEMA);
  const contents = content.blocks;
  if (contents.length !== 1) {
    diagnostics.push(
      errorDiag(
        contents.length === 0 ? 'Missing content block' : 'Extraneous content block',
        contents.length === 0 ? 'A dynamic block must have a nested block of type "content" to describe the body of each generated block.' : 'Only one nested content block is allowed for each dynamic block.',
        contents[1]?.defRange ?? dyn.defRange,
      ),
    );
  }
  const forEach = content.attributes.get('for_each');
  const contentBlock = contents[0];
  if (!forEach || !contentBlock || hasErrors(diagnostics)) return { blocks: [], diagnostics };

  let iterName = type;
  const iterAttr = content.attributes.get('iterator');
  if (iterAttr) {
    const kw = exprAsKeyword(iterAttr.expr);
    if (kw === undefined) {
      diagnostics.push(errorDiag('Invalid dynamic iterator name', 'Dynamic iterator must be a single variable name.', iterAttr.expr.range));
      return { blocks: [], diagnostics };
    }
    iterName = kw;
  }
  const outer = ctx.newChild({ variables: scope });
  const fe = forEach.expr.value(outer);
  diagnostics.push(...fe.diagnostics);
  if (hasErrors(fe.diagnostics)) return { blocks: [], diagnostics };
  const [value, marks] = cty.unmarkDeep(fe.value);
  if (!value.isKnown()) return { blocks: [], diagnostics };
  if (value.isNull()) {
    diagnostics.push(errorDiag('Invalid dynamic for_each value', 'Cannot use a null value in for_each.', forEach.expr.range));
    return { blocks: [], diagnostics };
  }
  const k = value.type.kind;
  if (k !== 'list' && k !== 'set' && k !== 'tuple' && k !== 'map' && k !== 'object') {
    diagnostics.push(errorDiag('Invalid dynamic for_each value', `Cannot use a ${cty.friendlyName(value.type)} value in for_each. An iterable collection is required.`, forEach.expr.range));
    return { blocks: [], diagnostics };
  }
  const elements: [cty.Value, cty.Value][] =
    k === 'map' || k === 'object'
      ? [...value.asMap()].map(([key, v]) => [cty.stringVal(key), v])
      : value.asArray().map((v, i) => [k === 'set' ? v : cty.numberIntVal(i), v]);
  const blocks: ScopedBlock[] = [];
  for (const [key, v] of elements) {
    const iterator = cty.objectVal({ key: cty.withMarks(key, marks), value: cty.withMarks(v, marks) });
    const inner = new Map(scope);
    inner.set(iterName, iterator);
    const labels = dynamicLabels(content.attributes.get('labels')?.expr, ctx.newChild({ variables: inner }), labelNames.length, dyn, diagnostics);
    if (labels === undefined) continue;
    blocks.push({
      block: { type, labels, body: contentBlock.body, defRange: dyn.defRange, typeRange: dyn.labelRanges[0] ?? dyn.typeRange, labelRanges: labels.map(() => dyn.defRange) },
      scope: inner,
    });
  }
  return { blocks, diagnostics };
}

function dynamicLabels(
  expr: { value(ctx: EvalContext): { value: cty.Value; diagnostics: Diagnostic[] }; range: Block['defRange'] } | undefined,
  ctx: EvalContext,
  want: number,
  dyn: Block,
  diagnostics: Diagnostic[],
): string[] | undefined {
  if (expr === undefined) {
    if (want === 0) return [];
    diagnostics.push(errorDiag('Missing required argument', `The argument "labels" is required, but no definition was found.`, dyn.defRange));
    return undefined;
  }
  const r = expr.value(ctx);
  diagnostics.push(...r.diagnostics);
  if (hasErrors(r.diagnostics)) return undefined;
  const [v] = cty.unmarkDeep(r.value);
  const list = cty.convertValue(v, cty.listOf(cty.stringType));
  if (list instanceof cty.PathError || !list.isWhollyKnown() || list.isNull()) {
    diagnostics.push(errorDiag('Invalid dynamic block label', `Cannot use this value as a dynamic block label: ${list instanceof cty.PathError ? list.message : 'a known list of strings is required'}.`, expr.range));
    return undefined;
  }
  const labels = list.asArray().map((e) => (e.isNull() ? '' : e.asString()));
  if (labels.length !== want) {
    diagnostics.push(errorDiag('Incorrect number of labels', `Blocks of type "${dyn.labels[0] ?? ''}" require ${want} label(s).`, expr.range));
    return undefined;
  }
  return labels;
}
