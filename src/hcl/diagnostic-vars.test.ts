import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cty from './cty/index.js';
import { renderDiagnostic } from './diagnostic-text.js';
import { goQuote, traversalStr, valueStr, variableStatements } from './diagnostic-vars.js';
import { EvalContext } from './eval-context.js';
import { parseNativeFile } from './syntax/body-file.js';

describe('diagnostic-vars', () => {
  it('summarises values as HCL does', () => {
    assert.equal(valueStr(cty.stringVal('a"b\n')), '"a\\"b\\n"');
    assert.equal(valueStr(cty.numberFloatVal(1 / 3)), '0.3333333333');
    assert.equal(valueStr(cty.trueVal), 'true');
    assert.equal(valueStr(cty.nullVal(cty.stringType)), 'null');
    assert.equal(valueStr(cty.listVal([cty.stringVal('a')])), 'list of string with 1 element');
    assert.equal(valueStr(cty.tupleVal([])), 'empty tuple');
    assert.equal(valueStr(cty.mapVal({ a: cty.trueVal, b: cty.falseVal })), 'map of bool with 2 elements');
    assert.equal(valueStr(cty.objectVal({ a: cty.trueVal })), 'object with 1 attribute "a"');
    assert.equal(valueStr(cty.emptyObjectVal), 'object with no attributes');
    assert.equal(goQuote('tab\there\x01\u00a0é'), '"tab\\there\\x01\\u00a0é"');
  });

  it('renders traversals with primitive keys and placeholders', () => {
    const t = [
      { kind: 'root', name: 'var', srcRange: r() },
      { kind: 'attr', name: 'x', srcRange: r() },
      { kind: 'index', key: cty.numberIntVal(0), srcRange: r() },
      { kind: 'index', key: cty.stringVal('k'), srcRange: r() },
      { kind: 'index', key: cty.tupleVal([]), srcRange: r() },
    ] as const;
    assert.equal(traversalStr(t), 'var.x[0]["k"][...]');
  });

  it('gives the with-statements of an evaluation diagnostic, skipping unknown and marked values', () => {
    const f = parseNativeFile('a = [var.s, var.n, var.u, var.m, var.z, var.s][9]\n', 'in.hcl');
    const expr = f.body.justAttributes().attributes.get('a')!.expr;
    const ctx = new EvalContext({
      variables: {
        var: cty.objectVal({
          s: cty.stringVal('x'),
          n: cty.numberIntVal(3),
          u: cty.unknownVal(cty.numberType),
          m: cty.mark(cty.numberIntVal(1), 'sensitive'),
          z: cty.nullVal(cty.numberType),
        }),
      },
    });
    const r = expr.value(ctx);
    const diag = r.diagnostics[0]!;
    assert.ok(diag.expression !== undefined);
    assert.deepEqual(variableStatements(diag).sort(), ['var.n as 3', 'var.s as "x"', 'var.z set to null']);
    const text = renderDiagnostic(diag, new Map([['in.hcl', f.file]]), { width: 80, variableStatements });
    assert.match(text, /with var\.n as 3,\n {5}var\.s as "x",\n {5}var\.z set to null\.\n/);
  });
});

function r() {
  return { filename: '', start: { line: 1, column: 1, byte: 0 }, end: { line: 1, column: 1, byte: 0 } };
}
