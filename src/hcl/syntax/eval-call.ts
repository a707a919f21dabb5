/**
 * Function calls (hclsyntax FunctionCallExpr.Value): lookup along the context chain
 * (with namespaced names and did-you-mean suggestions), `...` expansion, arity checks,
 * per-argument conversion to the parameter types, and the mapping of the function's
 * errors onto the argument that caused them.
 */
import * as cty from '../cty/index.js';
import type { Diagnostic } from '../diagnostic.js';
import { hasErrors } from '../diagnostic.js';
import type { EvalContext } from '../eval-context.js';
import type { Expression } from '../expression.js';
import { staticExpr, withEvalInfo } from '../expression.js';
import type { CallOptions, FunctionError, Parameter } from '../functions/function.js';
import { ArgError } from '../functions/function.js';
import { ExpressionClosureFunction } from '../functions/try-can.js';
import type { Range } from '../pos.js';
import type { ValueResult } from '../traversal.js';
import { nameSuggestion } from '../suggest.js';
import type * as ast from './ast.js';
import { evaluate, toExpression } from './eval.js';

type Result = ValueResult;

function diag(summary: string, detail: string, subject: Range, context: Range | undefined, expr: Expression, ctx: EvalContext | undefined): Diagnostic {
  return { severity: 'error', summary, detail, subject, ...(context ? { context } : {}), expression: expr, evalContext: ctx };
}


function unknownFunction(node: ast.FunctionCallExpr, ctx: EvalContext | undefined): Result {
  const self = toExpression(node);
  const names = ctx?.functionNames() ?? [];
  const fail = (detail: string): Result => ({
    value: cty.dynamicVal,
    diagnostics: [diag('Call to unknown function', detail, node.nameRange, node.srcRange, self, ctx)],
  });
  const sep = node.name.lastIndexOf('::');
  if (sep !== -1) {
    const namespace = node.name.slice(0, sep + 2);
    const name = node.name.slice(sep + 2);
    const avail = names.filter((n) => n.startsWith(namespace));
    if (avail.length === 0) return fail(`There are no functions in namespace ${JSON.stringify(namespace)}.`);
    const s = nameSuggestion(name, avail);
    return fail(`There is no function named ${JSON.stringify(name)} in namespace ${namespace}.${s === undefined ? '' : ` Did you mean ${namespace}${s}?`}`);
  }
  const s = nameSuggestion(node.name, names);
  return fail(`There is no function named ${JSON.stringify(node.name)}.${s === undefined ? '' : ` Did you mean ${JSON.stringify(s)}?`}`);
}

/** `...` on the final argument: its elements become separate arguments. */
function expandArgs(node: ast.FunctionCallExpr, ctx: EvalContext | undefined, diags: Diagnostic[]): Expression[] | Result {
  const args = node.args.map(toExpression);
  if (!node.expandFinal || args.length === 0) return args;
  const expandExpr = args[args.length - 1]!;
  const r = expandExpr.value(ctx);
  diags.push(...r.diagnostics);
  if (hasErrors(r.diagnostics)) return { value: cty.dynamicVal, diagnostics: diags };
  const v = r.value;
  const invalid = (detail: string): Result => {
    diags.push(diag('Invalid expanding argument value', detail, expandExpr.range, node.srcRange, expandExpr, ctx));
    return { value: cty.dynamicVal, diagnostics: diags };
  };
  const k = v.type.kind;
  if (k === 'dynamic') {
    return v.isNull() ? invalid('The expanding argument (indicated by ...) must not be null.') : { value: cty.dynamicVal, diagnostics: diags };
  }
  if (k !== 'tuple' && k !== 'list' && k !== 'set') {
    return invalid('The expanding argument (indicated by ...) must be of a tuple, list, or set type.');
  }
  if (v.isNull()) return invalid('The expanding argument (indicated by ...) must not be null.');
  if (!v.isKnown()) return { value: cty.dynamicVal, diagnostics: diags };
  const [plain, marks] = cty.unmark(v);
  const out = args.slice(0, -1);
  for (const el of plain.asArray()) out.push(staticExpr(cty.withMarks(el, marks), expandExpr.range));
  return out;
}

/** Argument `i` as an Expression (`direct`: `args` are the call's AST nodes); undefined past the end. */
function argAt(args: readonly ast.Expression[] | readonly Expression[], direct: boolean, i: number): Expression | undefined {
  const a = args[i];
  if (a === undefined) return undefined;
  return direct ? toExpression(a as ast.Expression) : (a as Expression);
}

/** Arguments as CtyFunction.call takes them from HCL: already converted to the parameter types. */
const CONVERTED: CallOptions = { convert: false };

