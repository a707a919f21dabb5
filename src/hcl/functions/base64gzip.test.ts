import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { mark } from '../cty/marks.js';
import { stringType } from '../cty/type.js';
import { stringVal, unknownVal, Value } from '../cty/value.js';
import { base64GzipFunc } from './base64gzip.js';
import type { FunctionError } from './function.js';

function ok(r: Value | FunctionError): Value {
  if (!(r instanceof Value)) assert.fail(`unexpected error: ${r.message}`);
  return r;
}

// Packer's TestBase64Gzip table (hcl2template/function/encoding_test.go), plus the empty string.
const PACKER_TABLE: ReadonlyArray<readonly [string, string]> = [
  ['test', 'H4sIAAAAAAAA/ypJLS4BAAAA//8BAAD//wx+f9gEAAAA'],
  ['helloworld', 'H4sIAAAAAAAA/8pIzcnJL88vykkBAAAA//8BAAD//60g6/kKAAAA'],
  ['', 'H4sIAAAAAAAA/wAAAP//AQAA//8AAAAAAAAAAA=='],
];

test('base64gzip: byte for byte what Go writes for short inputs', () => {
  for (const [input, want] of PACKER_TABLE) assert.equal(ok(base64GzipFunc.call([stringVal(input)])).asString(), want, input);
});

test('base64gzip: longer input round-trips; framing is Go\'s', () => {
  const text = 'héllo wörld '.repeat(500);
  const gz = Buffer.from(ok(base64GzipFunc.call([stringVal(text)])).asString(), 'base64');
  assert.equal(gunzipSync(gz).toString('utf8'), text);
  assert.deepEqual([...gz.subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  assert.deepEqual([...gz.subarray(-13, -8)], [1, 0, 0, 0xff, 0xff]);
});

test('base64gzip: marks and unknowns', () => {
  assert.ok(ok(base64GzipFunc.call([mark(stringVal('x'), 'sensitive')])).marks?.has('sensitive'));
  assert.equal(ok(base64GzipFunc.call([unknownVal(stringType)])).isKnown(), false);
});
