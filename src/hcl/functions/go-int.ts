/**
 * Go's `gocty.FromCtyValue(v, &int)`: a cty number read into a 64-bit Go int, with
 * gocty's message when it is not a whole number in range.
 */
import { toBigInt } from '../cty/number.js';
import type { Value } from '../cty/value.js';

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

/** gocty's message for a number that does not fit a Go `int` (64-bit). */
export const NOT_AN_INT64 = `value must be a whole number, between ${MIN_INT64} and ${MAX_INT64}`;

/** The known number `v` as an int64, or undefined when it is fractional, infinite or out of range. */
export function toInt64(v: Value): bigint | undefined {
  const n = toBigInt(v.asNumber());
  if (n === undefined || n < MIN_INT64 || n > MAX_INT64) return undefined;
  return n;
}
