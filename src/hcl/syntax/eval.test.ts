import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cty from '../cty/index.js';
import type { Diagnostic } from '../diagnostic.js';
import { EvalContext } from '../eval-context.js';
import { absTraversalForExpr, exprAsKeyword, exprCall, exprList, exprMap, relTraversalForExpr } from '../expression.js';
import { upperFunc } from '../functions/string.js';
import { canFunc, tryFunc } from '../functions/try-can.js';
import { rootName } from '../traversal.js';
import { toExpression } from './eval.js';
import { parseExpression, parseTemplate } from './parse.js';

const expr = (src: string) => {
  const r = parseExpression(src, 't.hcl');
  assert.deepEqual(r.diagnostics, [], `parse ${src}`);
  return toExpression(r.value);
};
const ctx = (vars: Record<string, cty.Value> = {}) => new EvalContext({ variables: vars, functions: { upper: upperFunc, try: tryFunc, can: canFunc } });
const evalIn = (src: string, c: EvalContext | undefined = ctx()) => expr(src).value(c);
const val = (src: string, c?: EvalContext) => {
  const r = evalIn(src, c);
  assert.deepEqual(r.diagnostics.map((d) => d.summary), [], `diagnostics of ${src}`);
  return r.value;
};
const only = (ds: readonly Diagnostic[]): Diagnostic => {
  assert.equal(ds.length, 1, ds.map((d) => d.summary).join('; '));
  return ds[0]!;
};
const same = (a: cty.Value, b: cty.Value) => assert.ok(cty.rawEquals(a, b), `${a.toString()} != ${b.toString()}`);

