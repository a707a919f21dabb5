import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mark } from '../cty/marks.js';
import { dynamicType, stringType } from '../cty/type.js';
import { goString, nullVal, stringVal, unknownVal, Value } from '../cty/value.js';
import type { FunctionError } from './function.js';
import { decodeJson } from './json.js';
import { yamlDecodeFunc, yamlEncodeFunc } from './yaml.js';

function ok(r: Value | FunctionError): Value {
  if (!(r instanceof Value)) assert.fail(`unexpected error: ${r.message}`);
  return r;
}
function fromJson(s: string): Value {
  const v = decodeJson(s);
  if (!(v instanceof Value)) assert.fail(v.message);
  return v;
}

// Cases after go-cty-yaml's TestUnmarshal table, in kiln's words: source → cty's Go
// notation of the result, or { error }.
const DECODE: ReadonlyArray<readonly [string, string | { error: string }]> = [
  ['---', 'cty.NullVal(cty.DynamicPseudoType)'],
  ['~', 'cty.NullVal(cty.DynamicPseudoType)'],
  ['---\ntrue', 'cty.True'],
  ['---\ntrue\n---\nfalse', { error: 'on line 2, column 1: unexpected extra content after value' }],
  ['"True"', 'cty.StringVal("True")'],
  ["'NULL'", 'cty.StringVal("NULL")'],
  ['|\n  hello\n  world', 'cty.StringVal("hello\\nworld")'],
  ['|\n  hello\n  world\n', 'cty.StringVal("hello\\nworld\\n")'],
  ['>\n  hello\n  world', 'cty.StringVal("hello world")'],
  ['|\n  true', 'cty.True'],
  ['+', 'cty.StringVal("+")'],
  ['<<', 'cty.StringVal("<<")'],
  ['!!str true', 'cty.StringVal("true")'],
  ['!<tag:yaml.org,2002:str> true', 'cty.StringVal("true")'],
  ['yes', 'cty.True'],
  ['Off', 'cty.False'],
  ['!!bool bananas', { error: 'cannot parse "bananas" as tag:yaml.org,2002:bool' }],
  ['.5', 'cty.MustParseNumberVal("0.5")'],
  ['!!float 1.5', 'cty.MustParseNumberVal("1.5")'],
  ['0o77', 'cty.MustParseNumberVal("63")'],
  ['077', 'cty.MustParseNumberVal("77")'],
  ['-12', 'cty.MustParseNumberVal("-12")'],
  ['0x1f', 'cty.MustParseNumberVal("31")'],
  ['!!int 1_000', 'cty.MustParseNumberVal("1000")'],
  ['0ba', 'cty.StringVal("0ba")'],
  ['.Inf', 'cty.MustParseNumberVal("+Inf")'],
  ['-.Inf', 'cty.MustParseNumberVal("-Inf")'],
  ['-inf', 'cty.StringVal("-inf")'],
  ['.NaN', { error: 'floating point NaN is not supported' }],
  ['2006-1-2', 'cty.StringVal("2006-01-02T00:00:00Z")'],
  ['2001-12-14t21:59:43.10-05:00', 'cty.StringVal("2001-12-14T21:59:43-05:00")'],
  ['2001-12-14 21:59:43.10', 'cty.StringVal("2001-12-14T21:59:43Z")'],
  ['2001-13-14', 'cty.StringVal("2001-13-14")'],
  ['!!timestamp 2006-1-2', 'cty.StringVal("2006-01-02T00:00:00Z")'],
  ["!!binary 'aGVsbG8='", 'cty.StringVal("aGVsbG8=")'],
  ["!!binary '>>>>>>>>>'", { error: 'cannot parse ">>>>>>>>>" as tag:yaml.org,2002:binary: not valid base64' }],
  ['!!nope foo', { error: 'unsupported tag "tag:yaml.org,2002:nope"' }],
  ['', { error: 'missing start of document' }],
  ['a: 1\na: 2', 'cty.ObjectVal(map[string]cty.Value{"a":cty.MustParseNumberVal("2")})'],
  ['{1: 2, true: x}', 'cty.ObjectVal(map[string]cty.Value{"1":cty.MustParseNumberVal("2"), "true":cty.StringVal("x")})'],
  ['- a\n- [1, ~]', 'cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.TupleVal([]cty.Value{cty.MustParseNumberVal("1"), cty.NullVal(cty.DynamicPseudoType)})})'],
  ['a: &x {b: 1}\nc: *x', 'cty.ObjectVal(map[string]cty.Value{"a":cty.ObjectVal(map[string]cty.Value{"b":cty.MustParseNumberVal("1")}), "c":cty.ObjectVal(map[string]cty.Value{"b":cty.MustParseNumberVal("1")})})'],
  ['y: 1', 'cty.ObjectVal(map[string]cty.Value{"true":cty.MustParseNumberVal("1")})'],
  ['x: &x {a: 1, b: 2}\nz:\n  <<: *x\n  b: 3', 'cty.ObjectVal(map[string]cty.Value{"x":cty.ObjectVal(map[string]cty.Value{"a":cty.MustParseNumberVal("1"), "b":cty.MustParseNumberVal("2")}), "z":cty.ObjectVal(map[string]cty.Value{"a":cty.MustParseNumberVal("1"), "b":cty.MustParseNumberVal("3")})})'],
  ['<<: [{a: 1}, {b: 2}]', 'cty.ObjectVal(map[string]cty.Value{"a":cty.MustParseNumberVal("1"), "b":cty.MustParseNumberVal("2")})'],
  ['<<: 1', { error: 'cannot merge number into mapping' }],
  ['a:\n  b: *nope', { error: 'on line 1, column 6: reference to undefined anchor "nope"' }],
  ['&a [*a]', { error: 'cannot refer to anchor "a" from inside its own definition' }],
  ['null: 1', { error: 'mapping key cannot be null' }],
  ['!!map [1]', { error: "can't interpret sequence as tag:yaml.org,2002:map" }],
];

