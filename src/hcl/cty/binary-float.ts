/**
 * Just enough of Go's `math/big.Float` at cty's 512-bit precision to reproduce the
 * operations where cty's binary rounding shows through kiln's decimal numbers — today
 * only `%` on non-integers, which cty computes as `a - b × trunc(a / b)` with every step
 * rounded to 512 bits (`11 % 5.1` is `0.8000…024`, not `0.8`).
 *
 * A {@link BinFloat} is `m × 2^e` with `|m| < 2^512`, rounded half-to-even like
 * big.Float's default mode. Conversions: {@link decimalToBin} rounds a decimal
 * `coef × 10^exp` correctly (big.ParseFloat does the same for the literals cty reads),
 * {@link binToShortestDecimal} gives the shortest decimal that reads back to the same
 * 512-bit value (big.Float's `Text('f', -1)`, with its digit walk).
 *
 * Caveat: big.Float keeps a precision per value (a `NumberIntVal` has 64 bits); kiln
 * does not track it and assumes 512 bits for every operand.
 */

/** Mantissa bits of every value (cty parses numbers with this precision). */
export const BIN_PRECISION = 512;

/** `m × 2^e`; `m === 0n` is zero. */
export interface BinFloat {
  readonly m: bigint;
  readonly e: number;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** `num / den` (both positive) rounded half-to-even to {@link BIN_PRECISION} bits. */
function roundRatio(num: bigint, den: bigint): BinFloat {
  // Scale so the integer quotient has PRECISION + 1 or + 2 bits: the extra bits and the
  // remainder (sticky) decide the rounding.
  const s = BIN_PRECISION + 1 - (bitLength(num) - bitLength(den));
  const n = s >= 0 ? num << BigInt(s) : num;
  const d = s >= 0 ? den : den << BigInt(-s);
  let q = n / d;
  const sticky = n % d !== 0n;
  const extra = bitLength(q) - BIN_PRECISION;
  let e = -s;
  if (extra > 0) {
    const rem = q & ((1n << BigInt(extra)) - 1n);
    const half = 1n << BigInt(extra - 1);
    q >>= BigInt(extra);
    e += extra;
    if (rem > half || (rem === half && (sticky || (q & 1n) === 1n))) q += 1n;
    if (bitLength(q) > BIN_PRECISION) {
      q >>= 1n;
      e += 1;
    }
  }
  return { m: q, e };
}

function signed(neg: boolean, x: BinFloat): BinFloat {
  return neg ? { m: -x.m, e: x.e } : x;
}

/** The exact value `x × 2^e` rounded to {@link BIN_PRECISION} bits. */
function roundExact(x: bigint, e: number): BinFloat {
  if (x === 0n) return { m: 0n, e: 0 };
  const r = roundRatio(abs(x), 1n);
  return signed(x < 0n, { m: r.m, e: r.e + e });
}

/** The decimal `coef × 10^exp` rounded to the nearest 512-bit binary value. */
export function decimalToBin(coef: bigint, exp: number): BinFloat {
  if (coef === 0n) return { m: 0n, e: 0 };
  const p = 10n ** BigInt(Math.abs(exp));
  const r = exp >= 0 ? roundRatio(abs(coef) * p, 1n) : roundRatio(abs(coef), p);
  return signed(coef < 0n, r);
}

export function binSub(a: BinFloat, b: BinFloat): BinFloat {
  const e = Math.min(a.e, b.e);
  return roundExact((a.m << BigInt(a.e - e)) - (b.m << BigInt(b.e - e)), e);
}

export function binMul(a: BinFloat, b: BinFloat): BinFloat {
  return roundExact(a.m * b.m, a.e + b.e);
}

/** `a / b`, b non-zero. */
export function binQuo(a: BinFloat, b: BinFloat): BinFloat {
  if (a.m === 0n) return a;
  const num = abs(a.m) << BigInt(Math.max(0, a.e - b.e));
  const den = abs(b.m) << BigInt(Math.max(0, b.e - a.e));
  return signed(a.m < 0n !== b.m < 0n, roundRatio(num, den));
}

/** The integer part, truncated toward zero (big.Float.Int). */
export function binTrunc(a: BinFloat): bigint {
  return a.e >= 0 ? a.m << BigInt(a.e) : a.m / (1n << BigInt(-a.e));
}

export function binFromInt(x: bigint): BinFloat {
  return roundExact(x, 0);
}

/** Decimal digits (no leading zeros, trailing zeros trimmed) of a positive `x × 2^e`, and the point position. */
interface Decimal {
  digits: string;
  /** value = 0.digits × 10^point */
  point: number;
}

function decimalOf(x: bigint, e: number): Decimal {
  const text = e >= 0 ? (x << BigInt(e)).toString() : (x * 5n ** BigInt(-e)).toString();
  const point = e >= 0 ? text.length : text.length + e;
  return { digits: text.replace(/0+$/, ''), point };
}

function roundUpAt(d: Decimal, n: number): Decimal {
  let i = n - 1;
  while (i >= 0 && d.digits[i] === '9') i--;
  if (i < 0) return { digits: '1', point: d.point + 1 };
  return { digits: d.digits.slice(0, i) + String(Number(d.digits[i]) + 1), point: d.point };
}

function roundDownAt(d: Decimal, n: number): Decimal {
  return { digits: d.digits.slice(0, n).replace(/0+$/, ''), point: d.point };
}

/** Half-to-even at n digits (big's decimal.round). */
function roundAt(d: Decimal, n: number): Decimal {
  const c = d.digits[n];
  if (c === undefined) return d;
  const up = c === '5' && n + 1 === d.digits.length ? n > 0 && Number(d.digits[n - 1]) % 2 === 1 : c >= '5';
  return up ? roundUpAt(d, n) : roundDownAt(d, n);
}

/**
 * The shortest decimal that rounds back to `x` at 512 bits, as big.Float's
 * `roundShortest` finds it: walk the digits of x and of the half-ulp neighbours until
 * they differ. Returns `coef × 10^exp`.
 */
export function binToShortestDecimal(x: BinFloat): { coef: bigint; exp: number } {
  if (x.m === 0n) return { coef: 0n, exp: 0 };
  // M × 2^E with PRECISION + 1 bits, so that M's lowest bit is half an ulp.
  let M = abs(x.m);
  let E = x.e;
  const s = bitLength(M) - (BIN_PRECISION + 1);
  if (s < 0) M <<= BigInt(-s);
  else M >>= BigInt(s);
  E += s;
  let d = decimalOf(M, E);
  const lower = decimalOf(M - 1n, E);
  const upper = decimalOf(M + 1n, E);
  const inclusive = (M & 2n) === 0n;
  const at = (dec: Decimal, i: number): string => dec.digits[i] ?? '0';
  for (let i = 0; i < d.digits.length; i++) {
    const m = d.digits[i]!;
    const l = at(lower, i);
    const u = at(upper, i);
    const okDown = l !== m || (inclusive && i + 1 === lower.digits.length);
    const okUp = m !== u && (inclusive || Number(m) + 1 < Number(u) || i + 1 < upper.digits.length);
    if (okDown && okUp) d = roundAt(d, i + 1);
    else if (okDown) d = roundDownAt(d, i + 1);
    else if (okUp) d = roundUpAt(d, i + 1);
    else continue;
    break;
  }
  const coef = BigInt(d.digits === '' ? '0' : d.digits);
  return { coef: x.m < 0n ? -coef : coef, exp: d.point - d.digits.length };
}
