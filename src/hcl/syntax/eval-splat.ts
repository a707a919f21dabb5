/**
 * Splat expressions (`coll[*].a`, `coll.*.a`; hclsyntax SplatExpr.Value). The `each`
 * part is evaluated once per element with the anonymous symbol bound to that element.
 * A null non-sequence gives `[]`; any other non-sequence is treated as a one-element
 * tuple; unknown sources give an unknown of the type `each` would produce.
 */
import * as cty from '../cty/index.js';
import type { Diagnostic } from '../diagnostic.js';
import { hasErrors } from '../diagnostic.js';
import { EvalContext } from '../eval-context.js';
import { rangeBetween } from '../pos.js';
import type { ValueResult } from '../traversal.js';
import type * as ast from './ast.js';
import { evaluate, toExpression } from './eval.js';

// As in HCL, the element bound to an anonymous symbol is keyed by the context object.
const anonValues = new WeakMap<EvalContext, Map<ast.AnonSymbolExpr, cty.Value>>();

function setAnon(ctx: EvalContext, sym: ast.AnonSymbolExpr, v: cty.Value): void {
  let m = anonValues.get(ctx);
  if (m === undefined) anonValues.set(ctx, (m = new Map()));
  m.set(sym, v);
}

function clearAnon(ctx: EvalContext, sym: ast.AnonSymbolExpr): void {
  anonValues.get(ctx)?.delete(sym);
}

export function evalAnonSymbol(node: ast.AnonSymbolExpr, ctx: EvalContext | undefined): ValueResult {
  const v = ctx === undefined ? undefined : anonValues.get(ctx)?.get(node);
  return { value: v ?? cty.dynamicVal, diagnostics: [] };
}


/** The type `each` produces for elements of `sourceTy` (evaluated with unknown elements). */
function resultType(node: ast.SplatExpr, ctx: EvalContext | undefined, sourceTy: cty.Type, diags: Diagnostic[]): cty.Type {
  const chi = ctx === undefined ? new EvalContext() : ctx.newChild();
  const eachType = (et: cty.Type): cty.Type => {
    setAnon(chi, node.item, cty.unknownVal(et));
    const r = evaluate(node.each, chi);
    diags.push(...r.diagnostics);
    clearAnon(chi, node.item);
    return r.value.type;
  };
  if (sourceTy.kind === 'list' || sourceTy.kind === 'set') return cty.listOf(eachType(sourceTy.element));
  if (sourceTy.kind === 'tuple') return cty.tupleOf(sourceTy.elements.map(eachType));
  return cty.dynamicType;
}

export function evalSplat(node: ast.SplatExpr, ctxIn: EvalContext | undefined): ValueResult {
  const src = evaluate(node.source, ctxIn);
  const diags = [...src.diagnostics];
  if (hasErrors(diags)) return { value: cty.dynamicVal, diagnostics: diags };
  let sourceVal = src.value;
  let sourceTy = sourceVal.type;
  const autoUpgrade = !(sourceTy.kind === 'tuple' || sourceTy.kind === 'list' || sourceTy.kind === 'set');
  if (sourceVal.isNull()) {
    if (autoUpgrade) return { value: cty.withSameMarks(cty.emptyTupleVal, sourceVal), diagnostics: diags };
    diags.push({
      severity: 'error', summary: 'Splat of null value', detail: 'Splat expressions (with the * symbol) cannot be applied to null sequences.',
      subject: node.source.srcRange, context: rangeBetween(node.source.srcRange, node.markerRange),
      expression: toExpression(node.source), evalContext: ctxIn,
    });
    return { value: cty.dynamicVal, diagnostics: diags };
  }
  if (sourceTy.kind === 'dynamic') return { value: cty.withSameMarks(cty.dynamicVal, sourceVal), diagnostics: diags };
  // An unknown non-sequence might turn out to be null (then the result would be []).
  let upgradedUnknown = false;
  if (autoUpgrade) {
    upgradedUnknown = !sourceVal.isKnown();
    sourceVal = cty.withSameMarks(cty.tupleVal([sourceVal]), sourceVal);
    sourceTy = sourceVal.type;
  }
  if (!sourceVal.isKnown()) {
    const ty = resultType(node, ctxIn, sourceTy, diags);
    return { value: cty.withSameMarks(cty.unknownVal(ty), sourceVal), diagnostics: diags };
  }
  const [plain, marks] = cty.unmark(sourceVal);
  const ctx = ctxIn ?? new EvalContext();
  const vals: cty.Value[] = [];
  let isKnown = true;
  for (const item of plain.asArray()) {
    setAnon(ctx, node.item, item);
    const r = evaluate(node.each, ctx);
    diags.push(...r.diagnostics);
    if (hasErrors(r.diagnostics)) isKnown = false;
    vals.push(r.value);
  }
  clearAnon(ctx, node.item);
  if (upgradedUnknown) return { value: cty.withMarks(cty.dynamicVal, marks), diagnostics: diags };
  if (!isKnown) return { value: cty.withMarks(cty.unknownVal(resultType(node, ctxIn, sourceTy, [])), marks), diagnostics: diags };
  if (sourceTy.kind === 'tuple') return { value: cty.withMarks(cty.tupleVal(vals), marks), diagnostics: diags };
  if (vals.length === 0) {
    const ty = resultType(node, ctxIn, sourceTy, diags);
    return { value: cty.withMarks(cty.listValEmpty((ty as cty.ListType).element), marks), diagnostics: diags };
  }
  if (!cty.canListVal(vals)) {
    diags.push({
      severity: 'error',
      summary: 'Invalid nested splat expressions',
      detail: "The second level of splat expression produced elements of different types, so it isn't possible to construct a valid list to represent the top-level result.\n\nConsider using a for expression instead, to produce a tuple-typed result which can therefore have non-homogenous element types.",
      subject: node.each.srcRange,
      context: node.srcRange,
    });
    return { value: cty.dynamicVal, diagnostics: diags };
  }
  return { value: cty.withMarks(cty.listVal(vals), marks), diagnostics: diags };
}
