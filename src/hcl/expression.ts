/**
 * The syntax-independent expression interface (hcl.Expression) and HCL's static
 * analysis helpers over it. Native syntax (`syntax/eval.ts`) and JSON syntax implement
 * `Expression`; callers such as the template decoder use only this interface.
 *
 * Static analysis works through optional capabilities, the way HCL's Go interfaces
 * do: an expression that *is* a static traversal offers `asTraversal`, a list literal
 * offers `exprList`, and so on; wrappers (parentheses, `"${x}"`) offer
 * `unwrapExpression` so the helpers can look through them.
 */
import type { Value } from './cty/value.js';
import type { Diagnostic } from './diagnostic.js';
import type { EvalContext } from './eval-context.js';
import type { Range } from './pos.js';
import type { Traversal, ValueResult } from './traversal.js';

export type { ValueResult } from './traversal.js';

export interface KeyValuePair {
  readonly key: Expression;
  readonly value: Expression;
}

/** A function call read statically (hcl.StaticCall): the arguments are not evaluated. */
export interface StaticCall {
  readonly name: string;
  readonly nameRange: Range;
  readonly args: readonly Expression[];
  /** From the opening to the closing parenthesis. */
  readonly argsRange: Range;
}

export interface Expression {
  /**
   * Evaluates the expression. Never throws: problems are diagnostics, and the value is
   * then usually unknown (often `dynamicVal`). `ctx === undefined` means variables and
   * functions are not allowed at all.
   */
  value(ctx: EvalContext | undefined): ValueResult;
  /** The absolute traversals this expression would read from the context. */
  variables(): Traversal[];
  /** All of the expression's source. */
  readonly range: Range;
  /** The part to underline when the whole expression is the subject (its start). */
  readonly startRange: Range;

  /** Capability: this expression is exactly a static traversal (`a.b[0]`). */
  asTraversal?(): Traversal | undefined;
  /** Capability: a static list of expressions (a tuple constructor). */
  exprList?(): readonly Expression[] | undefined;
  /** Capability: static key/value pairs (an object constructor). */
  exprMap?(): readonly KeyValuePair[] | undefined;
  /** Capability: a static function call. */
  exprCall?(): StaticCall | undefined;
  /** Capability: the expression this one merely wraps (parentheses, `"${x}"`). */
  unwrapExpression?(): Expression | undefined;
  /**
   * Capability: what `exprAsKeyword` answers, computed without building a traversal
   * (a `type = string` per variable).
   */
  asKeyword?(): string | undefined;
}

/** Looks through wrappers until `until` holds; undefined when it never does (UnwrapExpressionUntil). */
export function unwrapExpressionUntil(expr: Expression, until: (e: Expression) => boolean): Expression | undefined {
  let e: Expression | undefined = expr;
  for (let depth = 0; e !== undefined && depth < 10_000; depth++) {
    if (until(e)) return e;
    e = e.unwrapExpression?.();
  }
  return undefined;
}

/** Looks through all wrappers (UnwrapExpression). */
export function unwrapExpression(expr: Expression): Expression {
  let e = expr;
  for (let depth = 0; depth < 10_000; depth++) {
    const inner = e.unwrapExpression?.();
    if (inner === undefined) return e;
    e = inner;
  }
  return e;
}

function invalid(detail: string, subject: Range): Diagnostic[] {
  return [{ severity: 'error', summary: 'Invalid expression', detail, subject }];
}

export type StaticResult<T> = { readonly value: T; readonly diagnostics: [] } | { readonly value: undefined; readonly diagnostics: Diagnostic[] };

function staticTraversal(expr: Expression): Traversal | undefined {
  const phys = unwrapExpressionUntil(expr, (e) => e.asTraversal !== undefined);
  return phys?.asTraversal?.();
}

/**
 * The expression as an absolute traversal (hcl.AbsTraversalForExpr), e.g. for
 * `depends_on`-style references; an "Invalid expression" diagnostic otherwise.
 */
export function absTraversalForExpr(expr: Expression): StaticResult<Traversal> {
  const t = staticTraversal(expr);
  if (t !== undefined) return { value: t, diagnostics: [] };
  return {
    value: undefined,
    diagnostics: invalid(
      'A single static variable reference is required: only attribute access and indexing with constant keys. No calculations, function calls, template expressions, etc are allowed here.',
      expr.range,
    ),
  };
}

/** As `absTraversalForExpr`, with the root step turned into an attribute step. */
export function relTraversalForExpr(expr: Expression): StaticResult<Traversal> {
  const r = absTraversalForExpr(expr);
  if (r.value === undefined || r.value.length === 0) return r;
  const [root, ...rest] = r.value;
  if (root?.kind !== 'root') return r;
  return { value: [{ kind: 'attr', name: root.name, srcRange: root.srcRange }, ...rest], diagnostics: [] };
}

/** The identifier when the expression is a single bare name (`any`, `string`); else undefined. */
export function exprAsKeyword(expr: Expression): string | undefined {
  if (expr.asKeyword !== undefined) return expr.asKeyword();
  return keywordOf(staticTraversal(expr));
}

/** The name of a traversal that is a single root step (`string`); else undefined. */
export function keywordOf(t: Traversal | undefined): string | undefined {
  const root = t?.length === 1 ? t[0] : undefined;
  return root?.kind === 'root' ? root.name : undefined;
}

/** The elements of a static list expression (hcl.ExprList). */
export function exprList(expr: Expression): StaticResult<readonly Expression[]> {
  const phys = unwrapExpressionUntil(expr, (e) => e.exprList !== undefined);
  const list = phys?.exprList?.();
  if (list !== undefined) return { value: list, diagnostics: [] };
  return { value: undefined, diagnostics: invalid('A static list expression is required.', expr.startRange) };
}

/** The pairs of a static map expression (hcl.ExprMap). */
export function exprMap(expr: Expression): StaticResult<readonly KeyValuePair[]> {
  const phys = unwrapExpressionUntil(expr, (e) => e.exprMap !== undefined);
  const pairs = phys?.exprMap?.();
  if (pairs !== undefined) return { value: pairs, diagnostics: [] };
  return { value: undefined, diagnostics: invalid('A static map expression is required.', expr.startRange) };
}

/** The static function call (hcl.ExprCall), e.g. `list(string)` in a type expression. */
export function exprCall(expr: Expression): StaticResult<StaticCall> {
  const phys = unwrapExpressionUntil(expr, (e) => e.exprCall !== undefined);
  const call = phys?.exprCall?.();
  if (call !== undefined) return { value: call, diagnostics: [] };
  return { value: undefined, diagnostics: invalid('A static function call is required.', expr.startRange) };
}

/** An expression that always evaluates to `value` (hcl.StaticExpr). */
export function staticExpr(value: Value, range: Range): Expression {
  return {
    value: () => ({ value, diagnostics: [] }),
    variables: () => [],
    range,
    startRange: range,
  };
}

/**
 * Attaches the expression and context to diagnostics that have none yet, as HCL does
 * for evaluation diagnostics (the renderer prints `with var.x as "..."` from them).
 */
export function withEvalInfo(diags: Diagnostic[], expr: Expression, ctx: EvalContext | undefined): Diagnostic[] {
  for (let i = 0; i < diags.length; i++) {
    const d = diags[i]!;
    if (d.expression === undefined) diags[i] = { ...d, expression: expr, evalContext: ctx };
  }
  return diags;
}
