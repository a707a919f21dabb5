/**
 * HCL's `try` and `can` (ext/tryfunc). Unlike ordinary functions they receive their
 * arguments unevaluated, as {@link ExpressionClosure}s, so that errors inside an
 * argument can be caught: the evaluator calls `callWithClosures` for any
 * {@link ExpressionClosureFunction} instead of evaluating the arguments first.
 *
 * - `try(a, b, ...)`: the first argument that evaluates without errors; if it is not
 *   wholly known, the result is `dynamicVal` (a later argument might have been chosen
 *   once it is known); if none succeeds, an error listing every diagnostic.
 * - `can(a)`: true when `a` evaluates without errors, unknown when its value is not
 *   wholly known, false otherwise.
 */
import { boolType, dynamicType } from '../cty/type.js';
import type { Value } from '../cty/value.js';
import { dynamicVal, falseVal, trueVal, unknownVal } from '../cty/value.js';
import type { EvalContext } from '../eval-context.js';
import type { Expression } from '../expression.js';
import { formatRange } from '../pos.js';
import type { FunctionError, FunctionSpec } from './function.js';
import { CallError, CtyFunction } from './function.js';

/** An argument expression with the context it would have been evaluated in. */
export interface ExpressionClosure {
  readonly expression: Expression;
  readonly ctx: EvalContext | undefined;
}

/**
 * A function whose parameters take expressions rather than values (HCL's
 * customdecode.ExpressionClosureType). Its `spec` still declares the parameters, so
 * arity errors are reported as for any function; calling it with values is an error.
 */
export class ExpressionClosureFunction extends CtyFunction {
  constructor(
    spec: Omit<FunctionSpec, 'type' | 'impl'>,
    readonly callWithClosures: (args: readonly ExpressionClosure[]) => Value | FunctionError,
  ) {
    super({
      ...spec,
      type: () => new CallError('this function accepts only expressions, so it can be called only from an HCL expression'),
      impl: () => new CallError('this function accepts only expressions, so it can be called only from an HCL expression'),
    });
  }
}

function closureValue(c: ExpressionClosure) {
  return c.expression.value(c.ctx);
}

export const tryFunc = new ExpressionClosureFunction(
  {
    description: 'Returns the value of the first argument that evaluates without errors.',
    params: [],
    varParam: { name: 'expressions', type: dynamicType },
  },
  (args) => {
    if (args.length === 0) return new CallError('at least one argument is required');
    const lines: string[] = [];
    for (const arg of args) {
      const { value, diagnostics } = closureValue(arg);
      if (diagnostics.some((d) => d.severity === 'error')) {
        for (const d of diagnostics) {
          lines.push(d.subject ? `- ${d.summary} (at ${formatRange(d.subject)})\n  ${d.detail}\n` : `- ${d.summary}\n  ${d.detail}\n`);
        }
        continue;
      }
      return value.isWhollyKnown() ? value : dynamicVal;
    }
    return new CallError(`no expression succeeded:\n${lines.join('')}\nAt least one expression must produce a successful result`);
  },
);

export const canFunc = new ExpressionClosureFunction(
  {
    description: 'Whether the argument evaluates without errors.',
    params: [{ name: 'expression', type: dynamicType }],
  },
  (args) => {
    const { value, diagnostics } = closureValue(args[0]!);
    if (diagnostics.some((d) => d.severity === 'error')) return falseVal;
    return value.isWhollyKnown() ? trueVal : unknownVal(boolType);
  },
);
