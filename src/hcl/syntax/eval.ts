/**
 * Evaluation of native-syntax expressions (hclsyntax's `Value` methods): one function
 * per AST node kind, dispatched here, each following HCL's semantics for unknown,
 * null and marked values and producing HCL's diagnostics.
 *
 * `toExpression(node)` wraps an AST node as a syntax-independent {@link Expression}
 * (the object other layers hold and that diagnostics carry in `expression`).
 * Evaluation never throws: internal failures (a cty operation throwing on an
 * unforeseen combination) become an error diagnostic, and nesting deeper than
 * {@link MAX_EVAL_DEPTH} is reported instead of overflowing the stack.
 */
import * as cty from '../cty/index.js';
import type { Diagnostic } from '../diagnostic.js';
import type { EvalContext } from '../eval-context.js';
import type { Expression } from '../expression.js';
import { withEvalInfo } from '../expression.js';
import type { ValueResult } from '../traversal.js';
import { index as indexOp, traverseAbs, traverseRel } from '../traversal.js';
import type * as ast from './ast.js';
import { evalFunctionCall } from './eval-call.js';
import { evalObjectCons, evalObjectConsKey, evalTupleCons } from './eval-collections.js';
import { evalForExpr } from './eval-for.js';
import { evalConditional } from './eval-conditional.js';
import { evalBinaryOp, evalUnaryOp } from './eval-ops.js';
import { evalAnonSymbol, evalSplat } from './eval-splat.js';
import { evalTemplate, evalTemplateJoin } from './eval-template.js';
import { literalValue, toTraversal } from './eval-traversal.js';
import { NativeExpression } from './eval-expression.js';

/** Deeper nesting than this is reported ("Expression too complex") rather than evaluated. */
export const MAX_EVAL_DEPTH = 1000;

let depth = 0;
/** Whether the current top-level evaluation already reported its nesting; one report is enough. */
let toldTooDeep = false;

/** The result of evaluating `node` in `ctx`. Never throws. */
export function evaluate(node: ast.Expression, ctx: EvalContext | undefined): ValueResult {
  if (depth >= MAX_EVAL_DEPTH) {
    const first = !toldTooDeep;
    toldTooDeep = true;
    return {
      value: cty.dynamicVal,
      diagnostics: !first ? [] : [{
        severity: 'error',
        summary: 'Expression too complex',
        detail: `This expression nests more than ${MAX_EVAL_DEPTH} levels deep, which is not supported.`,
        subject: node.srcRange,
      }],
    };
  }
  depth++;
  try {
    return evaluateNode(node, ctx);
  } catch (e) {
    if (e instanceof RangeError && depth > 1) throw e; // let the outermost call report a stack overflow once
    return internalFailure(node, ctx, e);
  } finally {
    depth--;
    if (depth === 0) toldTooDeep = false;
  }
}

function internalFailure(node: ast.Expression, ctx: EvalContext | undefined, e: unknown): ValueResult {
  const text = e instanceof Error ? e.message : String(e);
  const diag: Diagnostic = {
    severity: 'error',
    summary: 'Failed to evaluate expression',
    detail: `kiln could not evaluate this expression: ${text}. This is a bug in kiln; please report it.`,
    subject: node.srcRange,
  };
  return { value: cty.dynamicVal, diagnostics: withEvalInfo([diag], toExpression(node), ctx) };
}

function evaluateNode(node: ast.Expression, ctx: EvalContext | undefined): ValueResult {
  switch (node.kind) {
    case 'literal':
      return { value: literalValue(node.value), diagnostics: [] };
    case 'template':
      return evalTemplate(node, ctx);
    case 'template-wrap':
      return evaluate(node.wrapped, ctx);
    case 'template-join':
      return evalTemplateJoin(node, ctx);
    case 'scope-traversal': {
      const r = traverseAbs(toTraversal(node.traversal), ctx);
      return { value: r.value, diagnostics: evalInfo(r.diagnostics, node, ctx) };
    }
    case 'relative-traversal': {
      const src = evaluate(node.source, ctx);
      const r = traverseRel(toTraversal(node.traversal), src.value);
      return { value: r.value, diagnostics: joinDiags(src.diagnostics, evalInfo(r.diagnostics, node, ctx)) };
    }
    case 'function-call':
      return evalFunctionCall(node, ctx);
    case 'conditional':
      return evalConditional(node, ctx);
    case 'binary-op':
      return evalBinaryOp(node, ctx);
    case 'unary-op':
      return evalUnaryOp(node, ctx);
    case 'object-cons':
      return evalObjectCons(node, ctx);
    case 'object-cons-key':
      return evalObjectConsKey(node, ctx);
    case 'tuple-cons':
      return evalTupleCons(node, ctx);
    case 'for':
      return evalForExpr(node, ctx);
    case 'splat':
      return evalSplat(node, ctx);
    case 'anon-symbol':
      return evalAnonSymbol(node, ctx);
    case 'index':
      return evalIndex(node, ctx);
    case 'parentheses':
      return evaluate(node.expression, ctx);
    case 'syntax-error':
      // As HCL's ExprSyntaxError: the parse diagnostics are reported again on evaluation.
      return { value: cty.dynamicVal, diagnostics: [...node.parseDiagnostics] };
  }
}

function evalIndex(node: ast.IndexExpr, ctx: EvalContext | undefined): ValueResult {
  const coll = evaluate(node.collection, ctx);
  const key = evaluate(node.key, ctx);
  const r = indexOp(coll.value, key.value, node.bracketRange);
  return { value: r.value, diagnostics: joinDiags(joinDiags(coll.diagnostics, key.diagnostics), evalInfo(r.diagnostics, node, ctx)) };
}

/** `withEvalInfo` for a node, wrapping the node only when there is something to annotate. */
function evalInfo(diags: Diagnostic[], node: ast.Expression, ctx: EvalContext | undefined): Diagnostic[] {
  return diags.length === 0 ? diags : withEvalInfo(diags, toExpression(node), ctx);
}

/** `[...a, ...b]`, without copying when either side is empty (the usual case). */
function joinDiags(a: Diagnostic[], b: Diagnostic[]): Diagnostic[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return [...a, ...b];
}

/**
 * The AST node as an {@link Expression}: a new wrapper on each call (one small object;
 * nothing depends on identity). Caching them in a WeakMap cost more than making them:
 * a lookup per call and an ephemeron entry per node for the GC to trace.
 */
export function toExpression(node: ast.Expression): Expression {
  return new NativeExpression(node);
}
