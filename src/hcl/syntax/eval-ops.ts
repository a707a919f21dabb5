/**
 * Operators and conditionals (hclsyntax expression_ops.go and ConditionalExpr):
 * operands are converted to the operator's parameter type ("Invalid operand"), marks
 * are lifted off and put back on the result, `&&`/`||` short-circuit over unknowns and
 * errors as HCL does, and the two results of `c ? a : b` are unified.
 */
import * as cty from '../cty/index.js';
import { NumberNaNError } from '../cty/number.js';
import type { Diagnostic } from '../diagnostic.js';
import { hasErrors } from '../diagnostic.js';
import type { EvalContext } from '../eval-context.js';
import type { ValueResult } from '../traversal.js';
import type * as ast from './ast.js';
import { evaluate, toExpression } from './eval.js';


interface Operator {
  /** The parameter type operands are converted to. */
  readonly param: cty.Type;
  /** The result type (of the unknown returned on errors). */
  readonly type: cty.Type;
  /** Null operands allowed (only == and !=). */
  readonly allowNull?: boolean;
  /** Unknown operands passed to `impl` (only == and !=); otherwise the result is unknown. */
  readonly allowUnknown?: boolean;
  readonly impl: (a: cty.Value, b: cty.Value) => cty.Value;
  /** What cty's function reports when big.Float would panic (Inf - Inf, ...). */
  readonly nanMessage?: string;
}

const num = cty.numberType;
const bool = cty.boolType;

const OPERATORS: Readonly<Record<ast.BinaryOperator, Operator>> = {
  '||': { param: bool, type: bool, impl: cty.or },
  '&&': { param: bool, type: bool, impl: cty.and },
  '==': { param: cty.dynamicType, type: bool, allowNull: true, allowUnknown: true, impl: cty.equals },
  '!=': { param: cty.dynamicType, type: bool, allowNull: true, allowUnknown: true, impl: (a, b) => cty.not(cty.equals(a, b)) },
  '>': { param: num, type: bool, impl: cty.greaterThan },
  '>=': { param: num, type: bool, impl: cty.greaterThanOrEqualTo },
  '<': { param: num, type: bool, impl: cty.lessThan },
  '<=': { param: num, type: bool, impl: cty.lessThanOrEqualTo },
  '+': { param: num, type: num, impl: cty.add, nanMessage: "can't compute sum of opposing infinities" },
  '-': { param: num, type: num, impl: cty.subtract, nanMessage: "can't subtract infinity from itself" },
  '*': { param: num, type: num, impl: cty.multiply, nanMessage: "can't multiply zero by infinity" },
  '/': { param: num, type: num, impl: cty.divide, nanMessage: "can't divide zero by zero or infinity by infinity" },
  '%': { param: num, type: num, impl: cty.modulo, nanMessage: "can't use modulo with zero and infinity" },
};

/** Applies the operator as cty's stdlib function would: null and unknown checks, NaN panics as errors. */
function callOperator(op: Operator, a: cty.Value, b: cty.Value): cty.Value | string {
  if (!op.allowNull && (a.isNull() || b.isNull())) return 'argument must not be null';
  if (!op.allowUnknown && (!a.isKnown() || !b.isKnown())) return cty.unknownVal(op.type);
  try {
    return op.impl(a, b);
  } catch (e) {
    if (e instanceof NumberNaNError && op.nanMessage) return op.nanMessage;
    throw e;
  }
}

type ShortCircuit = { value: cty.Value; diagnostics: Diagnostic[] } | undefined;