export function evalFunctionCall(node: ast.FunctionCallExpr, ctx: EvalContext | undefined): Result {
  const fn = ctx?.lookupFunction(node.name);
  if (fn === undefined) {
    if (ctx === undefined || !ctx.hasFunctions()) {
      return { value: cty.dynamicVal, diagnostics: [diag('Function calls not allowed', 'Functions may not be called here.', node.srcRange, undefined, toExpression(node), ctx)] };
    }
    return unknownFunction(node, ctx);
  }
  const diags: Diagnostic[] = [];
  // The usual call (no `...`, values not closures) evaluates its argument nodes directly;
  // Expression wrappers are made only for a diagnostic.
  const direct = !node.expandFinal && !(fn instanceof ExpressionClosureFunction);
  let args: readonly ast.Expression[] | readonly Expression[];
  if (direct) args = node.args;
  else {
    const expanded = expandArgs(node, ctx, diags);
    if (!Array.isArray(expanded)) return expanded as Result;
    args = expanded;
  }
  const params = fn.params;
  const varParam = fn.varParam;

  if (args.length < params.length) {
    const missing = params[args.length]!;
    const qual = varParam ? ' at least' : '';
    const detail = `Function ${JSON.stringify(node.name)} expects${qual} ${params.length} argument(s). Missing value for ${JSON.stringify(missing.name)}.`;
    return { value: cty.dynamicVal, diagnostics: [diag('Not enough function arguments', detail, node.closeParenRange, node.srcRange, toExpression(node), ctx)] };
  }
  if (varParam === undefined && args.length > params.length) {
    const detail = `Function ${JSON.stringify(node.name)} expects only ${params.length} argument(s).`;
    return { value: cty.dynamicVal, diagnostics: [diag('Too many function arguments', detail, argAt(args, direct, params.length)!.startRange, node.srcRange, toExpression(node), ctx)] };
  }

  if (fn instanceof ExpressionClosureFunction) {
    const exprs = args as Expression[];
    return finish(node, ctx, fn.callWithClosures(exprs.map((expression) => ({ expression, ctx }))), params, varParam, args, direct, diags);
  }

  const argVals: cty.Value[] = [];
  for (let i = 0; i < args.length; i++) {
    const param = (params[i] ?? varParam)!;
    const r = direct ? evaluate(args[i] as ast.Expression, ctx) : (args[i] as Expression).value(ctx);
    if (r.diagnostics.length > 0) diags.push(...r.diagnostics);
    const conv = cty.convertValue(r.value, param.type);
    if (conv instanceof cty.PathError) {
      const e = argAt(args, direct, i)!;
      diags.push(diag('Invalid function argument', `Invalid value for ${JSON.stringify(param.name)} parameter: ${conv.message}.`, e.startRange, node.srcRange, e, ctx));
      argVals.push(cty.unknownVal(param.type));
    } else {
      argVals.push(conv);
    }
  }
  if (hasErrors(diags)) return { value: cty.dynamicVal, diagnostics: diags };
  return finish(node, ctx, fn.call(argVals, CONVERTED), params, varParam, args, direct, diags);
}

function finish(
  node: ast.FunctionCallExpr,
  ctx: EvalContext | undefined,
  result: cty.Value | FunctionError,
  params: readonly Parameter[],
  varParam: Parameter | undefined,
  args: readonly ast.Expression[] | readonly Expression[],
  direct: boolean,
  diags: Diagnostic[],
): Result {
  if (result instanceof cty.Value) return { value: result, diagnostics: diags };
  const self = toExpression(node);
  const failed = (): Diagnostic =>
    diag('Error in function call', `Call to function ${JSON.stringify(node.name)} failed: ${result.message}.`, node.startRange, node.srcRange, self, ctx);
  if (result instanceof ArgError) {
    const i = result.index;
    const param = params[i] ?? varParam;
    const arg = argAt(args, direct, i);
    if (param === undefined) diags.push(failed());
    else if (arg === undefined) {
      diags.push({ severity: 'error', summary: 'Invalid function argument', detail: `Invalid value for ${JSON.stringify(param.name)} parameter: ${result.message}.`, subject: node.srcRange, expression: self, evalContext: ctx });
    } else {
      diags.push(diag('Invalid function argument', `Invalid value for ${JSON.stringify(param.name)} parameter: ${result.message}.`, arg.startRange, node.srcRange, arg, ctx));
    }
  } else {
    diags.push(failed());
  }
  return { value: cty.dynamicVal, diagnostics: withEvalInfo(diags, self, ctx) };
}
