/**
 * `hcl-expressions`: HCL's expression, template, try/can, index and type-expression
 * vectors (../shared/conformance/hcl-expressions.json) run against src/hcl/syntax's
 * evaluator, src/hcl/typeexpr and src/hcl/functions/try-can. Vectors that need the
 * JSON syntax (`eval-json-body`, `json-expression`) run through src/hcl/json.
 *
 * Comparison: values with `vectorEquals` (RawEquals without refinements, which kiln
 * does not track); the diagnostic count is parse + evaluation diagnostics.
 */
import { readFileSync } from 'node:fs';
import * as cty from '../../src/hcl/cty/index.js';
import { diagnosticsErrorText } from '../../src/hcl/diagnostic.js';
import type { Diagnostic } from '../../src/hcl/diagnostic.js';
import { EvalContext } from '../../src/hcl/eval-context.js';
import type { CtyFunction } from '../../src/hcl/functions/function.js';
import { CTY_STDLIB } from '../../src/hcl/functions/stdlib.js';
import { canFunc, tryFunc } from '../../src/hcl/functions/try-can.js';
import type { Expression } from '../../src/hcl/expression.js';
import { parseJSONFile } from '../../src/hcl/json/parse.js';
import { formatRange } from '../../src/hcl/pos.js';
import { toExpression } from '../../src/hcl/syntax/eval.js';
import { parseExpression, parseTemplate } from '../../src/hcl/syntax/parse.js';
import { index } from '../../src/hcl/traversal.js';
import { getType } from '../../src/hcl/typeexpr/get-type.js';
import { sharedPath } from '../support/shared.js';
import { decodeType, decodeValue, vectorEquals } from './cty-json.js';
import type { Suite, SuiteResult } from './suite.js';
import { tallyVectors } from './suite.js';

interface Vector {
  readonly id: string;
  readonly kind: string;
  readonly mode: string;
  readonly input?: string;
  readonly filename?: string;
  readonly constraint?: boolean;
  /** eval-json-body: the attribute of the JSON file to evaluate. */
  readonly attribute?: string;
  readonly compare?: string;
  readonly collection?: unknown;
  readonly key?: unknown;
  readonly ctx?: { readonly variables?: Record<string, unknown>; readonly functions?: Record<string, string> } | null;
  readonly expect: {
    readonly value?: unknown;
    readonly diagnostics?: number;
    readonly error?: { readonly summary: string; readonly detail: string };
    readonly error_text?: string;
    /** eval-json-body: the first diagnostic, as "range: Summary; Detail", contains this. */
    readonly error_contains?: string;
    readonly error_summary?: string;
    readonly error_detail?: string;
    readonly type?: unknown;
  };
}

/** Vectors not run yet, by kind or mode, with the reason (kept in the repo on purpose). */
export const SKIPPED: Readonly<Record<string, string>> = {};

function functionFor(id: string): CtyFunction | undefined {
  if (id === 'tryfunc.TryFunc') return tryFunc;
  if (id === 'tryfunc.CanFunc') return canFunc;
  return CTY_STDLIB.get(`zclconf/go-cty:${id}`);
}

function buildContext(v: Vector): EvalContext | undefined | string {
  if (v.ctx === null || v.ctx === undefined) return undefined;
  const ctx = new EvalContext();
  if (v.ctx.variables) ctx.variables = new Map(Object.entries(v.ctx.variables).map(([k, j]) => [k, decodeValue(j)]));
  if (v.ctx.functions) {
    ctx.functions = new Map();
    for (const [name, id] of Object.entries(v.ctx.functions)) {
      const f = functionFor(id);
      if (f === undefined) return `function ${id} is not implemented`;
      ctx.functions.set(name, f);
    }
  }
  return ctx;
}

const show = (ds: readonly Diagnostic[]): string => ds.map((d) => `${d.summary}: ${d.detail}`).join(' | ');

function runEval(v: Vector): string | undefined {
  const ctx = buildContext(v);
  if (typeof ctx === 'string') return ctx;
  const filename = v.filename ?? '';
  const parsed = v.mode === 'template' ? parseTemplate(v.input!, filename) : parseExpression(v.input!, filename);
  if (v.mode === 'template' && parsed.diagnostics.length > 0) {
    return parsed.diagnostics.length === v.expect.diagnostics ? undefined : `parse: ${show(parsed.diagnostics)}`;
  }
  const r = toExpression(parsed.value).value(ctx);
  const diags = [...parsed.diagnostics, ...r.diagnostics];
  if (v.kind === 'eval-error') {
    const want = v.expect.error!;
    const hit = diags.some((d) => d.severity === 'error' && d.summary === want.summary && d.detail === want.detail);
    return hit ? undefined : `want error ${want.summary}: ${want.detail}; got ${show(diags)}`;
  }
  if (v.expect.error_text !== undefined) {
    const got = diagnosticsErrorText(diags);
    return got === v.expect.error_text ? undefined : `error text ${JSON.stringify(got)}, want ${JSON.stringify(v.expect.error_text)}`;
  }
  if (v.expect.diagnostics !== undefined && diags.length !== v.expect.diagnostics) {
    return `${diags.length} diagnostics, want ${v.expect.diagnostics}: ${show(diags)}`;
  }
  let want = decodeValue(v.expect.value);
  // TestAllBoolExpressions writes unknown results as DynamicVal and compares them as UnknownVal(cty.Bool).
  if (v.compare?.startsWith('no error diagnostics') && !want.isKnown()) want = cty.unknownVal(cty.boolType);
  if (v.compare?.startsWith('no error diagnostics') && want.isKnown()) {
    const eq = cty.equals(r.value, want);
    return eq.isKnown() && eq.asBool() ? undefined : `value ${r.value.toString()}, want ${want.toString()}`;
  }
  return vectorEquals(r.value, want) ? undefined : `value ${r.value.toString()}, want ${want.toString()}`;
}

