/**
 * `cond ? a : b` (hclsyntax ConditionalExpr.Value): both results are evaluated and
 * unified to one type (a bare `null` takes the other side's type), the condition must
 * be a known or unknown bool, and only the chosen side's diagnostics are reported.
 */
import * as cty from '../cty/index.js';
import type { Diagnostic } from '../diagnostic.js';
import type { EvalContext } from '../eval-context.js';
import { rangeBetween } from '../pos.js';
import type { ValueResult } from '../traversal.js';
import type * as ast from './ast.js';
import { evaluate, toExpression } from './eval.js';

type Conv = ((v: cty.Value) => cty.Value | cty.PathError) | undefined;

const isUntypedNull = (v: cty.Value): boolean => v.isNull() && v.type.kind === 'dynamic' && v.marks === undefined;

function conversionFromDynamic(to: cty.Type): Conv {
  const c = cty.getConversion(cty.dynamicType, to, true);
  return c === undefined ? undefined : (v) => c(v, []);
}

export function evalConditional(node: ast.ConditionalExpr, ctx: EvalContext | undefined): ValueResult {
  const t = evaluate(node.trueResult, ctx);
  const f = evaluate(node.falseResult, ctx);
  const diags: Diagnostic[] = [];
  let resultType: cty.Type | undefined = cty.dynamicType;
  let convs: [Conv, Conv] = [undefined, undefined];
  if (isUntypedNull(t.value)) {
    resultType = f.value.type;
    convs = [conversionFromDynamic(resultType), undefined];
  } else if (isUntypedNull(f.value)) {
    resultType = t.value.type;
    convs = [undefined, conversionFromDynamic(resultType)];
  } else if (t.value.type.kind !== 'dynamic' && f.value.type.kind !== 'dynamic') {
    const u = cty.unifyUnsafe([t.value.type, f.value.type]);
    resultType = u.type;
    convs = [u.conversions[0], u.conversions[1]];
  }
  if (resultType === undefined) {
    return {
      value: cty.dynamicVal,
      diagnostics: [{
        severity: 'error',
        summary: 'Inconsistent conditional result types',
        detail: `The true and false result expressions must have consistent types. ${describeMismatch(t.value.type, f.value.type)}.`,
        subject: rangeBetween(node.trueResult.srcRange, node.falseResult.srcRange),
        context: node.srcRange,
        expression: toExpression(node),
        evalContext: ctx,
      }],
    };
  }
  const c = evaluate(node.condition, ctx);
  diags.push(...c.diagnostics);
  const condProblem = (summary: string, detail: string): ValueResult => {
    diags.push({
      severity: 'error', summary, detail, subject: node.condition.srcRange, context: node.srcRange,
      expression: toExpression(node.condition), evalContext: ctx,
    });
    return { value: cty.unknownVal(resultType), diagnostics: diags };
  };
  if (c.value.isNull()) return condProblem('Null condition', 'The condition value is null. Conditions must either be true or false.');
  const [cond, cm] = cty.unmark(c.value);
  const [tv, tm] = cty.unmark(t.value);
  const [fv, fm] = cty.unmark(f.value);
  if (!cond.isKnown()) {
    if (tv.isNull() && fv.isNull()) return { value: cty.withMarks(cty.nullVal(resultType), cm, tm, fm), diagnostics: diags };
    return { value: cty.withMarks(unknownResult(resultType, tv, fv), cm, tm, fm), diagnostics: diags };
  }
  const cb = cty.convertValue(cond, cty.boolType);
  if (cb instanceof cty.PathError) return condProblem('Incorrect condition type', 'The condition expression must be of type bool.');
  const chooseTrue = cb.asBool();
  const [chosen, chosenDiags, conv, side, expr] = chooseTrue
    ? [tv, t.diagnostics, convs[0], 'true', node.trueResult] as const
    : [fv, f.diagnostics, convs[1], 'false', node.falseResult] as const;
  diags.push(...chosenDiags);
  let out = chosen;
  if (conv !== undefined) {
    const converted = conv(chosen);
    if (converted instanceof cty.PathError) {
      diags.push({
        severity: 'error',
        summary: 'Inconsistent conditional result types',
        detail: `The ${side} result value has the wrong type: ${converted.message}.`,
        subject: expr.srcRange,
        context: node.srcRange,
        expression: toExpression(expr),
        evalContext: ctx,
      });
      out = cty.unknownVal(resultType);
    } else {
      out = converted;
    }
  }
  return { value: cty.withMarks(out, cm, tm, fm), diagnostics: diags };
}

