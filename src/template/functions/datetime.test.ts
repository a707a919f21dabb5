/** Packer's datetime, rfc3339_parse, unix_timestamp_parse and filebase64 tests, in our own words. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { numberType, stringType } from '../../hcl/cty/type.js';
import type { Value } from '../../hcl/cty/value.js';
import { Value as CtyValue, numberFloatVal, numberIntVal, parseNumberVal, stringVal, unknownVal } from '../../hcl/cty/value.js';
import type { FunctionError } from '../../hcl/functions/function.js';
import { ArgError } from '../../hcl/functions/function.js';
import { makeLegacyIsotimeFunc, makeLegacyStrftimeFunc, rfc3339ParseFunc, timestampFunc, unixTimestampParseFunc } from './datetime.js';
import { makeFilebase64Func } from './filebase64.js';

function ok(r: Value | FunctionError): Value {
  if (!(r instanceof CtyValue)) assert.fail(`unexpected error: ${r.message}`);
  return r;
}
const fieldsOf = (v: Value): Record<string, string> =>
  Object.fromEntries([...v.asMap()].map(([k, x]) => [k, x.type.kind === 'string' ? x.asString() : x.toString().replace(/^cty\.MustParseNumberVal\("(.*)"\)$/, '$1')]));

const START = new Date(Date.UTC(2020, 0, 6, 15, 4, 5, 120));

test('legacy_isotime / legacy_strftime format the start time in UTC; no argument is RFC 3339', () => {
  const iso = makeLegacyIsotimeFunc(START);
  assert.equal(ok(iso.call([])).asString(), '2020-01-06T15:04:05Z');
  assert.match(ok(iso.call([stringVal('01-02-2006')])).asString(), /^\d{2}-\d{2}-\d{4}$/);
  assert.match(ok(iso.call([stringVal('Mon Jan 02, 2006')])).asString(), /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2}, \d{4}$/);
  assert.equal(ok(iso.call([stringVal('2006-01-02 15:04:05.000 MST')])).asString(), '2020-01-06 15:04:05.120 UTC');
  assert.match((iso.call([stringVal('a'), stringVal('b')]) as FunctionError).message, /^too many values, 1 needed: /);
  const strf = makeLegacyStrftimeFunc(START);
  assert.equal(ok(strf.call([stringVal('%Y-%m-%d %H:%M:%S %a')])).asString(), '2020-01-06 15:04:05 Mon');
  assert.equal(ok(strf.call([])).asString(), '2020-01-06T15:04:05Z');
});

test('timestamp is the current time, read at each call', () => {
  const before = Math.floor(Date.now() / 1000);
  const got = ok(timestampFunc.call([])).asString();
  assert.match(got, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  assert.ok(Date.parse(got) / 1000 >= before - 1);
});

test('rfc3339_parse: fields in the timestamp offset; T or space; fractions; errors', () => {
  assert.deepEqual(fieldsOf(ok(rfc3339ParseFunc.call([stringVal('1996-12-19 16:39:57.25-08:00')]))), {
    day: '19', hour: '16', iso_week: '51', iso_year: '1996', minute: '39', month: '12', month_name: 'December',
    second: '57', unix: '851042397', weekday: '4', weekday_name: 'Thursday', year: '1996', year_day: '354',
  });
  // ISO week belonging to the previous year.
  const jan1 = fieldsOf(ok(rfc3339ParseFunc.call([stringVal('2021-01-01T00:00:00Z')])));
  assert.deepEqual([jan1['iso_year'], jan1['iso_week']], ['2020', '53']);
  const bad = rfc3339ParseFunc.call([stringVal('2023-07-25')]);
  assert.ok(bad instanceof ArgError && bad.index === 0 && bad.message === '"2023-07-25" is not a valid RFC3339 timestamp');
  assert.equal(ok(rfc3339ParseFunc.call([unknownVal(stringType)])).isKnown(), false);
});

test('unix_timestamp_parse: UTC fields and rfc3339; whole int64 seconds only', () => {
  const f = fieldsOf(ok(unixTimestampParseFunc.call([numberIntVal(0)])));
  assert.equal(f['rfc3339'], '1970-01-01T00:00:00Z');
  assert.equal(f['weekday_name'], 'Thursday');
  assert.equal(fieldsOf(ok(unixTimestampParseFunc.call([numberIntVal(-1)])))['rfc3339'], '1969-12-31T23:59:59Z');
  for (const bad of [numberFloatVal(1690328596.5), parseNumberVal('100000000000000000000')!]) {
    const r = unixTimestampParseFunc.call([bad]);
    assert.ok(r instanceof ArgError && r.index === 0, String(bad));
    assert.match(r.message, /^unix_timestamp must be a whole number of seconds representable as a 64-bit integer: /);
  }
  assert.equal(ok(unixTimestampParseFunc.call([unknownVal(numberType)])).isKnown(), false);
});

const dir = mkdtempSync(path.join(tmpdir(), 'kiln-b64-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test("filebase64 reads relative to the working directory (Packer's table)", () => {
  writeFileSync(path.join(dir, 'list.tmpl'), '%{ for x in list ~}\n- ${x}\n%{ endfor ~}\n');
  const fn = makeFilebase64Func(() => dir);
  assert.equal(ok(fn.call([stringVal('./list.tmpl')])).asString(), 'JXsgZm9yIHggaW4gbGlzdCB+fQotICR7eH0KJXsgZW5kZm9yIH59Cg==');
  assert.equal((fn.call([stringVal('./no_file')]) as FunctionError).message, 'failed to read file "./no_file": open ./no_file: no such file or directory');
  assert.equal((fn.call([stringVal('.')]) as FunctionError).message, 'failed to read file ".": read .: is a directory');
});