/** The attribute `name` of a JSON file read with JustAttributes (json.Parse + Body.JustAttributes). */
function jsonAttribute(src: string, filename: string, name: string): Expression | string {
  const f = parseJSONFile(src, filename);
  if (f.diagnostics.length > 0) return `parse: ${show(f.diagnostics)}`;
  const attrs = f.body.justAttributes();
  if (attrs.diagnostics.length > 0) return `justAttributes: ${show(attrs.diagnostics)}`;
  const attr = attrs.attributes.get(name);
  return attr === undefined ? `no attribute ${name}` : attr.expr;
}

function runJSONBody(v: Vector): string | undefined {
  const ctx = buildContext(v);
  if (typeof ctx === 'string') return ctx;
  const expr = jsonAttribute(v.input!, v.filename ?? '', v.attribute!);
  if (typeof expr === 'string') return expr;
  const r = expr.value(ctx);
  const want = v.expect.error_contains;
  if (want !== undefined) {
    const first = r.diagnostics[0];
    if (first === undefined) return `want a diagnostic containing ${JSON.stringify(want)}; got none`;
    const text = `${first.subject ? formatRange(first.subject) : ''}: ${first.summary}; ${first.detail}`;
    if (!text.includes(want)) return `first diagnostic ${JSON.stringify(text)} lacks ${JSON.stringify(want)}`;
  } else if (r.diagnostics.length !== (v.expect.diagnostics ?? 0)) {
    return `${r.diagnostics.length} diagnostics, want ${v.expect.diagnostics ?? 0}: ${show(r.diagnostics)}`;
  }
  const wantValue = decodeValue(v.expect.value);
  return vectorEquals(r.value, wantValue) ? undefined : `value ${r.value.toString()}, want ${wantValue.toString()}`;
}

function runIndex(v: Vector): string | undefined {
  const r = index(decodeValue(v.collection), decodeValue(v.key));
  if (v.expect.error_summary !== undefined) {
    return r.diagnostics.some((d) => d.summary === v.expect.error_summary) ? undefined : `want ${v.expect.error_summary}; got ${show(r.diagnostics)}`;
  }
  if (r.diagnostics.length > 0) return `unexpected ${show(r.diagnostics)}`;
  const want = decodeValue(v.expect.value);
  return vectorEquals(r.value, want) ? undefined : `value ${r.value.toString()}, want ${want.toString()}`;
}

/** The vector's type expression: native syntax, or the `expr` attribute of a JSON file (TestGetTypeJSON). */
function typeExpression(v: Vector): Expression | string {
  if (v.mode === 'json-expression') return jsonAttribute(v.input!, v.filename ?? '', 'expr');
  const parsed = parseExpression(v.input!, v.filename ?? '');
  if (parsed.diagnostics.length > 0) return `parse: ${show(parsed.diagnostics)}`;
  return toExpression(parsed.value);
}

function runTypeExpr(v: Vector): string | undefined {
  const expr = typeExpression(v);
  if (typeof expr === 'string') return expr;
  const r = getType(expr, v.constraint === true);
  const detail = v.expect.error_detail;
  if (detail !== undefined) {
    if (!r.diagnostics.some((d) => d.detail === detail)) return `want error ${detail}; got ${show(r.diagnostics)}`;
  } else if (r.diagnostics.length > 0) {
    return `unexpected ${show(r.diagnostics)}`;
  }
  const want = decodeType(v.expect.type);
  if (want !== undefined && !cty.typeEquals(r.type, want)) return `type ${cty.typeGoString(r.type)}, want ${cty.typeGoString(want)}`;
  return undefined;
}

function runVector(v: Vector): string | undefined {
  switch (v.kind) {
    case 'eval':
    case 'eval-error':
      return runEval(v);
    case 'eval-json-body':
      return runJSONBody(v);
    case 'index-op':
      return runIndex(v);
    case 'type-expression':
      return runTypeExpr(v);
    default:
      return `unknown kind ${v.kind}`;
  }
}

export const hclExpressionsSuite: Suite = {
  name: 'hcl-expressions',
  run(): Promise<SuiteResult> {
    const data = JSON.parse(readFileSync(sharedPath('conformance', 'hcl-expressions.json'), 'utf8')) as { vectors: Vector[] };
    return Promise.resolve(
      tallyVectors(data.vectors, {
        skip: (v) => SKIPPED[v.kind] !== undefined || SKIPPED[v.mode] !== undefined,
        check: runVector,
        label: (v) => `${v.id} ${JSON.stringify(v.input ?? '')}`,
      }),
    );
  },
};
