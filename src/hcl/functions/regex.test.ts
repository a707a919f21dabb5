import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mark } from '../cty/marks.js';
import { stringType } from '../cty/type.js';
import { goString, stringVal, unknownVal, Value } from '../cty/value.js';
import type { FunctionError } from './function.js';
import { compileGoRegexp, Re2SyntaxError } from './re2-to-js.js';
import { regexAllFunc, regexFunc, regexReplaceFunc } from './regex.js';

function ok(r: Value | FunctionError): Value {
  if (!(r instanceof Value)) assert.fail(`unexpected error: ${r.message}`);
  return r;
}
function fail(r: Value | FunctionError): string {
  if (r instanceof Value) assert.fail(`expected an error, got ${goString(r)}`);
  return r.message;
}
function matches(pattern: string, s: string): string[] {
  const re = compileGoRegexp(pattern);
  if (re instanceof Re2SyntaxError) assert.fail(`${pattern}: ${re.code} in ${re.expr}`);
  return [...s.matchAll(re.regexp)].map((m) => m[0]);
}

test('translation: what each Go construct matches', () => {
  const cases: Array<[string, string, string[]]> = [
    ['(?i)abc', 'xAbC abc', ['AbC', 'abc']],
    ['a(?i)b', 'aB AB ab', ['aB', 'ab']],
    ['(?i:a)b', 'Ab AB', ['Ab']],
    ['x(?i)k', 'x\u212a xk', ['x\u212a', 'xk']],
    ['(?s)a.b', 'a\nb', ['a\nb']],
    ['a.b', 'a\nb a\rb', ['a\rb']],
    ['(?m)^\\w+$', 'one\ntwo\r\nthree', ['one', 'three']],
    ['^\\w+$', 'one\ntwo', []],
    ['\\Aab\\z', 'ab', ['ab']],
    ['(?U)a+', 'aaa', ['a', 'a', 'a']],
    ['(?U)a+?', 'aaa', ['aaa']],
    ['[[:alpha:]]+', 'ab1cd', ['ab', 'cd']],
    ['[[:^digit:]x]+', 'ab1cd', ['ab', 'cd']],
    ['\\pL+', 'héllo wörld', ['héllo', 'wörld']],
    ['\\p{Greek}+', 'abc αβγ', ['αβγ']],
    ['\\PL+', 'ab12cd', ['12']],
    ['\\p{^L}', 'a1', ['1']],
    ['[^a]', 'ab\n', ['b']],
    ['\\s+', 'a \t\u000bb', [' \t']],
    ['\\d+', '12٣4', ['12', '4']],
    ['\\x41\\x{42}\\103', 'ABC', ['ABC']],
    ['\\Q.*\\E+', '.*.**', ['.*', '.**']],
    ['a{2,3}', 'aaaa', ['aaa']],
    ['a{,2}', 'a{,2}', ['a{,2}']],
    ['[]a]+', ']a]', [']a]']],
    ['[a-]+', 'a-b', ['a-']],
    ['^*a', 'a', ['a']],
  ];
  for (const [p, s, want] of cases) assert.deepEqual(matches(p, s), want, p);
});

