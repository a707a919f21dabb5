import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BigDec, NumberNaNError, addNum, cmpNum, divNum, formatNum, formatNumG10, fromFloat64, modNum, mulNum, parseNum, subNum } from './number.js';

const p = (s: string) => {
  const n = parseNum(s);
  assert.notEqual(n, undefined, s);
  return n!;
};
const f = (s: string) => formatNum(p(s));

test('small integers stay JS numbers; other values are BigDec', () => {
  assert.equal(p('42'), 42);
  assert.equal(p('-0'), 0);
  assert.equal(p('1.0'), 1);
  assert.equal(p('1e3'), 1000);
  assert.ok(p('0.5') instanceof BigDec);
  assert.ok(p('9007199254740993') instanceof BigDec);
});

test('formatting matches cty number→string conversion', () => {
  assert.equal(f('1.0'), '1');
  assert.equal(f('0.1'), '0.1');
  assert.equal(f('1.5'), '1.5');
  assert.equal(f('1e21'), '1000000000000000000000');
  assert.equal(f('1e-7'), '0.0000001');
  assert.equal(f('-12.50'), '-12.5');
  assert.equal(f('+Inf'), '+Inf');
  assert.equal(f('-Inf'), '-Inf');
  assert.equal(formatNum(fromFloat64(0.1)), '0.1');
  assert.equal(formatNum(fromFloat64(Math.SQRT2)), '1.4142135623730951');
});

test('60-digit decimals keep every digit', () => {
  const s = '3.14159265358979323846264338327950288419716939937510582097494459';
  assert.equal(f(s), s);
  assert.equal(formatNum(addNum(p(s), p('1'))), '4.14159265358979323846264338327950288419716939937510582097494459');
});

test('parse accepts Go big.Float decimal syntax only', () => {
  for (const ok of ['1', '+1', '-1.5', '.5', '5.', '1E5', '1e-5', 'Inf', '-inf', '+Inf']) assert.notEqual(parseNum(ok), undefined, ok);
  for (const bad of ['', 'x', '1x', '0x10', '1_000', ' 1', '1.2.3', 'NaN', 'e5']) assert.equal(parseNum(bad), undefined, bad);
});

test('arithmetic is exact decimal; division rounds to 155 digits', () => {
  assert.equal(formatNum(addNum(p('0.1'), p('0.2'))), '0.3');
  assert.equal(formatNum(subNum(p('1'), p('0.9'))), '0.1');
  assert.equal(formatNum(mulNum(p('1.5'), p('1.5'))), '2.25');
  assert.equal(formatNum(mulNum(p('9007199254740991'), p('10'))), '90071992547409910');
  assert.equal(formatNum(divNum(p('1'), p('4'))), '0.25');
  assert.equal(formatNum(divNum(p('10'), p('2'))), '5');
  const third = formatNum(divNum(p('1'), p('3')));
  assert.equal(third, `0.${'3'.repeat(155)}`);
  assert.equal(formatNum(divNum(p('2'), p('3'))), `0.${'6'.repeat(154)}7`);
});

test('infinities and division by zero', () => {
  assert.equal(divNum(p('1'), p('0')), Infinity);
  assert.equal(divNum(p('-1'), p('0')), -Infinity);
  assert.equal(addNum(Infinity, p('1.5')), Infinity);
  assert.equal(mulNum(-Infinity, p('2')), -Infinity);
  assert.equal(divNum(p('1'), Infinity), 0);
  assert.throws(() => addNum(Infinity, -Infinity), NumberNaNError);
  assert.throws(() => mulNum(0, Infinity), NumberNaNError);
  assert.throws(() => divNum(0, 0), NumberNaNError);
});

test('modulo truncates toward zero, like cty', () => {
  assert.equal(modNum(9, 8), 1);
  assert.equal(modNum(-9, 8), -1);
  assert.equal(modNum(9, -8), 1);
  assert.equal(modNum(5, 0), 5);
  assert.equal(formatNum(modNum(p('5.5'), p('2'))), '1.5');
  assert.equal(modNum(p('1e400'), p('7')), Number(10n ** 400n % 7n));
  assert.equal(modNum(Infinity, 2), Infinity);
});

test('modulo with a fraction follows cty\'s 512-bit binary steps', () => {
  // hcl's specsuite expressions/operators: mod_frac = 11 % 5.1
  const want = `0.8${'0'.repeat(152)}24`;
  assert.equal(formatNum(modNum(11, p('5.1'))), want);
  assert.equal(formatNum(modNum(-11, p('5.1'))), `-${want}`);
  assert.equal(formatNum(modNum(p('7.25'), p('0.5'))), '0.25');
  assert.equal(modNum(p('1.5'), p('0.5')), 0);
});

test('comparison across representations', () => {
  assert.equal(cmpNum(p('1.5'), 2), -1);
  assert.equal(cmpNum(p('1e30'), p('1e29')), 1);
  assert.equal(cmpNum(p('-1e30'), p('-1e29')), -1);
  assert.equal(cmpNum(-Infinity, p('-1e300')), -1);
  assert.equal(cmpNum(p('2.50'), p('2.5')), 0);
});

test('%.10g hash text as big.Float.String()', () => {
  assert.equal(formatNumG10(1), '1');
  assert.equal(formatNumG10(p('0.1')), '0.1');
  assert.equal(formatNumG10(p('1e21')), '1e+21');
  assert.equal(formatNumG10(p('12345678901')), '1.23456789e+10');
  assert.equal(formatNumG10(p('0.00001')), '1e-05');
});
