// The pieces of `fmt`'s error output that come from Go libraries: go-wordwrap's
// wrapping, go-multierror's list, hcl.Diagnostic.Error(), HCL's text format.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnosticError, multiErrorText, renderDiagnostics, wrapText } from '../../src/commands/fmt-diagnostics.js';
import { errorDiag } from '../../src/hcl/diagnostic.js';

const range = (line: number, c1: number, c2: number) => ({
  filename: 'a.pkr.hcl',
  start: { line, column: c1, byte: 0 },
  end: { line, column: c2, byte: 0 },
});

describe('fmt diagnostics text', () => {
  it('wraps at whitespace, keeps newlines, lets long words overflow', () => {
    assert.equal(wrapText('aaa bbb ccc', 7), 'aaa bbb\nccc');
    assert.equal(wrapText('one\n\ttwo three', 9), 'one\n\ttwo\nthree');
    assert.equal(wrapText('abcdefghij xy', 5), 'abcdefghij\nxy');
  });
  it('lists one or several errors as go-multierror does', () => {
    assert.equal(multiErrorText(['x']), '1 error occurred:\n\t* x\n\n');
    assert.equal(multiErrorText(['x', 'y']), '2 errors occurred:\n\t* x\n\t* y\n\n');
  });
  it('prints a diagnostic as Go error text with its range', () => {
    assert.equal(diagnosticError(errorDiag('Bad', 'Very bad.', range(5, 1, 8))), 'a.pkr.hcl:5,1-8: Bad; Very bad.');
  });
  it('renders the summary, the source line and the detail', () => {
    const d = errorDiag('Argument or block definition required', 'An argument or block definition is required here.', range(2, 1, 8));
    const text = renderDiagnostics([d], new Map([['a.pkr.hcl', 'a = 1\ninvalid\n']]));
    assert.equal(
      text,
      'Error: Argument or block definition required\n\n  on a.pkr.hcl line 2:\n   2: invalid\n\nAn argument or block definition is required here.\n\n',
    );
    assert.equal(renderDiagnostics([errorDiag('S', 'D')], new Map()), 'Error: S\n\nD\n\n');
  });
});