test('translation: Go syntax errors, with Go code and text', () => {
  const cases: Array<[string, string, string]> = [
    ['(abc', 'missing closing )', '(abc'],
    ['abc)', 'unexpected )', 'abc)'],
    ['[abc', 'missing closing ]', '[abc'],
    ['[z-a]', 'invalid character class range', 'z-a'],
    ['[[:foo:]]', 'invalid character class range', '[:foo:]'],
    ['\\p{Foo}', 'invalid character class range', '\\p{Foo}'],
    ['a**', 'invalid nested repetition operator', '**'],
    ['+a', 'missing argument to repetition operator', '+'],
    ['a{1001}', 'invalid repeat count', '{1001}'],
    ['(a{500}){3}', 'invalid repeat count', '{3}'],
    ['\\1', 'invalid escape sequence', '\\1'],
    ['\\C', 'invalid escape sequence', '\\C'],
    ['\\q', 'invalid escape sequence', '\\q'],
    ['a\\', 'trailing backslash at end of expression', ''],
    ['(?=a)', 'invalid or unsupported Perl syntax', '(?='],
    ['(?<=a)', 'invalid named capture', '(?<=a)'],
    ['(?P<a-b>x)', 'invalid named capture', '(?P<a-b>'],
    ['(?-)', 'invalid or unsupported Perl syntax', '(?-)'],
  ];
  for (const [p, code, expr] of cases) {
    const r = compileGoRegexp(p);
    assert.ok(r instanceof Re2SyntaxError, p);
    assert.deepEqual([r.code, r.expr], [code, expr], p);
  }
  const mixed = compileGoRegexp('a(?i:\\p{Lu})');
  assert.ok(mixed instanceof Re2SyntaxError);
  assert.match(mixed.code, /not supported by kiln/);
});

test('regex: result shapes, nulls for groups outside the match, errors', () => {
  assert.equal(goString(ok(regexFunc.call([stringVal('[a-z]+'), stringVal('135abc456')]))), 'cty.StringVal("abc")');
  assert.equal(goString(ok(regexFunc.call([stringVal('(a)|(b)'), stringVal('b')]))), 'cty.TupleVal([]cty.Value{cty.NullVal(cty.String), cty.StringVal("b")})');
  const obj = ok(regexFunc.call([stringVal('(?P<k>\\w+)=(?P<1v>\\w*)'), stringVal('x=1')]));
  assert.equal(obj.asMap().get('k')!.asString(), 'x');
  assert.equal(obj.asMap().get('1v')!.asString(), '1');
  assert.equal(fail(regexFunc.call([stringVal('(?P<a>x)(y)'), stringVal('xy')])), 'invalid regexp pattern: cannot mix both named and unnamed capture groups');
  assert.equal(fail(regexFunc.call([stringVal('z'), stringVal('abc')])), 'pattern did not match any part of the given string');
  assert.equal(fail(regexFunc.call([stringVal('(z'), stringVal('abc')])), 'invalid regexp pattern: missing closing ) in (z');
  const secret = ok(regexFunc.call([stringVal('b+'), mark(stringVal('abbc'), 'sensitive')]));
  assert.ok(secret.marks?.has('sensitive'));
});

test('regexall: Go skips an empty match right after a match', () => {
  const r = ok(regexAllFunc.call([stringVal('a*'), stringVal('baaac')]));
  assert.deepEqual(r.asArray().map((v) => v.asString()), ['', 'aaa', '']);
  assert.equal(ok(regexAllFunc.call([stringVal('z'), stringVal('abc')])).asArray().length, 0);
  assert.equal(ok(regexAllFunc.call([stringVal('.'), stringVal('😀x')])).asArray().length, 2);
});

test('regex_replace: Go expansion of $1, ${name}, $$ and unknown names', () => {
  const rep = (s: string, p: string, t: string): string => ok(regexReplaceFunc.call([stringVal(s), stringVal(p), stringVal(t)])).asString();
  assert.equal(rep('-ab-axxb-', 'a(x*)b', '${1}W'), '-W-xxW-');
  assert.equal(rep('-ab-axxb-', 'a(x*)b', '$1W'), '---', '$1W names a group "1W" that does not exist');
  assert.equal(rep('k=v', '(?P<key>\\w+)=(?P<val>\\w+)', '$val=$key $$ $'), 'v=k $ $');
  assert.equal(rep('abc', 'x*', '-'), '-a-b-c-');
  assert.equal(rep('abc', '', '$0$01'), 'abc', '$01 is not a number: no such name');
  assert.equal(fail(regexReplaceFunc.call([stringVal('a'), stringVal('(a'), stringVal('')])), 'error parsing regexp: missing closing ): `(a`');
  assert.equal(ok(regexReplaceFunc.call([unknownVal(stringType), stringVal('a'), stringVal('')])).isKnown(), false);
});
