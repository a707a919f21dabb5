// The pieces of `fmt`'s error output that come from Go libraries: go-multierror's
// list and hcl.Diagnostic.Error(). (HCL's text format: src/hcl/diagnostic-text.test.ts.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { multiErrorText } from '../../src/commands/fmt-diagnostics.js';
import { diagnosticError, diagnosticsErrorText, errorDiag } from '../../src/hcl/diagnostic.js';

const range = (line: number, c1: number, c2: number) => ({
  filename: 'a.pkr.hcl',
  start: { line, column: c1, byte: 0 },
  end: { line, column: c2, byte: 0 },
});

describe('fmt diagnostics text', () => {
  it('lists one or several errors as go-multierror does', () => {
    assert.equal(multiErrorText(['x']), '1 error occurred:\n\t* x\n\n');
    assert.equal(multiErrorText(['x', 'y']), '2 errors occurred:\n\t* x\n\t* y\n\n');
  });
  it('prints a diagnostic as Go error text with its range', () => {
    assert.equal(diagnosticError(errorDiag('Bad', 'Very bad.', range(5, 1, 8))), 'a.pkr.hcl:5,1-8: Bad; Very bad.');
    assert.equal(diagnosticError(errorDiag('Bad', '')), '<nil>: Bad; ');
    assert.equal(
      diagnosticsErrorText([errorDiag('A', 'a', range(1, 1, 2)), errorDiag('B', 'b')]),
      'a.pkr.hcl:1,1-2: A; a, and 1 other diagnostic(s)',
    );
  });
});
