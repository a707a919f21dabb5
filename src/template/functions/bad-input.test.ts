/**
 * Bad input through the evaluator, as a template meets it: wrong argument counts and
 * types give HCL's diagnostics on the argument, failures of the function give "Error in
 * function call" on the call, a regex that does not compile is a diagnostic, and
 * hostile `yamldecode`/`jsondecode` input is refused cheaply. Subjects are written
 * `line:column-line:column`, columns 1-based, end exclusive.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Value } from '../../hcl/cty/value.js';
import { goString, stringVal } from '../../hcl/cty/value.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { EvalContext } from '../../hcl/eval-context.js';
import { MAX_JSON_DEPTH } from '../../hcl/functions/json.js';
import { MAX_YAML_DEPTH } from '../../hcl/functions/yaml-limits.js';
import { NativeExpression } from '../../hcl/syntax/eval-expression.js';
import { parseExpression } from '../../hcl/syntax/parse.js';
import { packerFunctions } from './table.js';

const FUNCTIONS = packerFunctions({ baseDir: '/nonexistent-kiln-dir' });

function evaluate(src: string, variables: Record<string, Value> = {}): { value: Value; diagnostics: Diagnostic[] } {
  const parsed = parseExpression(src);
  assert.deepEqual(parsed.diagnostics, [], `parse ${src}`);
  const ctx = new EvalContext({ variables, functions: FUNCTIONS });
  return new NativeExpression(parsed.value).value(ctx);
}

function only(src: string, variables: Record<string, Value> = {}): { summary: string; detail: string; subject: string } {
  const { value, diagnostics } = evaluate(src, variables);
  assert.equal(diagnostics.length, 1, `${src}: ${diagnostics.map((d) => d.summary).join('; ')}`);
  assert.ok(!value.isKnown(), `${src}: an error gives an unknown result`);
  const d = diagnostics[0]!;
  assert.equal(d.severity, 'error');
  const s = d.subject;
  return { summary: d.summary, detail: d.detail ?? '', subject: s === undefined ? '' : `${s.start.line}:${s.start.column}-${s.end.line}:${s.end.column}` };
}

// [expression, summary, detail, subject]
const CASES: ReadonlyArray<readonly [string, string, string, string]> = [
  // counts: a missing argument points at ")", an extra one at the extra argument
  ['upper()', 'Not enough function arguments', 'Function "upper" expects 1 argument(s). Missing value for "str".', '1:7-1:8'],
  ['format()', 'Not enough function arguments', 'Function "format" expects at least 1 argument(s). Missing value for "format".', '1:8-1:9'],
  ['substr("abc", 1)', 'Not enough function arguments', 'Function "substr" expects 3 argument(s). Missing value for "length".', '1:16-1:17'],
  ['upper("a", "b")', 'Too many function arguments', 'Function "upper" expects only 1 argument(s).', '1:13-1:14'],
  ['uuidv4(1)', 'Too many function arguments', 'Function "uuidv4" expects only 0 argument(s).', '1:8-1:9'],
  ['cidrhost("10.0.0.0/8", 1, 2)', 'Too many function arguments', 'Function "cidrhost" expects only 2 argument(s).', '1:27-1:28'],
  // types: the argument that cannot convert
  ['upper([1])', 'Invalid function argument', 'Invalid value for "str" parameter: string required, but have tuple.', '1:7-1:8'],
  ['substr("abc", "x", 1)', 'Invalid function argument', 'Invalid value for "offset" parameter: a number is required.', '1:16-1:17'],
  ['join(",", 1)', 'Invalid function argument', 'Invalid value for "lists" parameter: list of string required, but have number.', '1:11-1:12'],
  ['join(",", ["a"], {})', 'Invalid function argument', 'Invalid value for "lists" parameter: list of string required.', '1:18-1:19'],
  ['max(1, "x")', 'Invalid function argument', 'Invalid value for "numbers" parameter: a number is required.', '1:9-1:10'],
  ['keys("x")', 'Invalid function argument', 'Invalid value for "inputMap" parameter: must have map or object type.', '1:7-1:8'],
  ['upper(null)', 'Invalid function argument', 'Invalid value for "str" parameter: argument must not be null.', '1:7-1:11'],
  // values the function rejects for one argument
  ['parseint("z", 99)', 'Invalid function argument', 'Invalid value for "base" parameter: base must be a whole number between 2 and 62 inclusive.', '1:15-1:17'],
  ['formatdate("YYYY", "x")', 'Invalid function argument', 'Invalid value for "time" parameter: not a valid RFC3339 timestamp: cannot use "x" as year.', '1:21-1:22'],
  // failures of the call as a whole
  ['element([], 0)', 'Error in function call', 'Call to function "element" failed: cannot use element function with an empty list.', '1:1-1:9'],
  ['jsondecode("{")', 'Error in function call', 'Call to function "jsondecode" failed: unexpected end of JSON input.', '1:1-1:12'],
  ['range(0, 1e10)', 'Error in function call', 'Call to function "range" failed: more than 1024 values were generated; either decrease the difference between start and end or use a smaller step.', '1:1-1:7'],
  ['file("missing.txt")', 'Error in function call', 'Call to function "file" failed: no file exists at /nonexistent-kiln-dir/missing.txt.', '1:1-1:6'],
  // unknown function
  ['tostring(1)', 'Call to unknown function', 'There is no function named "tostring".', '1:1-1:9'],
];

describe('bad arguments give HCL diagnostics at the argument', () => {
  for (const [src, summary, detail, subject] of CASES) {
    it(src, () => {
      assert.deepEqual(only(src), { summary, detail, subject });
    });
  }
});

describe('a regex that does not compile is a diagnostic', () => {
  it('regex and regexall: an argument error on the pattern', () => {
    assert.deepEqual(only('regex("(", "x")'), {
      summary: 'Invalid function argument',
      detail: 'Invalid value for "pattern" parameter: invalid regexp pattern: missing closing ) in (.',
      subject: '1:8-1:9',
    });
    assert.deepEqual(only('regexall("[a", "x")'), {
      summary: 'Invalid function argument',
      detail: 'Invalid value for "pattern" parameter: invalid regexp pattern: missing closing ] in [a.',
      subject: '1:11-1:13',
    });
  });
  it('regex_replace: a call error, as Packer returns the compile error itself', () => {
    assert.deepEqual(only('regex_replace("x", "(?P<", "y")'), {
      summary: 'Error in function call',
      detail: 'Call to function "regex_replace" failed: error parsing regexp: invalid named capture: `(?P<`.',
      subject: '1:1-1:15',
    });
  });
  it('Go syntax that JavaScript lacks or reads differently is still refused or translated', () => {
    assert.match(only('regex("a{2,1}", "aa")').detail, /invalid repeat count/);
    assert.match(only('regex("\\\\8", "x")').detail, /invalid escape sequence/);
  });
});

describe('hostile yamldecode and jsondecode input is bounded', () => {
  const nested = (open: string, close: string, n: number): string => open.repeat(n) + close.repeat(n);

  it(`yamldecode refuses nesting deeper than ${MAX_YAML_DEPTH}, flow or block, before composing it`, () => {
    for (const src of [nested('[', ']', 100_000), nested('{a: ', '}', MAX_YAML_DEPTH + 1), Array.from({ length: MAX_YAML_DEPTH + 1 }, (_, i) => `${' '.repeat(i)}- `).join('\n') + 'x']) {
      const got = only('yamldecode(src)', { src: stringVal(src) });
      assert.equal(got.summary, 'Error in function call');
      assert.equal(got.detail, `Call to function "yamldecode" failed: document nests collections more than ${MAX_YAML_DEPTH} levels deep.`);
      assert.equal(got.subject, '1:1-1:12');
    }
  });

  it('yamldecode accepts the deepest allowed document, and later walks over it work', () => {
    const r = evaluate('jsonencode(yamldecode(src))', { src: stringVal(nested('[', ']', MAX_YAML_DEPTH)) });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.value.asString(), nested('[', ']', MAX_YAML_DEPTH));
  });

  it('yamldecode refuses an alias bomb (billion laughs) instead of expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const got = only('jsonencode(yamldecode(src))', { src: stringVal(levels.join('\n')) });
    assert.deepEqual(got, { summary: 'Error in function call', detail: 'Call to function "yamldecode" failed: document contains excessive aliasing.', subject: '1:12-1:23' });
  });

  it('yamldecode keeps ordinary anchors, aliases and merge keys', () => {
    const src = 'base: &base {image: debian, size: 10}\nvms:\n' + Array.from({ length: 200 }, (_, i) => `  - {<<: *base, name: vm${i}}`).join('\n');
    const r = evaluate('length(yamldecode(src).vms) + yamldecode(src).vms[199].size', { src: stringVal(src) });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(goString(r.value), 'cty.MustParseNumberVal("210")');
  });

  it(`jsondecode refuses nesting deeper than ${MAX_JSON_DEPTH} with an error, not a stack overflow`, () => {
    const got = only('jsondecode(src)', { src: stringVal(nested('[', ']', 100_000)) });
    assert.equal(got.detail, `Call to function "jsondecode" failed: exceeded max depth of ${MAX_JSON_DEPTH}.`);
    const ok = evaluate('jsonencode(jsondecode(src))', { src: stringVal(nested('[', ']', MAX_JSON_DEPTH)) });
    assert.deepEqual(ok.diagnostics, []);
  });
});
