import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRange } from '../pos.js';
import type { Range } from '../pos.js';
import { NativeBody, nativeAttribute, nativeBlock } from './body-native.js';
import { parseConfig } from './parse.js';

const plain = (r: Range): Range => ({ filename: r.filename, start: { ...r.start }, end: { ...r.end } });

describe('token ranges and compact nodes', () => {
  const src = 'a = 1\nblk "x" {\n  b = "é${c}"\n}\n';
  const body = parseConfig(src, 'f.hcl').value;
  const attr = body.attributes.get('a');
  const blk = body.blocks[0];

  it('read like plain ranges: fields, JSON and formatting', () => {
    assert.ok(attr && blk);
    assert.deepEqual(plain(attr.nameRange), { filename: 'f.hcl', start: { line: 1, column: 1, byte: 0 }, end: { line: 1, column: 2, byte: 1 } });
    assert.deepEqual(plain(attr.srcRange), { filename: 'f.hcl', start: { line: 1, column: 1, byte: 0 }, end: { line: 1, column: 6, byte: 5 } });
    assert.deepEqual(JSON.parse(JSON.stringify(attr.equalsRange)), plain(attr.equalsRange));
    assert.equal(formatRange(blk.srcRange), 'f.hcl:2,1-4,2');
    assert.equal(formatRange(blk.openBraceRange), 'f.hcl:2,9-10');
    assert.equal(formatRange(blk.closeBraceRange), 'f.hcl:4,1-2');
    assert.equal(formatRange(blk.body.endRange), 'f.hcl:4,2-2');
    const b = blk.body.attributes.get('b');
    assert.ok(b);
    // Columns count characters, bytes count UTF-8.
    assert.deepEqual(plain(b.srcRange).end, { line: 3, column: 14, byte: 30 });
  });

  it('give hcl Attribute and Block views with the node\'s names and ranges', () => {
    assert.ok(attr && blk);
    const a = nativeAttribute(attr);
    assert.equal(a.name, 'a');
    assert.equal(formatRange(a.range), formatRange(attr.srcRange));
    assert.equal(formatRange(a.nameRange), formatRange(attr.nameRange));
    assert.equal(formatRange(nativeBlock(blk).typeRange), 'f.hcl:2,1-4');
    const content = new NativeBody(body).content({ attributes: [{ name: 'a' }], blocks: [{ type: 'blk', labelNames: ['name'] }] });
    assert.deepEqual(content.diagnostics, []);
    assert.equal(formatRange(content.content.attributes.get('a')?.range ?? blk.srcRange), 'f.hcl:1,1-6');
    assert.equal(formatRange(content.content.blocks[0]?.defRange ?? attr.srcRange), 'f.hcl:2,1-8');
  });
});
