/**
 * Reading cty numbers as Go integers, the way go-cty's `gocty.FromCtyValue` does when a
 * function wants an `int`: whole and within int64, else gocty's message.
 */
import { toBigInt } from '../cty/number.js';
import type { Value } from '../cty/value.js';

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

/** gocty's message for a number that does not fit a Go `int`. */
export const NOT_A_GO_INT = `value must be a whole number, between ${MIN_INT64} and ${MAX_INT64}`;

/** The known number as an exact int64, or gocty's error message. */
export function goInt64(v: Value): bigint | string {
  const n = toBigInt(v.asNumber());
  return n === undefined || n < MIN_INT64 || n > MAX_INT64 ? NOT_A_GO_INT : n;
}

/**
 * The known number as a JS integer, or gocty's error message. Integers beyond ±2^53
 * come back as the nearest double: callers use them as indexes, counts and widths,
 * where such sizes fail later anyway.
 */
export function goInt(v: Value): number | string {
  const n = goInt64(v);
  return typeof n === 'string' ? n : Number(n);
}
