import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cty from '../cty/index.js';
import { absTraversalForExpr, exprAsKeyword, keywordOf } from '../expression.js';
import { toExpression } from '../syntax/eval.js';
import { parseExpression } from '../syntax/parse.js';
import { typeConstraint, typeConstraintWithDefaults, typeOf, typeString } from './index.js';

const e = (src: string) => toExpression(parseExpression(src, 'v.pkr.hcl').value);

describe('type expressions', () => {
  it('read a keyword as the general traversal path does (native expressions answer it directly)', () => {
    for (const src of ['string', 'any', '(string)', '"string"', 'null', 'true', 'list(string)', 'a.b', 'a[0]', 'string...', '{a = 1}']) {
      const expr = e(src);
      assert.equal(exprAsKeyword(expr), keywordOf(absTraversalForExpr(expr).value), src);
    }
    assert.equal(exprAsKeyword(e('number')), 'number');
  });

  it('reads types and constraints', () => {
    assert.ok(cty.typeEquals(typeOf(e('list(map(number))')).type, cty.listOf(cty.mapOf(cty.numberType))));
    assert.ok(cty.typeEquals(typeConstraint(e('map(any)')).type, cty.mapOf(cty.dynamicType)));
    const obj = typeConstraint(e('object({a = string, b = optional(tuple([bool]))})'));
    assert.deepEqual(obj.diagnostics, []);
    assert.ok(cty.typeEquals(obj.type, cty.objectOf({ a: cty.stringType, b: cty.tupleOf([cty.boolType]) }, ['b'])));
  });

  it('reports HCL errors', () => {
    assert.equal(typeOf(e('any')).diagnostics[0]?.detail, 'The keyword "any" cannot be used in this type specification: an exact type is required.');
    assert.equal(typeOf(e('list(string, number)')).diagnostics[0]?.detail, 'The list type constructor requires one argument specifying the element type.');
    assert.equal(typeOf(e('object({a = optional(string)})')).diagnostics[0]?.detail, 'Optional attribute modifier is only for type constraints, not for exact types.');
    assert.equal(typeConstraint(e('object({a = optional(string, "x")})')).diagnostics[0]?.detail, 'Optional attribute modifier expects only one argument: the attribute type.');
    assert.equal(typeOf(e('"string"')).diagnostics[0]?.summary, 'Invalid type specification');
    assert.equal(typeOf(e('toString')).diagnostics[0]?.detail, 'The keyword "toString" is not a valid type specification.');
  });

  it('applies optional attribute defaults, nested in collections', () => {
    const r = typeConstraintWithDefaults(e('list(object({name = string, port = optional(number, 22)}))'));
    assert.deepEqual(r.diagnostics, []);
    const given = cty.tupleVal([cty.objectVal({ name: cty.stringVal('a') }), cty.objectVal({ name: cty.stringVal('b'), port: cty.numberIntVal(2) })]);
    const applied = r.defaults!.apply(given);
    const converted = cty.convertValue(applied, r.type);
    assert.ok(!(converted instanceof cty.PathError));
    const ports = converted.asArray().map((o) => cty.toSafeInteger(cty.getAttr(o, 'port').asNumber()));
    assert.deepEqual(ports, [22, 2]);
  });

  it('rejects a default that does not fit the attribute type', () => {
    const r = typeConstraintWithDefaults(e('object({a = optional(number, "x")})'));
    assert.equal(r.diagnostics[0]?.summary, 'Invalid default value for optional attribute');
  });

  it('writes types back (typeString)', () => {
    assert.equal(typeString(cty.objectOf({ b: cty.listOf(cty.dynamicType), 'a b': cty.boolType })), 'object({"a b"=bool,b=list(any)})');
    assert.equal(typeString(cty.tupleOf([cty.stringType, cty.setOf(cty.numberType)])), 'tuple([string,set(number)])');
  });
});
