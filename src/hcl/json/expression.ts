/**
 * JSON-syntax expressions (json/structure.go's expression). With an evaluation context
 * a JSON string is a native-syntax template (`"${var.x}"`), parsed starting just after
 * its opening quote; without one (`ctx === undefined`) it is a literal string.
 * Arrays become tuples and objects become objects, keys being templates too.
 *
 * Static analysis reads strings as native syntax: `asTraversal` (so `exprAsKeyword`
 * and `absTraversalForExpr` accept `"var.x"`), `exprCall` (`"list(string)"`);
 * arrays and objects offer `exprList` and `exprMap`.
 */
import * as cty from '../cty/index.js';
import type { Diagnostic } from '../diagnostic.js';
import { hasErrors } from '../diagnostic.js';
import type { EvalContext } from '../eval-context.js';
import type { Expression, KeyValuePair, StaticCall } from '../expression.js';
import { exprCall } from '../expression.js';
import type { Pos, Range } from '../pos.js';
import { formatRange } from '../pos.js';
import type { Traversal, ValueResult } from '../traversal.js';
import { toExpression } from '../syntax/eval.js';
import { toTraversal } from '../syntax/eval-traversal.js';
import { parseExpression, parseTemplate, parseTraversalAbs } from '../syntax/parse.js';
import type { JSONNode } from './ast.js';
import { startRange } from './ast.js';

type StringNode = Extract<JSONNode, { kind: 'string' }>;

/** The JSON node as an {@link Expression}. */
export function jsonExpression(node: JSONNode): Expression {
  return new JSONExpression(node);
}

function afterQuote(r: Range): Pos {
  return { line: r.start.line, column: r.start.column + 1, byte: r.start.byte + 1 };
}

function parseStringTemplate(n: StringNode): { expr: Expression; diagnostics: Diagnostic[] } {
  const r = parseTemplate(n.value, n.srcRange.filename, afterQuote(n.srcRange));
  return { expr: toExpression(r.value), diagnostics: r.diagnostics };
}

export class JSONExpression implements Expression {
  constructor(readonly node: JSONNode) {}

  get range(): Range {
    return this.node.srcRange;
  }
  get startRange(): Range {
    return startRange(this.node);
  }

  value(ctx: EvalContext | undefined): ValueResult {
    const n = this.node;
    switch (n.kind) {
      case 'string': {
        if (ctx === undefined) return { value: cty.stringVal(n.value), diagnostics: [] };
        const t = parseStringTemplate(n);
        if (hasErrors(t.diagnostics)) return { value: cty.dynamicVal, diagnostics: t.diagnostics };
        const v = t.expr.value(ctx);
        return { value: v.value, diagnostics: [...t.diagnostics, ...v.diagnostics] };
      }
      case 'number':
        return { value: cty.parseNumberVal(n.text) ?? cty.unknownVal(cty.numberType), diagnostics: [] };
      case 'bool':
        return { value: cty.boolVal(n.value), diagnostics: [] };
      case 'null':
        return { value: cty.nullVal(cty.dynamicType), diagnostics: [] };
      case 'array': {
        const diagnostics: Diagnostic[] = [];
        const vals = n.values.map((el) => {
          const r = new JSONExpression(el).value(ctx);
          diagnostics.push(...r.diagnostics);
          return r.value;
        });
        return { value: cty.tupleVal(vals), diagnostics };
      }
      case 'object':
        return this.objectValue(n, ctx);
      case 'invalid':
        return { value: cty.dynamicVal, diagnostics: [] };
    }
  }

  private objectValue(n: Extract<JSONNode, { kind: 'object' }>, ctx: EvalContext | undefined): ValueResult {
    const diagnostics: Diagnostic[] = [];
    const attrs = new Map<string, cty.Value>();
    const ranges = new Map<string, Range>();
    let known = true;
    for (const prop of n.attrs) {
      const keyNode: StringNode = { kind: 'string', value: prop.name, srcRange: prop.nameRange };
      const nameResult = new JSONExpression(keyNode).value(ctx);
      const valExpr = new JSONExpression(prop.value);
      const val = valExpr.value(ctx);
      diagnostics.push(...nameResult.diagnostics, ...val.diagnostics);
      const keyErr = (detail: string): Diagnostic => ({
        severity: 'error', summary: 'Invalid object key expression', detail, subject: prop.nameRange, expression: valExpr, evalContext: ctx,
      });
      const name = cty.convertValue(nameResult.value, cty.stringType);
      if (name instanceof cty.PathError) {
        diagnostics.push(keyErr(`Cannot use this expression as an object key: ${name.message}.`));
        continue;
      }
      if (name.isNull()) {
        diagnostics.push(keyErr('Cannot use null value as an object key.'));
        continue;
      }
      if (!name.isKnown()) {
        known = false;
        continue;
      }
      const key = cty.unmark(name)[0].asString();
      const prev = ranges.get(key);
      if (prev !== undefined) {
        diagnostics.push({
          severity: 'error',
          summary: 'Duplicate object attribute',
          detail: `An attribute named ${JSON.stringify(key)} was already defined at ${formatRange(prev)}.`,
          subject: prop.nameRange,
          expression: this,
          evalContext: ctx,
        });
        continue;
      }
      attrs.set(key, val.value);
      ranges.set(key, prop.nameRange);
    }
    if (!known) return { value: cty.dynamicVal, diagnostics };
    return { value: cty.objectVal(attrs), diagnostics };
  }

  variables(): Traversal[] {
    const n = this.node;
    switch (n.kind) {
      case 'string': {
        const t = parseStringTemplate(n);
        return hasErrors(t.diagnostics) ? [] : t.expr.variables();
      }
      case 'array':
        return n.values.flatMap((el) => new JSONExpression(el).variables());
      case 'object':
        return n.attrs.flatMap((prop) => [
          ...new JSONExpression({ kind: 'string', value: prop.name, srcRange: prop.nameRange }).variables(),
          ...new JSONExpression(prop.value).variables(),
        ]);
      default:
        return [];
    }
  }

  asTraversal(): Traversal | undefined {
    const n = this.node;
    if (n.kind !== 'string') return undefined;
    const r = parseTraversalAbs(n.value, n.srcRange.filename, n.srcRange.start);
    return hasErrors(r.diagnostics) ? undefined : toTraversal(r.value);
  }

  exprCall(): StaticCall | undefined {
    const n = this.node;
    if (n.kind !== 'string') return undefined;
    const r = parseExpression(n.value, n.srcRange.filename, n.srcRange.start);
    if (hasErrors(r.diagnostics)) return undefined;
    return exprCall(toExpression(r.value)).value;
  }

  exprList(): readonly Expression[] | undefined {
    return this.node.kind === 'array' ? this.node.values.map(jsonExpression) : undefined;
  }

  exprMap(): readonly KeyValuePair[] | undefined {
    const n = this.node;
    if (n.kind !== 'object') return undefined;
    return n.attrs.map((prop) => ({
      key: jsonExpression({ kind: 'string', value: prop.name, srcRange: prop.nameRange }),
      value: jsonExpression(prop.value),
    }));
  }
}
