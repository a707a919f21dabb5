import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cty from '../cty/index.js';
import { decode } from '../dec/index.js';
import type { Spec } from '../dec/index.js';
import type { Diagnostic } from '../diagnostic.js';
import { EvalContext } from '../eval-context.js';
import { parseJSONFile } from '../json/parse.js';
import { parseNativeFile } from '../syntax/body-file.js';
import { expandDynamicBlocks } from './expand.js';

const ctx = new EvalContext({
  variables: {
    ports: cty.tupleVal([cty.numberIntVal(22), cty.numberIntVal(80)]),
    disks: cty.objectVal({ a: cty.numberIntVal(1), b: cty.numberIntVal(2) }),
    unknown: cty.unknownVal(cty.listOf(cty.stringType)),
  },
});
const expand = (src: string) => {
  const f = parseNativeFile(src, 'in.hcl');
  assert.deepEqual(f.diagnostics, []);
  return expandDynamicBlocks(f.body, ctx);
};
const details = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.summary}: ${d.detail}`);

const portSpec: Spec = { kind: 'block-list', typeName: 'port', nested: { kind: 'attr', name: 'n', type: cty.numberType } };

describe('expandDynamicBlocks', () => {
  it('generates one block per element, with the iterator bound', () => {
    const b = expand('port { n = 1 }\ndynamic "port" {\n  for_each = ports\n  content { n = port.value + port.key }\n}\n');
    const r = decode(b, portSpec, ctx);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.value.asArray().map((v) => cty.formatNum(v.asNumber())), ['1', '22', '81']);
  });

  it('uses labels, custom iterators and nested dynamic blocks', () => {
    const b = expand('dynamic "disk" {\n  for_each = disks\n  iterator = d\n  labels = [d.key]\n  content {\n    size = d.value\n    dynamic "part" {\n      for_each = ports\n      content { n = "${d.key}-${part.value}" }\n    }\n  }\n}\n');
    const spec: Spec = {
      kind: 'block-map', typeName: 'disk', labelNames: ['name'],
      nested: { kind: 'object', attributes: { size: { kind: 'attr', name: 'size', type: cty.numberType }, parts: { kind: 'block-list', typeName: 'part', nested: { kind: 'attr', name: 'n', type: cty.stringType } } } },
    };
    const r = decode(b, spec, ctx);
    assert.deepEqual(r.diagnostics, []);
    const a = r.value.asMap().get('a')!.asMap();
    assert.equal(cty.formatNum(a.get('size')!.asNumber()), '1');
    assert.deepEqual(a.get('parts')!.asArray().map((v) => v.asString()), ['a-22', 'a-80']);
  });

  it('makes the result unknown for an unknown for_each', () => {
    const r = decode(expand('dynamic "port" {\n  for_each = unknown\n  content { n = 1 }\n}\n'), portSpec, ctx);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.value.isKnown(), false);
  });

  it("reports the extension's diagnostics", () => {
    const cases: [string, string][] = [
      ['dynamic "port" {\n  for_each = 1\n  content {}\n}\n', 'Invalid dynamic for_each value: Cannot use a number value in for_each. An iterable collection is required.'],
      ['dynamic "port" {\n  for_each = null\n  content {}\n}\n', 'Invalid dynamic for_each value: Cannot use a null value in for_each.'],
      ['dynamic "port" {\n  for_each = ports\n}\n', 'Missing dynamic content block: A dynamic block must have a nested block of type "content" to describe the body of each generated block.'],
      ['dynamic "port" {\n  for_each = ports\n  content {}\n  content {}\n}\n', 'Extraneous dynamic content block: Only one nested content block is allowed for each dynamic block.'],
      ['dynamic "port" {\n  for_each = ports\n  iterator = a.b\n  content {}\n}\n', 'Invalid dynamic iterator name: Dynamic iterator must be a single variable name.'],
      ['dynamic "nope" {\n  for_each = ports\n  content {}\n}\n', 'Unsupported block type: Blocks of type "nope" are not expected here.'],
    ];
    for (const [src, want] of cases) assert.deepEqual(details(decode(expand(src), portSpec, ctx).diagnostics), [want], src);
    const labelled: Spec = { kind: 'block-list', typeName: 'disk', nested: { kind: 'block-label', index: 0, name: 'name' } };
    assert.deepEqual(details(decode(expand('dynamic "disk" {\n  for_each = ports\n  labels = ["a", "b"]\n  content {}\n}\n'), labelled, ctx).diagnostics), [
      'Extraneous dynamic block label: Blocks of type "disk" require 1 label(s).',
    ]);
    assert.deepEqual(details(decode(expand('dynamic "disk" {\n  for_each = ports\n  labels = [null]\n  content {}\n}\n'), labelled, ctx).diagnostics), [
      'Invalid dynamic block label: Cannot use a null value as a dynamic block label.',
      'Invalid dynamic block label: Cannot use a null value as a dynamic block label.',
    ]);
  });

  it('expands JSON bodies too, and hides partial reads', () => {
    const f = parseJSONFile('{"dynamic": {"port": {"for_each": "${ports}", "content": {"n": "${port.value}"}}}, "x": 1}', 'in.json');
    const b = expandDynamicBlocks(f.body, ctx);
    const first = b.partialContent({ blocks: [{ type: 'port' }] });
    assert.deepEqual(first.diagnostics, []);
    assert.equal(first.content.blocks.length, 2);
    const rest = first.remain.content({ attributes: [{ name: 'x' }] });
    assert.deepEqual(rest.diagnostics, []);
    assert.equal(rest.content.blocks.length, 0);
  });
});
