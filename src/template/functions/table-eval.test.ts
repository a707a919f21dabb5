/** The table in use: expressions evaluated with packerFunctions, as templates call them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goString } from '../../hcl/cty/value.js';
import { EvalContext } from '../../hcl/eval-context.js';
import { NativeExpression } from '../../hcl/syntax/eval-expression.js';
import { parseExpression } from '../../hcl/syntax/parse.js';
import { packerFunctions } from './table.js';

function evaluate(src: string): { value: string; errors: string[] } {
  const ctx = new EvalContext({ variables: {}, functions: packerFunctions({ baseDir: '/tmp' }) });
  const parsed = parseExpression(src);
  const { value, diagnostics } = new NativeExpression(parsed.value).value(ctx);
  return { value: goString(value), errors: diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.summary}: ${d.detail}`) };
}

// [expression, expected goString] — cases in the spirit of Packer's function tests.
const CASES: ReadonlyArray<readonly [string, string]> = [
  ['convert([1, 2], list(string))', 'cty.ListVal([]cty.Value{cty.StringVal("1"), cty.StringVal("2")})'],
  ['sum([1, 2, 3])', 'cty.MustParseNumberVal("6")'],
  ['length("noël")', 'cty.MustParseNumberVal("4")'],
  ['index(["a", "b"], "b")', 'cty.MustParseNumberVal("1")'],
  ['startswith("hello", "he")', 'cty.True'],
  ['format("%05.1f|%-4s|%x", 3.14159, "ab", 255)', 'cty.StringVal("003.1|ab  |ff")'],
  ['jsonencode({b = [1, true], a = "<x>"})', 'cty.StringVal("{\\"a\\":\\"\\\\u003cx\\\\u003e\\",\\"b\\":[1,true]}")'],
  ['title("hello wörld")', 'cty.StringVal("Hello Wörld")'],
  ['trimspace("\\t x \\n")', 'cty.StringVal("x")'],
  ['split(",", "a,b")', 'cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})'],
  ['urlencode("a b/c")', 'cty.StringVal("a+b%2Fc")'],
  ['parseint("ff", 16)', 'cty.MustParseNumberVal("255")'],
  ['chomp("x\\r\\n\\n")', 'cty.StringVal("x")'],
];

describe('packerFunctions in expressions', () => {
  for (const [src, want] of CASES) {
    it(src, () => {
      const got = evaluate(src);
      assert.deepEqual(got.errors, []);
      assert.equal(got.value, want);
    });
  }

  it('tostring is not a Packer function', () => {
    const got = evaluate('tostring(1)');
    assert.match(got.errors.join('\n'), /Call to unknown function/);
  });

  it('sum reports an empty list', () => {
    assert.match(evaluate('sum([])').errors.join('\n'), /cannot sum an empty list/);
  });
});
