import assert from 'node:assert/strict';
import { it } from 'node:test';
import { durafmt } from './durafmt.js';

it('formats durations as hako/durafmt limited to two units', () => {
  assert.equal(durafmt(14.284), '14 milliseconds 284 microseconds');
  assert.equal(durafmt(0), '0 seconds');
  assert.equal(durafmt(1000), '1 second');
  assert.equal(durafmt(61_001), '1 minute 1 second');
  assert.equal(durafmt(3_600_000 + 120_000 + 5000), '1 hour 2 minutes');
  assert.equal(durafmt(0.001), '1 microsecond');
  assert.equal(durafmt(1.001), '1 millisecond 1 microsecond');
});
