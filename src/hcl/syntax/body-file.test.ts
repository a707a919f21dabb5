import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvalContext } from '../eval-context.js';
import * as cty from '../cty/index.js';
import { parseNativeFile } from './body-file.js';

describe('parseNativeFile: mayCallFunctions', () => {
  // A caller leaves its function table unloaded when this says false, so it must never
  // say false for a file whose evaluation calls a function.
  const calls: readonly [string, string][] = [
    ['an attribute', 'a = upper("x")\n'],
    ['a template interpolation', 'a = "v-${upper("x")}"\n'],
    ['a heredoc', 'a = <<EOT\n${upper("x")}\nEOT\n'],
    ['a template directive', 'a = "%{ if length([]) == 0 }y%{ endif }"\n'],
    ['a name and its ( on separate lines inside brackets', 'a = [\n  upper\n  ("x")\n]\n'],
    ['a comment between a name and its (', 'a = [upper /* c */ ("x")]\n'],
    ['a namespaced call', 'a = provider::p::f(1)\n'],
  ];
  for (const [where, src] of calls) {
    it(`is true for a call in ${where}`, () => {
      const f = parseNativeFile(src, 'x.hcl');
      assert.equal(f.mayCallFunctions(), true);
      // The parser did read a call there: evaluated with no functions, it is an unknown one.
      const r = f.body.justAttributes().attributes.get('a')?.expr.value(new EvalContext({ functions: {} }));
      assert.ok(r?.diagnostics.some((d) => /function/i.test(d.summary)), r?.diagnostics.map((d) => d.summary).join('; '));
    });
  }

  it('is true for a call in a nested block', () => {
    assert.equal(parseNativeFile('b "l" {\n  c {\n    a = max(1, 2)\n  }\n}\n', 'x.hcl').mayCallFunctions(), true);
  });

  it('is false where no name is followed by ( or ::', () => {
    const src = [
      '# a comment (with parentheses) and f(x)',
      '// another: upper("x")',
      '/* block comment: lower("x") */',
      'source "null" "a" {',
      '  communicator = "none"',
      '  list         = [1, (2 + 3), { k = "v(w)" }]',
      '  text         = "echo $(date) ${var.x}"',
      '}',
      '',
    ].join('\n');
    const f = parseNativeFile(src, 'x.hcl');
    assert.deepEqual(f.diagnostics, []);
    assert.equal(f.mayCallFunctions(), false);
  });

  it('errs towards true: a keyword before parentheses counts', () => {
    const f = parseNativeFile('a = [for x in (var.l) : x]\n', 'x.hcl');
    assert.equal(f.mayCallFunctions(), true);
    const r = f.body.justAttributes().attributes.get('a')?.expr.value(new EvalContext({ variables: { var: cty.objectVal({ l: cty.listVal([cty.stringVal('q')]) }) }, functions: {} }));
    assert.deepEqual(r?.diagnostics, []);
  });
});
