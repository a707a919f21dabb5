/**
 * Collection constructors: tuple `[...]` and object `{...}` literals (with HCL's key
 * rules: a bare name is a literal key, `a.b` is ambiguous, keys convert to string).
 * `for` expressions live in eval-for.ts.
 */
import * as cty from '../cty/index.js';
import type { Diagnostic } from '../diagnostic.js';
import { hasErrors } from '../diagnostic.js';
import type { EvalContext } from '../eval-context.js';
import type { ValueResult } from '../traversal.js';
import type * as ast from './ast.js';
import { evaluate, toExpression } from './eval.js';
import { objectKeyLiteralName } from './eval-expression.js';


export function evalTupleCons(node: ast.TupleConsExpr, ctx: EvalContext | undefined): ValueResult {
  const vals: cty.Value[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const e of node.exprs) {
    const r = evaluate(e, ctx);
    vals.push(r.value);
    diagnostics.push(...r.diagnostics);
  }
  return { value: cty.tupleVal(vals), diagnostics };
}

export function evalObjectConsKey(node: ast.ObjectConsKeyExpr, ctx: EvalContext | undefined): ValueResult {
  if (!node.forceNonLiteral) {
    const w = node.wrapped;
    if (w.kind === 'scope-traversal' && w.traversal.length > 1) {
      return {
        value: cty.dynamicVal,
        diagnostics: [{
          severity: 'error',
          summary: 'Ambiguous attribute key',
          detail: "If this expression is intended to be a reference, wrap it in parentheses. If it's instead intended as a literal name containing periods, wrap it in quotes to create a string literal.",
          subject: node.srcRange,
        }],
      };
    }
    const name = objectKeyLiteralName(node);
    if (name !== undefined) return { value: cty.stringVal(name), diagnostics: [] };
  }
  return evaluate(node.wrapped, ctx);
}

export function evalObjectCons(node: ast.ObjectConsExpr, ctx: EvalContext | undefined): ValueResult {
  const vals = new Map<string, cty.Value>();
  const diagnostics: Diagnostic[] = [];
  const marks: Array<cty.Marks | undefined> = [];
  let known = true;
  for (const item of node.items) {
    const k = evaluate(item.key, ctx);
    diagnostics.push(...k.diagnostics);
    const v = evaluate(item.value, ctx);
    diagnostics.push(...v.diagnostics);
    if (hasErrors(k.diagnostics)) {
      known = false;
      continue;
    }
    const keyProblem = (summary: string, detail: string, subject: ast.Expression): void => {
      diagnostics.push({ severity: 'error', summary, detail, subject: subject.srcRange, expression: toExpression(item.key), evalContext: ctx });
      known = false;
    };
    if (k.value.isNull()) {
      keyProblem('Null value as key', "Can't use a null value as a key.", item.value);
      continue;
    }
    const [plain, km] = cty.unmark(k.value);
    marks.push(km);
    const key = cty.convertValue(plain, cty.stringType);
    if (key instanceof cty.PathError) {
      keyProblem('Incorrect key type', `Can't use this value as a key: ${key.message}.`, item.key);
      continue;
    }
    if (!key.isKnown()) {
      known = false;
      continue;
    }
    vals.set(key.asString(), v.value);
  }
  if (!known) return { value: cty.dynamicVal, diagnostics };
  return { value: cty.withMarks(cty.objectVal(vals), ...marks), diagnostics };
}