/** HCL's short-circuit rules for `&&` (decisive = false) and `||` (decisive = true). */
function shortCircuit(decisive: boolean, lhs: cty.Value, rhs: cty.Value, ld: Diagnostic[], rd: Diagnostic[]): ShortCircuit {
  const unknownBool = cty.unknownVal(bool);
  const is = (v: cty.Value, b: boolean): boolean => v.isKnown() && !v.isNull() && v.asBool() === b;
  if (!lhs.isKnown() && !rhs.isKnown()) return hasErrors(ld) ? undefined : { value: unknownBool, diagnostics: ld };
  if (is(lhs, decisive)) return { value: cty.boolVal(decisive), diagnostics: ld };
  if (is(rhs, decisive)) return { value: cty.boolVal(decisive), diagnostics: rd };
  if (!lhs.isKnown() && is(rhs, !decisive)) return { value: unknownBool, diagnostics: ld };
  if (!rhs.isKnown() && is(lhs, !decisive)) return { value: unknownBool, diagnostics: rd };
  return undefined;
}

export function evalBinaryOp(node: ast.BinaryOpExpr, ctx: EvalContext | undefined): ValueResult {
  const op = OPERATORS[node.op];
  const diags: Diagnostic[] = [];
  const invalid = (side: 'left' | 'right', operand: ast.Expression, message: string): void => {
    diags.push({
      severity: 'error', summary: 'Invalid operand', detail: `Unsuitable value for ${side} operand: ${message}.`,
      subject: operand.srcRange, context: node.srcRange, expression: toExpression(operand), evalContext: ctx,
    });
  };
  const l = evaluate(node.lhs, ctx);
  const lc = cty.convertValue(l.value, op.param);
  if (lc instanceof cty.PathError) invalid('left', node.lhs, lc.message);
  const r = evaluate(node.rhs, ctx);
  const rc = cty.convertValue(r.value, op.param);
  if (rc instanceof cty.PathError) invalid('right', node.rhs, rc.message);
  if (lc instanceof cty.PathError || rc instanceof cty.PathError) {
    return { value: cty.unknownVal(op.type), diagnostics: [...diags, ...l.diagnostics, ...r.diagnostics] };
  }
  const [lv, lm] = cty.unmark(lc);
  const [rv, rm] = cty.unmark(rc);
  if (node.op === '&&' || node.op === '||') {
    const forced = shortCircuit(node.op === '||', lv, rv, l.diagnostics, r.diagnostics);
    if (forced !== undefined) return { value: cty.withMarks(forced.value, lm, rm), diagnostics: forced.diagnostics };
  }
  diags.push(...l.diagnostics, ...r.diagnostics);
  if (hasErrors(diags)) return { value: cty.withMarks(cty.unknownVal(op.type), lm, rm), diagnostics: diags };
  const result = callOperator(op, lv, rv);
  if (typeof result === 'string') {
    diags.push({
      severity: 'error', summary: 'Operation failed', detail: `Error during operation: ${result}.`,
      subject: node.srcRange, expression: toExpression(node), evalContext: ctx,
    });
    return { value: cty.unknownVal(op.type), diagnostics: diags };
  }
  return { value: cty.withMarks(result, lm, rm), diagnostics: diags };
}

export function evalUnaryOp(node: ast.UnaryOpExpr, ctx: EvalContext | undefined): ValueResult {
  const type = node.op === 'negate' ? num : bool;
  const given = evaluate(node.operand, ctx);
  const diags = [...given.diagnostics];
  const v = cty.convertValue(given.value, type);
  if (v instanceof cty.PathError) {
    diags.push({
      severity: 'error', summary: 'Invalid operand', detail: `Unsuitable value for unary operand: ${v.message}.`,
      subject: node.operand.srcRange, context: node.srcRange, expression: toExpression(node.operand), evalContext: ctx,
    });
  }
  if (v instanceof cty.PathError || hasErrors(diags)) return { value: cty.unknownVal(type), diagnostics: diags };
  if (v.isNull()) {
    diags.push({
      severity: 'error', summary: 'Operation failed', detail: 'Error during operation: argument must not be null.',
      subject: node.srcRange, expression: toExpression(node), evalContext: ctx,
    });
    return { value: cty.unknownVal(type), diagnostics: diags };
  }
  // cty's Negate/Not allow marks, so marks pass straight through the operation.
  return { value: node.op === 'negate' ? cty.negate(v) : cty.not(v), diagnostics: diags };
}
