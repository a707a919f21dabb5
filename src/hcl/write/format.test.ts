import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columns } from './columns.js';
import { format } from './format.js';

describe('canonical formatter', () => {
  it('aligns = over a run of attributes and restarts after a blank line', () => {
    assert.equal(format('a=1\nbbb=2\n\ncc=3\nd=4\n'), 'a   = 1\nbbb = 2\n\ncc = 3\nd  = 4\n');
  });
  it('indents by bracket nesting and spaces braces', () => {
    assert.equal(format('b {\nx = {a=1}\nl = [\n1,\n]\n}\n'), 'b {\n  x = { a = 1 }\n  l = [\n    1,\n  ]\n}\n');
  });
  it('aligns trailing comments after the aligned assignments', () => {
    assert.equal(format('a = 1 # one\nlong = 2 # two\n'), 'a    = 1 # one\nlong = 2 # two\n');
  });
  it('keeps heredoc contents and template text as they are', () => {
    const src = 'x {\nv = <<-EOT\n   keep   ${ a }  this\n     EOT\n}\n';
    assert.equal(format(src), 'x {\n  v = <<-EOT\n   keep   ${a}  this\n     EOT\n}\n');
  });
  it('tells negation from subtraction', () => {
    assert.equal(format('a = -1\nb = c -1\nd = [ -1, - 2 ]\n'), 'a = -1\nb = c - 1\nd = [-1, -2]\n');
  });
  it('formats fragments and unbalanced input without failing', () => {
    assert.equal(format('( a+2 )'), '(a + 2)');
    assert.equal(format('}}}\n  a = [\n'), '} } }\na = [\n');
    assert.equal(format(''), '');
  });
  it('keeps spaces before the end of input, as hclwrite does', () => {
    assert.equal(format('a=1\n   '), 'a = 1\n   ');
  });
  it('keeps CR LF line endings', () => {
    assert.equal(format('a=1\r\nbb=2\r\n'), 'a  = 1\r\nbb = 2\r\n');
  });
  it('counts alignment columns in grapheme clusters', () => {
    assert.equal(columns('e\u0301🎉'), 2);
    assert.equal(columns('a\r\n'), 2);
    assert.equal(format('"é🎉" = 1\nab = 2\n'), '"é🎉" = 1\nab   = 2\n');
  });
});
