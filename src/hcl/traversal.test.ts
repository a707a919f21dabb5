import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cty from './cty/index.js';
import { EvalContext } from './eval-context.js';
import type { Range } from './pos.js';
import { nameSuggestion } from './suggest.js';
import { getAttr, index, traverseAbs, traverseRel } from './traversal.js';
import type { Traversal } from './traversal.js';

const r: Range = { filename: 't.hcl', start: { line: 1, column: 1, byte: 0 }, end: { line: 1, column: 2, byte: 1 } };
const detail = (x: { diagnostics: readonly { detail: string }[] }) => x.diagnostics[0]?.detail;

describe('traversals and the index/attribute operations', () => {
  it('indexes lists, maps and objects with HCL messages', () => {
    const list = cty.listVal([cty.stringVal('a')]);
    assert.equal(index(list, cty.stringVal('0')).value.asString(), 'a');
    assert.match(detail(index(list, cty.numberFloatVal(0.5)))!, /fractional part/);
    assert.match(detail(index(list, cty.numberIntVal(-1)))!, /negative number/);
    assert.match(detail(index(cty.listValEmpty(cty.stringType), cty.numberIntVal(0)))!, /has no elements/);
    assert.equal(detail(index(cty.objectVal({ a: cty.trueVal }), cty.numberIntVal(1))),
      'The given key does not identify an element in this collection value. An object only supports looking up attributes by name, not by numeric index.');
    assert.equal(index(cty.nullVal(list.type), cty.numberIntVal(0)).diagnostics[0]?.summary, 'Attempt to index null value');
    const marked = index(cty.mark(list, 's'), cty.numberIntVal(0)).value;
    assert.ok(cty.hasMark(marked, 's'));
  });

  it('gets attributes with hints for lists of objects and primitives', () => {
    assert.equal(getAttr(cty.mapVal({ k: cty.trueVal }), 'x', r).diagnostics[0]?.summary, 'Missing map element');
    assert.match(detail(getAttr(cty.listVal([cty.objectVal({ a: cty.trueVal })]), 'a'))!, /attribute "a" for a specific element/);
    assert.equal(detail(getAttr(cty.trueVal, 'a')), "Can't access attributes on a primitive-typed value (bool).");
    assert.ok(cty.rawEquals(getAttr(cty.unknownVal(cty.objectOf({ a: cty.stringType })), 'a').value, cty.unknownVal(cty.stringType)));
  });

  it('resolves absolute traversals through the context chain', () => {
    const t: Traversal = [{ kind: 'root', name: 'var', srcRange: r }, { kind: 'attr', name: 'x', srcRange: r }];
    const parent = new EvalContext({ variables: { var: cty.objectVal({ x: cty.numberIntVal(1) }) } });
    const child = parent.newChild({ variables: { other: cty.trueVal } });
    assert.equal(cty.toSafeInteger(traverseAbs(t, child).value.asNumber()), 1);
    assert.equal(traverseAbs(t, undefined).diagnostics[0]?.summary, 'Variables not allowed');
    assert.equal(detail(traverseAbs(t, new EvalContext({ variables: { vars: cty.trueVal } }))), 'There is no variable named "var". Did you mean "vars"?');
    assert.equal(traverseRel(t.slice(1), cty.trueVal).diagnostics[0]?.summary, 'Unsupported attribute');
  });

  it('suggests names within edit distance 2', () => {
    assert.equal(nameSuggestion('uper', ['lower', 'upper']), 'upper');
    assert.equal(nameSuggestion('zzzz', ['upper']), undefined);
  });
});
