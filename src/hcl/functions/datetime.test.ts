import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringVal, Value } from '../cty/value.js';
import { formatDateFunc, parseTimestamp, timeAddFunc } from './datetime.js';
import type { FunctionError } from './function.js';
import { ArgError } from './function.js';
import { parseGoDuration } from './go-duration.js';

function call(fn: typeof timeAddFunc, ...args: string[]): string {
  const r: Value | FunctionError = fn.call(args.map((a) => stringVal(a)));
  return r instanceof Value ? r.asString() : `error: ${r.message}`;
}

test('timeadd: Go durations added at the timestamp offset, RFC 3339 out', () => {
  const cases: ReadonlyArray<[string, string, string]> = [
    ['2017-11-22T00:00:00Z', '1s', '2017-11-22T00:00:01Z'],
    ['2017-11-22T00:00:00Z', '10m1s', '2017-11-22T00:10:01Z'],
    ['2017-11-22T00:00:00Z', '-1h', '2017-11-21T23:00:00Z'],
    ['2017-11-22T00:00:00Z', '1.5h', '2017-11-22T01:30:00Z'],
    ['2017-11-22T00:00:00-08:00', '24h', '2017-11-23T00:00:00-08:00'],
    ['2017-11-22T00:00:00+00:00', '0', '2017-11-22T00:00:00Z'],
    ['2016-02-28T12:00:00Z', '24h', '2016-02-29T12:00:00Z'],
    ['2017-11-22T00:00:00.999999999Z', '1ns', '2017-11-22T00:00:01Z'],
    ['2017-11-22T00:00:00Z', '1µs1μs1us', '2017-11-22T00:00:00Z'],
    ['2017-11-22T00:00:00Z', '1', 'error: time: missing unit in duration "1"'],
    ['2017-11-22T00:00:00Z', '1d', 'error: time: unknown unit "d" in duration "1d"'],
    ['2017-11-22T00:00:00Z', '', 'error: time: invalid duration ""'],
    ['2017-11-22T00:00:00Z', '.s', 'error: time: invalid duration ".s"'],
    ['2017-11-22', '1h', "error: not a valid RFC3339 timestamp: missing required time introducer 'T'"],
  ];
  for (const [ts, d, want] of cases) assert.equal(call(timeAddFunc, ts, d), want, `${ts} + ${d}`);
});

test('go durations: overflow and sign', () => {
  assert.equal(parseGoDuration('-1.5s'), -1_500_000_000n);
  assert.equal(parseGoDuration('2562047h47m16.854775807s'), 2n ** 63n - 1n);
  assert.equal(parseGoDuration('2562048h'), 'time: invalid duration "2562048h"');
  assert.equal(parseGoDuration('-2562047h47m16.854775808s'), -(2n ** 63n));
});

test('formatdate: offsets, 12-hour clock, literals; errors carry the argument index', () => {
  assert.equal(call(formatDateFunc, 'YYYY-MM-DD hh:mm ZZZZZ (ZZZ, Z) H AA aa', '2024-03-05T00:07:09+05:30'), '2024-03-05 00:07 +05:30 (+0530, +05:30) 12 AM am');
  assert.equal(call(formatDateFunc, "D/M/YY EEE 'at' h:m:s", '1999-12-31T23:59:58-01:00'), '31/12/99 Fri at 23:59:58');
  const bad = formatDateFunc.call([stringVal('X'), stringVal('2024-03-05T00:00:00Z')]);
  assert.ok(bad instanceof ArgError && bad.index === 0 && bad.message === 'invalid date format verb "X"');
  const badTime = formatDateFunc.call([stringVal('YYYY'), stringVal('nope')]);
  assert.ok(badTime instanceof ArgError && badTime.index === 1);
});

test('cty strict RFC 3339: leap days, fractions, Go-accepted but RFC-invalid forms', () => {
  assert.equal(typeof parseTimestamp('2024-02-29T00:00:00Z'), 'object');
  assert.equal(parseTimestamp('2023-02-29T00:00:00Z'), 'not a valid RFC3339 timestamp: day out of range');
  assert.equal(typeof parseTimestamp('2024-02-29T00:00:00.123456789123Z'), 'object');
  assert.equal(parseTimestamp('2024-02-29T00:00:00Zjunk'), 'not a valid RFC3339 timestamp: cannot use "junk" as timestamp segment');
  assert.equal(parseTimestamp('2024-02-29T00:00:00+25:00'), 'not a valid RFC3339 timestamp: end of string before UTC offset');
});
