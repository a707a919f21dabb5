/**
 * Decoding one expression into a plain TypeScript value (gohcl.DecodeExpression): the
 * meta-arguments Packer itself reads (`name`, `only`, `pause_before`, `sensitive`,
 * ...), with HCL's "Unsuitable value type" diagnostics.
 */
import * as cty from '../../hcl/cty/index.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { hasErrors } from '../../hcl/diagnostic.js';
import type { EvalContext } from '../../hcl/eval-context.js';
import type { Expression } from '../../hcl/expression.js';

export interface Decoded<T> {
  /** undefined when the expression is invalid (see diagnostics) or null. */
  readonly value: T | undefined;
  readonly diagnostics: Diagnostic[];
}

function unsuitable(expr: Expression, message: string): Diagnostic {
  return { severity: 'error', summary: 'Unsuitable value type', detail: `Unsuitable value: ${message}`, subject: expr.startRange, context: expr.range };
}

/** Evaluates `expr` and converts it to `want`; unknown and null are left to the caller. */
export function convertedValue(expr: Expression, ctx: EvalContext | undefined, want: cty.Type): Decoded<cty.Value> {
  const r = expr.value(ctx);
  const diagnostics = [...r.diagnostics];
  if (hasErrors(diagnostics)) return { value: undefined, diagnostics };
  const [bare] = cty.unmarkDeep(r.value);
  const v = cty.convertValue(bare, want);
  if (v instanceof cty.PathError) {
    diagnostics.push(unsuitable(expr, v.message));
    return { value: undefined, diagnostics };
  }
  return { value: v, diagnostics };
}

function known(expr: Expression, r: Decoded<cty.Value>): r is Decoded<cty.Value> & { value: cty.Value } {
  if (r.value === undefined) return false;
  if (!r.value.isWhollyKnown()) {
    r.diagnostics.push(unsuitable(expr, 'value must be known'));
    return false;
  }
  return !r.value.isNull();
}

export function decodeString(expr: Expression, ctx: EvalContext | undefined): Decoded<string> {
  const r = convertedValue(expr, ctx, cty.stringType);
  return { value: known(expr, r) ? r.value.asString() : undefined, diagnostics: r.diagnostics };
}

export function decodeBool(expr: Expression, ctx: EvalContext | undefined): Decoded<boolean> {
  const r = convertedValue(expr, ctx, cty.boolType);
  return { value: known(expr, r) ? r.value.asBool() : undefined, diagnostics: r.diagnostics };
}

/** A whole number (Go `int`); a fractional one is "Unsuitable value type". */
export function decodeInt(expr: Expression, ctx: EvalContext | undefined): Decoded<number> {
  const r = convertedValue(expr, ctx, cty.numberType);
  if (!known(expr, r)) return { value: undefined, diagnostics: r.diagnostics };
  const n = cty.toSafeInteger(r.value.asNumber());
  if (n === undefined) r.diagnostics.push(unsuitable(expr, 'value must be a whole number, between -9223372036854775808 and 9223372036854775807'));
  return { value: n, diagnostics: r.diagnostics };
}

export function decodeStringList(expr: Expression, ctx: EvalContext | undefined): Decoded<string[]> {
  const r = convertedValue(expr, ctx, cty.listOf(cty.stringType));
  if (!known(expr, r)) return { value: undefined, diagnostics: r.diagnostics };
  const out: string[] = [];
  for (const e of r.value.asArray()) {
    if (e.isNull()) {
      r.diagnostics.push(unsuitable(expr, 'value must not be null'));
      return { value: undefined, diagnostics: r.diagnostics };
    }
    out.push(e.asString());
  }
  return { value: out, diagnostics: r.diagnostics };
}
