import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cty from '../cty/index.js';
import type { Diagnostic } from '../diagnostic.js';
import { EvalContext } from '../eval-context.js';
import { parseJSONFile } from '../json/parse.js';
import { parseNativeFile } from '../syntax/body-file.js';
import { decode, impliedSchema, impliedType, partialDecode, sourceRange, variables } from './index.js';
import type { Spec } from './index.js';
import { loadSpecFile } from './spec-file.js';

const body = (src: string) => parseNativeFile(src, 'in.hcl').body;
const details = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.summary}: ${d.detail}`);

const spec: Spec = {
  kind: 'object',
  attributes: {
    name: { kind: 'attr', name: 'name', type: cty.stringType, required: true },
    count: { kind: 'default', primary: { kind: 'attr', name: 'count', type: cty.numberType }, default: { kind: 'literal', value: cty.numberIntVal(1) } },
    disks: { kind: 'block-list', typeName: 'disk', nested: { kind: 'object', attributes: { size: { kind: 'attr', name: 'size', type: cty.numberType } } }, maxItems: 2 },
    tags: { kind: 'block-attrs', typeName: 'tags', elementType: cty.stringType },
    nets: { kind: 'block-map', typeName: 'net', labelNames: ['name'], nested: { kind: 'object', attributes: { cidr: { kind: 'attr', name: 'cidr', type: cty.stringType } } } },
  },
};

describe('hcldec decode', () => {
  it('decodes a body into one value with conversions and defaults', () => {
    const r = decode(body('name = 5\ndisk { size = "10" }\ndisk { size = 20 }\ntags { a = "b" }\nnet "lan" { cidr = "10.0.0.0/8" }\n'), spec);
    assert.deepEqual(r.diagnostics, []);
    const m = r.value.asMap();
    assert.equal(m.get('name')!.asString(), '5');
    assert.ok(cty.rawEquals(m.get('count')!, cty.numberIntVal(1)));
    assert.equal(m.get('disks')!.asArray().length, 2);
    assert.equal(m.get('tags')!.asMap().get('a')!.asString(), 'b');
    assert.equal(m.get('nets')!.asMap().get('lan')!.asMap().get('cidr')!.asString(), '10.0.0.0/8');
  });

  it('gives empty collections and nulls for what is absent', () => {
    const r = decode(body('name = "x"\n'), spec);
    assert.deepEqual(r.diagnostics, []);
    const m = r.value.asMap();
    assert.ok(cty.rawEquals(m.get('disks')!, cty.listValEmpty(cty.objectOf({ size: cty.numberType }))));
    assert.ok(m.get('tags')!.isNull());
    assert.ok(cty.rawEquals(m.get('nets')!, cty.mapValEmpty(cty.objectOf({ cidr: cty.stringType }))));
  });

  it("reports hcldec's diagnostics", () => {
    const r = decode(body('disk {}\ndisk {}\ndisk {}\nname = {}\nnet "a" {}\nnet "a" {}\ntags { x = [] }\n'), spec);
    assert.deepEqual(details(r.diagnostics), [
      'Incorrect attribute value type: Inappropriate value for attribute "name": string required, but have object.',
      'Too many disk blocks: No more than 2 "disk" blocks are allowed',
      'Invalid attribute value: Invalid value for attribute of "tags" block: string required, but have tuple.',
      'Duplicate net block: A block for net "a" was already defined. The net labels must be unique.',
    ]);
    const single: Spec = { kind: 'block', typeName: 'b', nested: { kind: 'object', attributes: {} }, required: true };
    assert.deepEqual(details(decode(body(''), single).diagnostics), ['Missing b block: A block of type "b" is required here.']);
    assert.deepEqual(details(decode(body('b {}\nb {}\n'), single).diagnostics), ['Duplicate b block: Only one block of type "b" is allowed. Previous definition was at in.hcl:1,1-2.']);
    const min: Spec = { kind: 'block-set', typeName: 'b', nested: { kind: 'literal', value: cty.trueVal }, minItems: 1 };
    assert.deepEqual(details(decode(body(''), min).diagnostics), ['Insufficient b blocks: At least 1 "b" blocks are required.']);
    assert.deepEqual(details(decode(body('x = 1\n'), { kind: 'object', attributes: {} }).diagnostics), ['Unsupported argument: An argument named "x" is not expected here.']);
  });

  it('reads labels, implies schemas and types, and finds variables and source ranges', () => {
    const s: Spec = { kind: 'block-list', typeName: 'b', nested: { kind: 'tuple', elements: [{ kind: 'block-label', index: 0, name: 'name' }, { kind: 'attr', name: 'v', type: cty.dynamicType }] } };
    assert.deepEqual(impliedSchema(s).blocks, [{ type: 'b', labelNames: ['name'] }]);
    const b = body('b "one" { v = var.x }\n');
    const ctx = new EvalContext({ variables: { var: cty.objectVal({ x: cty.numberIntVal(3) }) } });
    const r = decode(b, s, ctx);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.value.asArray()[0]!.asArray()[0]!.asString(), 'one');
    assert.equal(variables(b, s).length, 1);
    assert.equal(sourceRange(body('v = var.x\n'), { kind: 'attr', name: 'v', type: cty.dynamicType }).start.byte, 4);
    assert.equal(impliedType(spec).kind, 'object');
  });

  it('partialDecode leaves the rest', () => {
    const r = partialDecode(body('a = 1\nb = 2\n'), { kind: 'attr', name: 'a', type: cty.numberType });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual([...r.remain.justAttributes().attributes.keys()], ['b']);
  });

  it('decodes JSON bodies the same way', () => {
    const f = parseJSONFile('{"name": "x", "disk": [{"size": 1}, {"size": 2}], "net": {"lan": {"cidr": "c"}}}', 'in.json');
    const r = decode(f.body, spec);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.value.asMap().get('disks')!.asArray().length, 2);
  });
});

describe('hcldec spec files', () => {
  it('loads the spec language with variables', () => {
    const src = 'variables {\n  x = "X"\n}\nobject {\n  attr "a" { type = list(string) }\n  block_map "m" {\n    labels = ["k"]\n    object {\n      attr "v" { type = number }\n    }\n  }\n  default "d" {\n    attr { name = "d" }\n    literal { value = 7 }\n  }\n}\n';
    const f = loadSpecFile(parseNativeFile(src, 'x.hcldec').body);
    assert.deepEqual(f.diagnostics, []);
    assert.equal(f.variables.get('x')!.asString(), 'X');
    const r = decode(body('a = ["q"]\nm "one" { v = 1 }\n'), f.spec);
    assert.deepEqual(r.diagnostics, []);
    assert.ok(cty.rawEquals(r.value.asMap().get('d')!, cty.numberIntVal(7)));
  });

  it('reports spec mistakes', () => {
    const f = loadSpecFile(parseNativeFile('object {}\nobject {}\n', 'x.hcldec').body);
    assert.deepEqual(f.diagnostics.map((d) => d.summary), ['Extraneous spec block']);
  });
});
