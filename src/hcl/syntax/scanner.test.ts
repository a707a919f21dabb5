import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lexConfig, lexTemplate } from './lex.js';

const types = (src: string) => lexConfig(src, 't.hcl').tokens.map((t) => t.type);

describe('native syntax scanner', () => {
  it('scans a string template with an interpolation', () => {
    assert.deepEqual(types('"a${b}c"'), ['OQuote', 'QuotedLit', 'TemplateInterp', 'Ident', 'TemplateSeqEnd', 'QuotedLit', 'CQuote', 'EOF']);
  });
  it('keeps comments and newlines', () => {
    assert.deepEqual(types('# x\na = 1 // y\n/* z */'), ['Comment', 'Ident', 'Equal', 'NumberLit', 'Comment', 'Comment', 'EOF']);
  });
  it('splits the heredoc close marker from its newline', () => {
    assert.deepEqual(types('a = <<EOT\nx\nEOT\n'), ['Ident', 'Equal', 'OHeredoc', 'StringLit', 'CHeredoc', 'Newline', 'EOF']);
  });
  it('does not end a number literal with a dot', () => {
    const toks = lexConfig('1.5e+3.', '').tokens;
    assert.equal(toks[0]?.text, '1.5e+3');
    assert.equal(toks[1]?.type, 'Dot');
  });
  it('counts columns in grapheme clusters and offsets in UTF-8 bytes', () => {
    const toks = lexConfig('"e\u0301🎉" x', '').tokens;
    const x = toks.find((t) => t.type === 'Ident');
    assert.deepEqual(x?.range.start, { line: 1, column: 6, byte: 10 });
  });
  it('treats a byte order mark as 3 bytes and no column', () => {
    const toks = lexConfig('\ufeffa', '').tokens;
    assert.deepEqual(toks[0]?.range.start, { line: 1, column: 1, byte: 3 });
  });
  it('reports characters the language never uses', () => {
    const r = lexConfig("a = 'b' ; c & d", '');
    assert.deepEqual(r.diagnostics.map((d) => d.summary), ['Invalid character', 'Invalid character', 'Unsupported operator']);
  });
  it('scans bare templates line by line', () => {
    assert.deepEqual(lexTemplate('a\nb${c}', '').tokens.map((t) => t.text), ['a\n', 'b', '${', 'c', '}', '']);
  });
  it('returns a sequence end for a stray ~}', () => {
    assert.deepEqual(types('~}'), ['TemplateSeqEnd', 'EOF']);
  });
});