test('yamldecode: go-cty-yaml types and scalar resolution', () => {
  for (const [src, want] of DECODE) {
    const got = yamlDecodeFunc.call([stringVal(src)]);
    if (typeof want === 'string') assert.equal(goString(ok(got)), want, src);
    else assert.equal(got instanceof Value ? goString(got) : got.message, want.error, src);
  }
});

// After go-cty-yaml's TestMarshal table: JSON of the value → YAML text.
const ENCODE: ReadonlyArray<readonly [string, string]> = [
  ['true', 'true\n...\n'],
  ['null', 'null\n...\n'],
  ['0', '0\n...\n'],
  ['""', '""\n'],
  ['"hello"', '"hello"\n'],
  ['"hello\\nworld"', '|-\n  hello\n  world\n'],
  ['"hello\\n"', '|\n  hello\n'],
  ['"a\\n\\n"', '|+\n  a\n\n...\n'],
  ['" x\\ny"', '|2-\n   x\n  y\n'],
  ['"a \\nb"', '"a \\nb"\n'],
  ['"tab\\there"', '"tab\\there"\n'],
  ['"😀é\\u0085"', '"\\U0001F600é\\N"\n'],
  ['{}', '{}\n'],
  ['[]', '[]\n'],
  ['{"a":"b"}', '"a": "b"\n'],
  ['["b"]', '- "b"\n'],
  ['{"a":[1,2],"b":{"c":null,"d":[]},"e":[{"f":1,"g":2},[3,4]],"h":"x\\ny"}', '"a":\n- 1\n- 2\n"b":\n  "c": null\n  "d": []\n"e":\n- "f": 1\n  "g": 2\n- - 3\n  - 4\n"h": |-\n  x\n  y\n'],
  ['{"k\\nk":1}', '? |-\n  k\n  k\n: 1\n'],
  [JSON.stringify('word '.repeat(20).trim()), `"${'word '.repeat(17).trim()}\n  ${'word '.repeat(3).trim()}"\n`],
];

test('yamlencode: libyaml block style as go-cty-yaml drives it', () => {
  for (const [json, want] of ENCODE) assert.equal(ok(yamlEncodeFunc.call([fromJson(json)])).asString(), want, json);
});

test('yaml functions: round trip, unknowns, marks', () => {
  const v = fromJson('{"a":[1,"two",{"b":null}],"c":"multi\\nline\\n"}');
  const back = ok(yamlDecodeFunc.call([ok(yamlEncodeFunc.call([v]))]));
  assert.equal(goString(back), goString(v));
  assert.equal(ok(yamlEncodeFunc.call([unknownVal(stringType)])).isKnown(), false);
  assert.equal(ok(yamlDecodeFunc.call([unknownVal(stringType)])).type.kind, 'dynamic');
  assert.equal(ok(yamlEncodeFunc.call([nullVal(dynamicType)])).asString(), 'null\n...\n');
  assert.ok(ok(yamlDecodeFunc.call([mark(stringVal('a: 1'), 'sensitive')])).marks?.has('sensitive'));
});