describe('native expression evaluation', () => {
  it('keeps number literals exact', () => {
    same(val('0.1 + 0.2'), cty.parseNumberVal('0.3')!);
    same(val('123456789012345678901234567890'), cty.parseNumberVal('123456789012345678901234567890')!);
  });

  it('converts template parts to strings and carries marks', () => {
    const c = ctx({ n: cty.numberIntVal(5), s: cty.mark(cty.stringVal('x'), 'sensitive') });
    same(val('"a${n}-${true}"', c), cty.stringVal('a5-true'));
    same(val('"${s}!"', c), cty.mark(cty.stringVal('x!'), 'sensitive'));
    same(val('"${null}"'), cty.nullVal(cty.dynamicType)); // a lone interpolation passes its value through
    const r = evalIn('"a${null}"');
    assert.equal(only(r.diagnostics).summary, 'Invalid template interpolation value');
  });

  it('evaluates template directives with strip markers', () => {
    const r = parseTemplate('%{ for x in ["a", "b"] ~}\n${x}\n%{~ endfor }', 't.tpl');
    assert.deepEqual(r.diagnostics, []);
    same(toExpression(r.value).value(undefined).value, cty.stringVal('ab'));
    same(toExpression(parseTemplate('%{if true}yes%{else}no%{endif}').value).value(undefined).value, cty.stringVal('yes'));
  });

  it('reports variables without a context and unknown names with a suggestion', () => {
    const none = only(expr('foo').value(undefined).diagnostics);
    assert.equal(none.summary, 'Variables not allowed');
    const d = only(evalIn('fooo', ctx({ foo: cty.trueVal })).diagnostics);
    assert.equal(d.detail, 'There is no variable named "fooo". Did you mean "foo"?');
    assert.ok(d.expression !== undefined && d.evalContext !== undefined, 'evaluation diagnostics carry the expression and context');
  });

  it('reports unknown functions with a suggestion and arity errors', () => {
    assert.equal(only(evalIn('uper("a")').diagnostics).detail, 'There is no function named "uper". Did you mean "upper"?');
    assert.equal(only(evalIn('upper("a")', new EvalContext({ variables: {} })).diagnostics).summary, 'Function calls not allowed');
    assert.equal(only(evalIn('upper()').diagnostics).detail, 'Function "upper" expects 1 argument(s). Missing value for "str".');
    const too = only(evalIn('upper("a", "b")').diagnostics);
    assert.equal(too.summary, 'Too many function arguments');
    assert.equal(too.subject?.start.column, 13); // a quoted string starts at its first part, inside the quotes
    assert.equal(only(evalIn('ns::upper("a")').diagnostics).detail, 'There are no functions in namespace "ns::".');
  });

  it('points argument conversion errors at the argument', () => {
    const d = only(evalIn('upper(["a"])').diagnostics);
    assert.equal(d.summary, 'Invalid function argument');
    assert.equal(d.detail, 'Invalid value for "str" parameter: string required, but have tuple.');
    assert.equal(d.subject?.start.column, 7);
  });

  it('expands the final argument with ...', () => {
    same(val('upper(["a"]...)'), cty.stringVal('A'));
    assert.equal(only(evalIn('upper("a"...)').diagnostics).summary, 'Invalid expanding argument value');
  });

  it('unifies conditional results and reports mismatches', () => {
    same(val('true ? 1 : "2"'), cty.stringVal('1'));
    same(val('false ? null : 3'), cty.numberIntVal(3));
    same(val('c ? 1 : 2', ctx({ c: cty.unknownVal(cty.boolType) })), cty.unknownVal(cty.numberType));
    assert.equal(only(evalIn('null ? 1 : 2').diagnostics).summary, 'Null condition');
    assert.equal(only(evalIn('"x" ? 1 : 2').diagnostics).summary, 'Incorrect condition type');
  });

  it('applies operators with HCL messages', () => {
    same(val('5 % 3 == 2 && !false'), cty.trueVal);
    const d = only(evalIn('1 + "a"').diagnostics);
    assert.equal(d.detail, 'Unsuitable value for right operand: a number is required.');
    assert.equal(only(evalIn('null + 1').diagnostics).detail, 'Error during operation: argument must not be null.');
    same(val('-x', ctx({ x: cty.mark(cty.numberIntVal(2), 'm') })), cty.mark(cty.numberIntVal(-2), 'm'));
  });

  it('builds objects and tuples with HCL key rules', () => {
    same(val('{a = 1, "b" = 2, (k) = 3}', ctx({ k: cty.stringVal('c') })), cty.objectVal({ a: cty.numberIntVal(1), b: cty.numberIntVal(2), c: cty.numberIntVal(3) }));
    assert.equal(only(evalIn('{a.b = 1}').diagnostics).summary, 'Ambiguous attribute key');
    assert.equal(only(evalIn('{(null) = 1}').diagnostics).summary, 'Null value as key');
  });

  it('evaluates for expressions, grouping and duplicate keys', () => {
    same(val('[for i, v in ["a", "b"] : "${i}${v}" if v != "b"]'), cty.tupleVal([cty.stringVal('0a')]));
    same(val('{for v in ["a", "a"] : v => v...}'), cty.objectVal({ a: cty.tupleVal([cty.stringVal('a'), cty.stringVal('a')]) }));
    assert.equal(only(evalIn('{for v in ["a", "a"] : v => v}').diagnostics).summary, 'Duplicate object key');
    assert.equal(only(evalIn('[for v in null : v]').diagnostics).summary, 'Iteration over null value');
    same(val('[for v in x : v]', ctx({ x: cty.unknownVal(cty.listOf(cty.stringType)) })), cty.dynamicVal);
  });

  it('splats lists, single values and null', () => {
    const objs = cty.listVal([cty.objectVal({ n: cty.stringVal('a') }), cty.objectVal({ n: cty.stringVal('b') })]);
    same(val('l[*].n', ctx({ l: objs })), cty.listVal([cty.stringVal('a'), cty.stringVal('b')]));
    same(val('o.*.n', ctx({ o: cty.objectVal({ n: cty.stringVal('a') }) })), cty.tupleVal([cty.stringVal('a')]));
    same(val('null[*]'), cty.emptyTupleVal);
  });

  it('indexes with HCL diagnostics', () => {
    same(val('["a", "b"][1]'), cty.stringVal('b'));
    assert.equal(only(evalIn('["a"][1]').diagnostics).detail, 'The given key does not identify an element in this collection value: the given index is greater than or equal to the length of the collection.');
    assert.equal(only(evalIn('"s".x').diagnostics).detail, "Can't access attributes on a primitive-typed value (string).");
  });

  it('try and can catch errors in their arguments', () => {
    same(val('try(nope, "fallback")'), cty.stringVal('fallback'));
    same(val('can(nope)'), cty.falseVal);
    same(val('can(1)'), cty.trueVal);
  });

  it('lists variables, leaving out for-expression iterators', () => {
    const vars = expr('[for k, v in var.m : "${k}${v}${local.x}" if v != other]').variables().map(rootName);
    assert.deepEqual(vars, ['var', 'local', 'other']);
    assert.deepEqual(expr('{a = b}').variables().map(rootName), ['b']);
  });

  it('supports the static analysis helpers', () => {
    assert.equal(exprAsKeyword(expr('string')), 'string');
    assert.equal(exprAsKeyword(expr('a.b')), undefined);
    const list = exprList(expr('["source.null.a", source.null.b]'));
    assert.equal(list.value?.length, 2);
    const t = absTraversalForExpr(list.value![1]!);
    assert.deepEqual(t.value?.map((s) => s.kind), ['root', 'attr', 'attr']);
    assert.equal(relTraversalForExpr(list.value![1]!).value?.[0]?.kind, 'attr');
    assert.equal(absTraversalForExpr(list.value![0]!).diagnostics[0]?.summary, 'Invalid expression');
    assert.equal(exprMap(expr('{a = 1}')).value?.length, 1);
    assert.equal(exprCall(expr('list(string)')).value?.name, 'list');
    assert.equal(exprCall(expr('x')).diagnostics[0]?.detail, 'A static function call is required.');
  });

  it('reports nesting too deep for evaluation instead of overflowing', () => {
    // Binary operators chain without parser nesting, so only the evaluator can stop these.
    const src = Array.from({ length: 20000 }, () => '1').join(' + ');
    const r = parseExpression(src);
    const out = toExpression(r.value).value(undefined);
    assert.equal(out.diagnostics[0]?.summary, 'Expression too complex');
  });
});
