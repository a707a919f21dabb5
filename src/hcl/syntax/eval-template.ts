/**
 * String templates (hclsyntax TemplateExpr and TemplateJoinExpr): every part is
 * converted to a string; nulls and unconvertible values are errors; an unknown part
 * makes the result an unknown string; marks of all parts go onto the result.
 */
import * as cty from '../cty/index.js';
import type { Diagnostic } from '../diagnostic.js';
import { hasErrors } from '../diagnostic.js';
import type { EvalContext } from '../eval-context.js';
import type { ValueResult } from '../traversal.js';
import type * as ast from './ast.js';
import { evaluate, toExpression } from './eval.js';
import { StringNode } from './expr-nodes.js';


// No closures in these per-evaluation functions: the bundle's keepNames helper names each
// closure it creates, which cost more than the evaluation of a short template.
function invalidPart(node: ast.TemplateExpr, part: ast.Expression, ctx: EvalContext | undefined, detail: string): Diagnostic {
  return {
    severity: 'error', summary: 'Invalid template interpolation value', detail,
    subject: part.srcRange, context: node.srcRange, expression: toExpression(part), evalContext: ctx,
  };
}

export function evalTemplate(node: ast.TemplateExpr, ctx: EvalContext | undefined): ValueResult {
  // A plain quoted string: its text (no parts array to build).
  if (node instanceof StringNode) return { value: cty.stringVal(node.text), diagnostics: [] };
  const parts = node.parts;
  // Literal text is appended as is: NFC of the whole equals NFC of the NFC'd pieces joined.
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only !== undefined && only.kind === 'literal' && only.value.kind === 'string') return { value: cty.stringVal(only.value.value), diagnostics: [] };
  const diags: Diagnostic[] = [];
  const marks: cty.Marks[] = [];
  let isKnown = true;
  let buf = '';
  for (const part of parts) {
    if (part.kind === 'literal' && part.value.kind === 'string') {
      if (isKnown && !hasErrors(diags)) buf += part.value.value;
      continue;
    }
    const r = evaluate(part, ctx);
    if (r.diagnostics.length > 0) diags.push(...r.diagnostics);
    if (r.value.isNull()) {
      diags.push(invalidPart(node, part, ctx, 'The expression result is null. Cannot include a null value in a string template.'));
      continue;
    }
    const [plain, m] = cty.unmark(r.value);
    if (m !== undefined && m.size > 0) marks.push(m);
    if (!plain.isKnown()) {
      isKnown = false;
      continue;
    }
    const s = cty.convertValue(plain, cty.stringType);
    if (s instanceof cty.PathError) {
      diags.push(invalidPart(node, part, ctx, `Cannot include the given value in a string template: ${s.message}.`));
      continue;
    }
    if (isKnown && !hasErrors(diags)) buf += s.asString();
  }
  const value = isKnown ? cty.stringVal(buf) : cty.unknownVal(cty.stringType);
  return { value: marks.length === 0 ? value : cty.withMarks(value, ...marks), diagnostics: diags };
}

export function evalTemplateJoin(node: ast.TemplateJoinExpr, ctx: EvalContext | undefined): ValueResult {
  const r = evaluate(node.tuple, ctx);
  const diags = [...r.diagnostics];
  const tuple = r.value;
  if (tuple.isNull() || !tuple.isKnown() || tuple.type.kind !== 'tuple') {
    return { value: cty.unknownVal(cty.stringType), diagnostics: diags };
  }
  const [plain, marks] = cty.unmark(tuple);
  const all: Array<cty.Marks | undefined> = [marks];
  let buf = '';
  const invalid = (detail: string): void => {
    diags.push({
      severity: 'error', summary: 'Invalid template interpolation value', detail,
      subject: node.srcRange, expression: toExpression(node), evalContext: ctx,
    });
  };
  for (const val of plain.asArray()) {
    if (val.isNull()) {
      invalid('An iteration result is null. Cannot include a null value in a string template.');
      continue;
    }
    if (val.type.kind === 'dynamic') return { value: cty.withMarks(cty.unknownVal(cty.stringType), marks), diagnostics: diags };
    const s = cty.convertValue(val, cty.stringType);
    if (s instanceof cty.PathError) {
      invalid(`Cannot include one of the interpolation results into the string template: ${s.message}.`);
      continue;
    }
    if (!val.isKnown()) return { value: cty.withMarks(cty.unknownVal(cty.stringType), marks), diagnostics: diags };
    const [str, sm] = cty.unmark(s);
    all.push(sm);
    buf += str.asString();
  }
  return { value: cty.withMarks(cty.stringVal(buf), ...all), diagnostics: diags };
}
