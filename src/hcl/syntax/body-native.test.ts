import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cty from '../cty/index.js';
import type { Diagnostic } from '../diagnostic.js';
import { mergeBodies } from '../merge.js';
import { parseNativeFile } from './body-file.js';

const parse = (src: string, filename = 'test.hcl') => {
  const f = parseNativeFile(src, filename);
  assert.deepEqual(f.diagnostics, []);
  return f;
};
const summaries = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.summary}: ${d.detail}`);

describe('NativeBody.content', () => {
  it('returns the schema attributes and blocks with their ranges', () => {
    const { body } = parse('a = 1\nsource "docker" "x" {\n  image = "u"\n}\n');
    const r = body.content({ attributes: [{ name: 'a' }], blocks: [{ type: 'source', labelNames: ['type', 'name'] }] });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.content.attributes.get('a')?.expr.value(undefined).value.asNumber(), 1);
    const b = r.content.blocks[0]!;
    assert.deepEqual(b.labels, ['docker', 'x']);
    assert.deepEqual([b.defRange.start.byte, b.defRange.end.byte], [6, 25]);
    assert.deepEqual([b.typeRange.start.byte, b.typeRange.end.byte], [6, 12]);
    assert.equal(b.labelRanges.length, 2);
    const inner = b.body.content({ attributes: [{ name: 'image', required: true }] });
    assert.deepEqual(inner.diagnostics, []);
  });

  it('reports unsupported arguments and blocks with suggestions', () => {
    const { body } = parse('nmae = 1\nprovisioner = 2\nbuild {}\nsorce {}\n');
    const r = body.content({ attributes: [{ name: 'name' }], blocks: [{ type: 'source' }, { type: 'provisioner' }] });
    assert.deepEqual(summaries(r.diagnostics), [
      'Unsupported argument: An argument named "nmae" is not expected here. Did you mean "name"?',
      'Unsupported argument: An argument named "provisioner" is not expected here. Did you mean to define a block of type "provisioner"?',
      'Unsupported block type: Blocks of type "build" are not expected here.',
      'Unsupported block type: Blocks of type "sorce" are not expected here. Did you mean "source"?',
    ]);
    const { body: b2 } = parse('name {}\n');
    assert.deepEqual(summaries(b2.content({ attributes: [{ name: 'name' }] }).diagnostics), [
      'Unsupported block type: Blocks of type "name" are not expected here. Did you mean to define argument "name"? If so, use the equals sign to assign it a value.',
    ]);
  });

  it('reports missing required arguments at the start of the body, and label count problems', () => {
    const { body } = parse('a "x" "y" {}\nb {}\n');
    const r = body.content({ attributes: [{ name: 'req', required: true }], blocks: [{ type: 'a', labelNames: ['one'] }, { type: 'b', labelNames: ['name'] }] });
    assert.deepEqual(summaries(r.diagnostics), [
      'Missing required argument: The argument "req" is required, but no definition was found.',
      'Extraneous label for a: Only 1 labels (one) are expected for a blocks.',
      'Missing name for b: All b blocks must have 1 labels (name).',
    ]);
    assert.equal(r.diagnostics[0]!.subject!.start.byte, 0);
    assert.equal(r.diagnostics[1]!.subject!.start.byte, 6);
    assert.equal(r.content.blocks.length, 0);
    const none = body.content({ blocks: [{ type: 'a' }, { type: 'b' }] });
    assert.deepEqual(summaries(none.diagnostics), ['Extraneous label for a: No labels are expected for a blocks.']);
  });

  it('finds the unsupported item however the schema repeats names or a block is mislabelled', () => {
    // content() skips its second pass when the counts say every item is in the schema.
    const { body } = parse('a = 1\nzz = 2\nblk {}\nblk "x" {}\nodd {}\n');
    const r = body.content({ attributes: [{ name: 'a' }, { name: 'a' }], blocks: [{ type: 'blk' }, { type: 'blk' }] });
    assert.deepEqual(summaries(r.diagnostics), [
      'Extraneous label for blk: No labels are expected for blk blocks.',
      'Unsupported argument: An argument named "zz" is not expected here.',
      'Unsupported block type: Blocks of type "odd" are not expected here.',
    ]);
    const ok = body.content({ attributes: [{ name: 'a' }, { name: 'zz' }], blocks: [{ type: 'blk', labelNames: ['n'] }, { type: 'odd' }] });
    assert.deepEqual(summaries(ok.diagnostics), ['Missing n for blk: All blk blocks must have 1 labels (n).']);
  });

  it('hides what partialContent took from later reads', () => {
    const { body } = parse('a = 1\nb = 2\nx {}\n');
    const first = body.partialContent({ attributes: [{ name: 'a' }], blocks: [{ type: 'x' }] });
    assert.deepEqual(first.diagnostics, []);
    const second = first.remain.content({ attributes: [{ name: 'b' }] });
    assert.deepEqual(second.diagnostics, []);
    assert.deepEqual([...second.content.attributes.keys()], ['b']);
    assert.deepEqual(summaries(first.remain.content({}).diagnostics), ['Unsupported argument: An argument named "b" is not expected here.']);
    assert.deepEqual([...first.remain.justAttributes().attributes.keys()], ['b']);
  });

  it('justAttributes rejects blocks but returns the attributes', () => {
    const { body } = parse('a = 1\nblk {}\n');
    const r = body.justAttributes();
    assert.deepEqual(summaries(r.diagnostics), ['Unexpected "blk" block: Blocks are not allowed here.']);
    assert.deepEqual([...r.attributes.keys()], ['a']);
  });

  it('gives the context string of the top-level block around an offset', () => {
    const { file } = parse('a = 1\nsource "docker" "x" {\n  image = "u"\n}\n');
    assert.equal(file.contextString?.(0), '');
    assert.equal(file.contextString?.(30), 'source "docker" "x"');
  });
});

describe('mergeBodies', () => {
  it('merges attributes and blocks, reporting an argument set twice', () => {
    const a = parse('x = 1\nb {}\n', 'a.hcl').body;
    const b = parse('y = 2\nx = 3\nb {}\n', 'b.hcl').body;
    const r = mergeBodies([a, b]).content({ attributes: [{ name: 'x' }, { name: 'y' }, { name: 'z', required: true }], blocks: [{ type: 'b' }] });
    assert.deepEqual(summaries(r.diagnostics), [
      'Duplicate argument: Argument "x" was already set at a.hcl:1,1-2',
      'Missing required argument: The argument "z" is required, but was not set.',
    ]);
    assert.equal(r.content.blocks.length, 2);
    assert.ok(cty.rawEquals(r.content.attributes.get('x')!.expr.value(undefined).value, cty.numberIntVal(1)));
  });

  it('flattens nested merges and keeps leftovers for partial reads', () => {
    const a = parse('x = 1\nextra = true\n', 'a.hcl').body;
    const b = parse('y = 2\n', 'b.hcl').body;
    const merged = mergeBodies([mergeBodies([a]), b]);
    const r = merged.partialContent({ attributes: [{ name: 'x' }, { name: 'y' }] });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual([...r.remain.justAttributes().attributes.keys()], ['extra']);
    assert.deepEqual(mergeBodies([]).content({}).diagnostics, []);
  });
});
