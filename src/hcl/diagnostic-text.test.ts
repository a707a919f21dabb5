import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from './diagnostic.js';
import type { SourceFile } from './diagnostic-text.js';
import { renderDiagnostic } from './diagnostic-text.js';
import type { Range } from './pos.js';
import { wrapString } from './wordwrap.js';

const source = 'foo = 1\nbar = 2\nbaz = 3\nblock "party" {\n  pizza = "cheese"\n}\n';
const files = new Map<string, SourceFile>([['', { bytes: Buffer.from(source), contextString: () => 'hardcoded-context' }]]);
const range = (l1: number, c1: number, b1: number, l2: number, c2: number, b2: number): Range => ({
  filename: '',
  start: { line: l1, column: c1, byte: b1 },
  end: { line: l2, column: c2, byte: b2 },
});
const err = (summary: string, detail: string, subject?: Range, context?: Range): Diagnostic => ({
  severity: 'error',
  summary,
  detail,
  ...(subject ? { subject } : {}),
  ...(context ? { context } : {}),
});

describe('renderDiagnostic (HCL text format)', () => {
  it('shows the summary, the location with its context, the line and the detail', () => {
    const d = err('Splines not reticulated', 'All splines must be pre-reticulated.', range(1, 1, 0, 1, 4, 3));
    assert.equal(
      renderDiagnostic(d, files, { width: 40 }),
      'Error: Splines not reticulated\n\n  on  line 1, in hardcoded-context:\n   1: foo = 1\n\nAll splines must be pre-reticulated.\n\n',
    );
  });
  it('wraps the detail at the width', () => {
    const d = err('Unsupported attribute', '"baz" is not a supported top-level attribute. Did you mean "bam"?', range(3, 1, 16, 3, 4, 19));
    assert.equal(
      renderDiagnostic(d, files, { width: 40 }),
      'Error: Unsupported attribute\n\n  on  line 3, in hardcoded-context:\n   3: baz = 3\n\n"baz" is not a supported top-level\nattribute. Did you mean "bam"?\n\n',
    );
  });
  it('shows every line of a multi-line context', () => {
    const d = err('Unsupported attribute', 'x', range(5, 3, 42, 5, 8, 47), range(4, 1, 24, 6, 2, 60));
    assert.match(renderDiagnostic(d, files), / {3}4: block "party" \{\n {3}5: {3}pizza = "cheese"\n {3}6: \}\n\nx\n\n$/);
  });
  it('writes the with-lines sorted, comma-separated, ending in a period', () => {
    const d = err('Test', 'Detail.', range(5, 3, 42, 5, 8, 47));
    const text = renderDiagnostic(d, files, {
      width: 40,
      variableStatements: () => ['foo as "foo value"', 'bar.baz as empty list of string', 'null set to null', 'boz as 5'],
    });
    assert.equal(
      text,
      'Error: Test\n\n  on  line 5, in hardcoded-context:\n   5:   pizza = "cheese"\n\nwith bar.baz as empty list of string,\n     boz as 5,\n     foo as "foo value",\n     null set to null.\n\nDetail.\n\n',
    );
  });
  it('says when the source is not available, and handles warnings without a subject', () => {
    const d = err('Gone', '', { ...range(2, 1, 8, 2, 2, 9), filename: 'missing.hcl' });
    assert.equal(renderDiagnostic(d, files), 'Error: Gone\n\n  on missing.hcl line 2:\n  (source code not available)\n\n');
    assert.equal(renderDiagnostic({ severity: 'warning', summary: 'W', detail: 'd' }, files), 'Warning: W\n\nd\n\n');
  });
  it('quotes the line and the next one for a range at a line end, as HCL does', () => {
    // HCL widens the empty range to the newline byte; its Overlaps counts the line
    // ending there and the line starting after it.
    const d = err('Missing', '', range(1, 8, 7, 1, 8, 7));
    assert.equal(renderDiagnostic(d, files), 'Error: Missing\n\n  on  line 1, in hardcoded-context:\n   1: foo = 1\n   2: bar = 2\n\n');
    const newline = err('Newline', '', range(1, 8, 7, 2, 1, 8));
    assert.equal(renderDiagnostic(newline, files), 'Error: Newline\n\n  on  line 1, in hardcoded-context:\n   1: foo = 1\n   2: bar = 2\n\n');
    const inside = err('Inside', '', range(1, 5, 4, 1, 5, 4));
    assert.match(renderDiagnostic(inside, files), /:\n {3}1: foo = 1\n\n$/);
  });
  it('quotes every line a multi-line range covers except blank ones, as HCL does', () => {
    const text = 'a = [\n  1,\n\n  2,\n]\nb = 1\n';
    const blank = new Map<string, SourceFile>([['', { bytes: Buffer.from(text) }]]);
    const d = err('Multi', '', range(1, 5, 4, 5, 2, 18));
    assert.equal(renderDiagnostic(d, blank), 'Error: Multi\n\n  on  line 1:\n   1: a = [\n   2:   1,\n   4:   2,\n   5: ]\n\n');
  });
  it('highlights the subject in colour mode', () => {
    const d = err('S', '', range(1, 1, 0, 1, 4, 3));
    assert.equal(renderDiagnostic(d, files, { color: true }), '\x1b[31mError\x1b[0m: S\n\n  on  line 1, in hardcoded-context:\n   1: \x1b[1;4mfoo\x1b[0m = 1\n\n');
  });
});

describe('wrapString (go-wordwrap)', () => {
  it('breaks at spaces within the limit and keeps newlines', () => {
    assert.equal(wrapString('aaa bbb ccc', 7), 'aaa bbb\nccc');
    assert.equal(wrapString('one\ntwo three', 5), 'one\ntwo\nthree');
    assert.equal(wrapString('one\n\ttwo three', 9), 'one\n\ttwo\nthree');
  });
  it('lets a word longer than the limit overflow', () => {
    assert.equal(wrapString('a verylongword b', 4), 'a\nverylongword\nb');
  });
  it('treats a non-breaking space as part of a word', () => {
    assert.equal(wrapString('a\u00a0b c', 3), 'a\u00a0b\nc');
  });
});
