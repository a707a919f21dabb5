import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mark } from '../cty/marks.js';
import { stringType } from '../cty/type.js';
import { stringVal, unknownVal, Value } from '../cty/value.js';
import { ArgError } from './function.js';
import type { FunctionError } from './function.js';
import { decodeBase64Go, textDecodeBase64Func, textEncodeBase64Func } from './text-encoding.js';

type Row = readonly [input: string, encoding: string, want: string | { error: string; index: number }];

const SYMBOLS = "abc123!?$*&()'-=@~";

const ENCODE_TABLE: readonly Row[] = [
  [SYMBOLS, 'UTF-8', 'YWJjMTIzIT8kKiYoKSctPUB+'],
  [SYMBOLS, 'UTF-16LE', 'YQBiAGMAMQAyADMAIQA/ACQAKgAmACgAKQAnAC0APQBAAH4A'],
  [SYMBOLS, 'CP936', 'YWJjMTIzIT8kKiYoKSctPUB+'],
  ['test', 'utf-16be', 'AHQAZQBzAHQ='],
  ['test', 'UTF-16', '/v8AdABlAHMAdA=='],
  ['é€', 'windows-1252', '6YA='],
  ['é', ' Latin1 ', '6Q=='],
  ['ÄÖÜ', 'IBM437', 'jpma'],
  ['ABC', 'IBM037', 'wcLD'],
  ['日本語', 'Shift_JIS', 'k/qWe4zq'],
  ['日本語', 'EUC-JP', 'xvzL3Ljs'],
  ['한국어', 'EUC-KR', 'x9Gxub7u'],
  [SYMBOLS, 'NOT-EXISTS', { error: '"NOT-EXISTS" is not a supported IANA encoding name or alias', index: 1 }],
  ['🤔', 'cp437', { error: 'the given string contains characters that cannot be represented in IBM437', index: 0 }],
  ['€', 'ISO-8859-1', { error: 'the given string contains characters that cannot be represented in ISO_8859-1:1987', index: 0 }],
  ['é', 'US-ASCII', { error: 'the given string contains characters that cannot be represented in US-ASCII', index: 0 }],
  ['🤔', 'Shift_JIS', { error: 'the given string contains characters that cannot be represented in Shift_JIS', index: 0 }],
];

const DECODE_TABLE: readonly Row[] = [
  ['dABlAHMAdAA=', 'UTF-16LE', 'test'],
  ['/v8AdABlAHMAdA==', 'UTF-16', 'test'],
  ['//50AGUAcwB0AA==', 'UTF-16', 'test'],
  ['AHQAZQBzAHQ=', 'UTF-16', 'test'],
  ['4oSi', 'UTF-8', '™'],
  ['6YA=', 'windows-1252', 'é€'],
  ['k/qWe4zq', 'ms_kanji', '日本語'],
  ['GyRCRnxLXDhsGyhC', 'ISO-2022-JP', '日本語'],
  ['YWJj\r\nZGVm', 'UTF-8', 'abcdef'],
  ["doesn't matter", 'NOT-EXISTS', { error: '"NOT-EXISTS" is not a supported IANA encoding name or alias', index: 1 }],
  ['<invalid base64>', 'cp437', { error: 'the given value is has an invalid base64 symbol at offset 0', index: 0 }],
  ['gQ==', 'windows-1250', { error: 'the given string contains symbols that are not defined for windows-1250', index: 0 }],
  ['gA==', 'US-ASCII', { error: 'the given string contains symbols that are not defined for US-ASCII', index: 0 }],
  ['/w==', 'UTF-8', { error: 'the given string contains symbols that are not defined for UTF-8', index: 0 }],
  ['77+9', 'UTF-8', { error: 'the given string contains symbols that are not defined for UTF-8', index: 0 }],
];

function check(fn: typeof textEncodeBase64Func, rows: readonly Row[]): void {
  for (const [input, enc, want] of rows) {
    const got: Value | FunctionError = fn.call([stringVal(input), stringVal(enc)]);
    const label = `${input} / ${enc}`;
    if (typeof want === 'string') {
      if (!(got instanceof Value)) assert.fail(`${label}: ${got.message}`);
      assert.equal(got.asString(), want, label);
    } else {
      assert.ok(got instanceof ArgError, `${label}: expected an argument error`);
      assert.deepEqual([got.index, got.message], [want.index, want.error], label);
    }
  }
}

test('textencodebase64: IANA names and aliases, Packer\'s errors', () => check(textEncodeBase64Func, ENCODE_TABLE));
test('textdecodebase64: BOM rules, base64 offsets, undefined bytes', () => check(textDecodeBase64Func, DECODE_TABLE));

test('text encodings: unknowns and marks', () => {
  const u = textEncodeBase64Func.call([unknownVal(stringType), stringVal('UTF-8')]);
  assert.ok(u instanceof Value && !u.isKnown());
  const m = textDecodeBase64Func.call([mark(stringVal('YQ=='), 'sensitive'), stringVal('UTF-8')]);
  assert.ok(m instanceof Value && m.marks?.has('sensitive'));
});

test('decodeBase64Go: the offsets of Go\'s CorruptInputError', () => {
  const cases: ReadonlyArray<readonly [string, string | number]> = [
    ['YQ==', 'a'],
    ['YWI=', 'ab'],
    ['', ''],
    ['YQ', 0],
    ['YQ=', 3],
    ['Y===', 1],
    ['YQ==YQ==', 4],
    ['YQ==\n', 'a'],
    ['YW!j', 2],
  ];
  for (const [input, want] of cases) {
    const got = decodeBase64Go(input);
    assert.deepEqual(typeof got === 'number' ? got : got.toString('latin1'), want, input);
  }
});