/**
 * The result when the condition is unknown. HCL refines it from both sides (cty
 * refinements) and cty turns some refined unknowns back into known values: two equal
 * known numbers give that number, two known collections of the same type and length
 * give a known collection of that many unknown elements (lists; sets and maps only
 * when empty, sets also with one element). kiln does not track refinements otherwise.
 */
function unknownResult(resultType: cty.Type, tv: cty.Value, fv: cty.Value): cty.Value {
  const unknown = cty.unknownVal(resultType);
  if (!tv.isKnown() || !fv.isKnown() || tv.isNull() || fv.isNull()) return unknown;
  if (tv.type.kind === 'number' && fv.type.kind === 'number') {
    const eq = cty.equals(tv, fv);
    return eq.isKnown() && eq.asBool() ? tv : unknown;
  }
  if (!cty.isCollectionType(tv.type) || !cty.typeEquals(tv.type, fv.type) || !cty.isCollectionType(resultType)) return unknown;
  const len = (v: cty.Value): number | undefined => {
    const l = cty.length(v);
    return l.isKnown() ? cty.toSafeInteger(l.asNumber()) : undefined;
  };
  const n = len(tv);
  if (n === undefined || n !== len(fv)) return unknown;
  const et = resultType.element;
  if (n === 0) {
    return resultType.kind === 'list' ? cty.listValEmpty(et) : resultType.kind === 'set' ? cty.setValEmpty(et) : cty.mapValEmpty(et);
  }
  if (resultType.kind === 'list') return cty.listVal(Array.from({ length: n }, () => cty.unknownVal(et)));
  if (resultType.kind === 'set' && n === 1) return cty.setVal([cty.unknownVal(et)]);
  return unknown;
}

/** HCL's describeConditionalTypeMismatch: the most specific reason the two types differ. */
export function describeMismatch(trueTy: cty.Type, falseTy: cty.Type): string {
  if (trueTy.kind === 'object' && falseTy.kind === 'object') {
    for (const [name, ta] of trueTy.attributes) {
      const fa = falseTy.attributes.get(name);
      if (fa === undefined) return `The 'true' value includes object attribute ${JSON.stringify(name)}, which is absent in the 'false' value`;
      if (!cty.typeEquals(ta, fa)) return `Type mismatch for object attribute ${JSON.stringify(name)}: ${describeMismatch(ta, fa)}`;
    }
    for (const name of falseTy.attributes.keys()) {
      if (!trueTy.attributes.has(name)) return `The 'false' value includes object attribute ${JSON.stringify(name)}, which is absent in the 'true' value`;
    }
  } else if (trueTy.kind === 'tuple' && falseTy.kind === 'tuple') {
    if (trueTy.elements.length !== falseTy.elements.length) {
      return `The 'true' tuple has length ${trueTy.elements.length}, but the 'false' tuple has length ${falseTy.elements.length}`;
    }
    for (let i = 0; i < trueTy.elements.length; i++) {
      const te = trueTy.elements[i]!;
      const fe = falseTy.elements[i]!;
      if (!cty.typeEquals(te, fe)) return `Type mismatch for tuple element ${i}: ${describeMismatch(te, fe)}`;
    }
  } else if (cty.isCollectionType(trueTy) && cty.isCollectionType(falseTy) && trueTy.kind === falseTy.kind) {
    const te = trueTy.element;
    const fe = falseTy.element;
    if ((te.kind === 'object' && fe.kind === 'object') || (te.kind === 'tuple' && fe.kind === 'tuple')) {
      return `Mismatched ${trueTy.kind} element types: ${describeMismatch(te, fe)}`;
    }
  }
  const tn = cty.friendlyName(trueTy);
  const fn = cty.friendlyName(falseTy);
  if (tn === fn) return "At least one deeply-nested attribute or element is not compatible across both the 'true' and the 'false' value";
  return `The 'true' value is ${tn}, but the 'false' value is ${fn}`;
}
