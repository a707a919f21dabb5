/**
 * `for` expressions (hclsyntax ForExpr.Value): `[for k, v in coll : v if cond]` builds a
 * tuple, `{for k, v in coll : key => val... if cond}` an object (grouped into tuples
 * with `...`). The iterator names are bound in a child context per element; an
 * unknown collection, condition or key makes the whole result unknown; marks on the
 * collection, conditions and keys are carried to the result.
 */
import * as cty from '../cty/index.js';
import type { Diagnostic } from '../diagnostic.js';
import { hasErrors } from '../diagnostic.js';
import { EvalContext } from '../eval-context.js';
import type { ValueResult } from '../traversal.js';
import type * as ast from './ast.js';
import { evaluate, toExpression } from './eval.js';


function child(ctx: EvalContext | undefined, node: ast.ForExpr, k: cty.Value, v: cty.Value): EvalContext {
  const vars = new Map<string, cty.Value>();
  if (node.keyVar !== undefined) vars.set(node.keyVar, k);
  vars.set(node.valVar, v);
  return ctx === undefined ? new EvalContext({ variables: vars }) : ctx.newChild({ variables: vars });
}

export function evalForExpr(node: ast.ForExpr, ctx: EvalContext | undefined): ValueResult {
  const diags: Diagnostic[] = [];
  const marks: Array<cty.Marks | undefined> = [];
  const problem = (summary: string, detail: string, at: ast.Expression, evalCtx: EvalContext | undefined): void => {
    diags.push({ severity: 'error', summary, detail, subject: at.srcRange, context: node.srcRange, expression: toExpression(at), evalContext: evalCtx });
  };
  const coll = evaluate(node.collExpr, ctx);
  diags.push(...coll.diagnostics);
  if (coll.value.isNull()) {
    problem('Iteration over null value', "A null value cannot be used as the collection in a 'for' expression.", node.collExpr, ctx);
    return { value: cty.dynamicVal, diagnostics: diags };
  }
  if (coll.value.type.kind === 'dynamic') return { value: cty.dynamicVal, diagnostics: diags };
  const [collVal, collMarks] = cty.unmark(coll.value);
  marks.push(collMarks);
  if (!cty.canIterateElements(collVal)) {
    problem('Iteration over non-iterable value', `A value of type ${cty.friendlyName(collVal.type)} cannot be used as the collection in a 'for' expression.`, node.collExpr, ctx);
    return { value: cty.dynamicVal, diagnostics: diags };
  }

  let condMarks: cty.Marks | undefined;
  if (node.condExpr !== undefined) {
    // Check the condition once with unknown iterators, so type errors show even for empty collections.
    const r = evaluate(node.condExpr, child(ctx, node, cty.dynamicVal, cty.dynamicVal));
    diags.push(...r.diagnostics);
    if (r.value.isNull()) {
      problem('Condition is null', "The value of the 'if' clause must not be null.", node.condExpr, ctx);
      return { value: cty.dynamicVal, diagnostics: diags };
    }
    condMarks = r.value.marks;
    const b = cty.convertValue(r.value, cty.boolType);
    if (b instanceof cty.PathError) {
      problem("Invalid 'for' condition", `The 'if' clause value is invalid: ${b.message}.`, node.condExpr, ctx);
      return { value: cty.dynamicVal, diagnostics: diags };
    }
    if (hasErrors(r.diagnostics)) return { value: cty.dynamicVal, diagnostics: diags };
  }
  if (!collVal.isKnown()) return { value: cty.withMarks(cty.dynamicVal, ...marks, condMarks), diagnostics: diags };

  let known = true;
  const tupleVals: cty.Value[] = [];
  const objVals = new Map<string, cty.Value>();
  const groups = new Map<string, cty.Value[]>();
  for (const [k, v] of cty.elements(collVal)) {
    const childCtx = child(ctx, node, k, v);
    if (node.condExpr !== undefined) {
      const r = evaluate(node.condExpr, childCtx);
      diags.push(...r.diagnostics);
      if (r.value.isNull()) {
        if (known) problem("Invalid 'for' condition", "The value of the 'if' clause must not be null.", node.condExpr, childCtx);
        known = false;
        continue;
      }
      marks.push(r.value.marks);
      if (node.keyExpr === undefined && !r.value.isKnown()) {
        known = false;
        continue;
      }
      const inc = cty.convertValue(r.value, cty.boolType);
      if (inc instanceof cty.PathError) {
        if (known) problem("Invalid 'for' condition", `The 'if' clause value is invalid: ${inc.message}.`, node.condExpr, childCtx);
        known = false;
        continue;
      }
      if (!inc.isKnown()) {
        known = false;
        continue;
      }
      if (!cty.unmark(inc)[0].asBool()) continue;
    }
    if (node.keyExpr === undefined) {
      const r = evaluate(node.valExpr, childCtx);
      diags.push(...r.diagnostics);
      tupleVals.push(r.value);
      continue;
    }
    const kr = evaluate(node.keyExpr, childCtx);
    diags.push(...kr.diagnostics);
    if (kr.value.isNull()) {
      if (known) problem('Invalid object key', "Key expression in 'for' expression must not produce a null value.", node.keyExpr, childCtx);
      known = false;
      continue;
    }
    marks.push(kr.value.marks);
    if (!kr.value.isKnown()) {
      known = false;
      continue;
    }
    const key = cty.convertValue(kr.value, cty.stringType);
    if (key instanceof cty.PathError) {
      if (known) problem('Invalid object key', `The key expression produced an invalid result: ${key.message}.`, node.keyExpr, childCtx);
      known = false;
      continue;
    }
    const ks = cty.unmark(key)[0].asString();
    const vr = evaluate(node.valExpr, childCtx);
    diags.push(...vr.diagnostics);
    if (node.group) {
      const g = groups.get(ks);
      if (g) g.push(vr.value);
      else groups.set(ks, [vr.value]);
    } else if (objVals.has(ks)) {
      problem(
        'Duplicate object key',
        `Two different items produced the key ${JSON.stringify(ks)} in this 'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key.`,
        node.keyExpr,
        childCtx,
      );
    } else {
      objVals.set(ks, vr.value);
    }
  }
  if (!known) return { value: cty.withMarks(cty.dynamicVal, ...marks), diagnostics: diags };
  if (node.keyExpr === undefined) return { value: cty.withMarks(cty.tupleVal(tupleVals), ...marks), diagnostics: diags };
  if (node.group) for (const [k, g] of groups) objVals.set(k, cty.tupleVal(g));
  return { value: cty.withMarks(cty.objectVal(objVals), ...marks), diagnostics: diags };
}
