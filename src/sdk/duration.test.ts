import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { durafmt, formatDuration, parseDuration } from './duration.js';

test('parseDuration accepts Go duration syntax', () => {
  const cases: Array<[string, number]> = [
    ['0', 0],
    ['5m', 300_000],
    ['1h30s', 3_630_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['.5s', 500],
    ['-1s', -1000],
    ['+2m', 120_000],
    ['1h2m3s4ms', 3_723_004],
    ['1000us', 1],
    ['1000µs', 1],
    ['2000000ns', 2],
  ];
  for (const [text, ms] of cases) {
    const r = parseDuration(text);
    assert.equal(r.kind, 'ok', text);
    if (r.kind === 'ok') assert.ok(Math.abs(r.ms - ms) < 1e-9, `${text}: ${r.ms} != ${ms}`);
  }
});

test('parseDuration rejects what Go rejects', () => {
  for (const text of ['', '5', '1.5', 'm', '-', '1d', '5 m', '1h-1m', '.s']) {
    const r = parseDuration(text);
    assert.equal(r.kind, 'error', text);
  }
  const unit = parseDuration('3d');
  assert.deepEqual(unit, { kind: 'error', message: 'time: unknown unit "d" in duration "3d"' });
});

describe('formatDuration (Go Duration.String)', () => {
  it('prints durations as Go does', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [5000, '5s'],
      [60_000, '1m0s'],
      [90_500, '1m30.5s'],
      [3_723_000, '1h2m3s'],
      [3_600_000, '1h0m0s'],
      [250, '250ms'],
      [1.5, '1.5ms'],
      [0.002, '2µs'],
      [-1500, '-1.5s'],
    ];
    for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, String(ms));
  });
  it('round-trips through parseDuration', () => {
    for (const text of ['1h2m3s', '1m30.5s', '250ms']) {
      const parsed = parseDuration(text);
      assert.ok(parsed.kind === 'ok');
      assert.equal(formatDuration(parsed.ms), text);
    }
  });
});

it('formats durations as hako/durafmt limited to two units', () => {
  assert.equal(durafmt(14.284), '14 milliseconds 284 microseconds');
  assert.equal(durafmt(0), '0 seconds');
  assert.equal(durafmt(1000), '1 second');
  assert.equal(durafmt(61_001), '1 minute 1 second');
  assert.equal(durafmt(3_600_000 + 120_000 + 5000), '1 hour 2 minutes');
  assert.equal(durafmt(0.001), '1 microsecond');
  assert.equal(durafmt(1.001), '1 millisecond 1 microsecond');
});
