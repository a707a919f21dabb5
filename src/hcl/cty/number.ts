/**
 * cty numbers: arbitrary-precision decimals with infinities.
 *
 * go-cty stores numbers as `big.Float` (512-bit binary mantissa when parsed from text)
 * and prints them as the shortest decimal that round-trips. kiln stores **decimals**
 * instead, which prints the same text for every value written in source or converted
 * from a float64, and avoids binary artefacts (`0.1 + 0.2` is exactly `0.3`).
 *
 * Representation ({@link Num}):
 * - a JS `number` holding a safe integer (|n| < 2^53) or ±Infinity — the fast path, no
 *   allocation for the integers that dominate real templates;
 * - a {@link BigDec} `coef × 10^exp` for everything else, normalised (no trailing zeros in
 *   `coef`, never a safe integer with `exp >= 0`).
 *
 * Precision: every result is rounded half-to-even to {@link PRECISION} significant
 * decimal digits (155 ≈ the 512-bit mantissa cty uses). Addition, subtraction and
 * multiplication are exact below that; a division such as `1/3` gives 155 digits where
 * cty gives the shortest decimal of its 512-bit quotient (also about 155 digits, the last
 * one may differ). Modulo of integers is exact; with a fraction it follows cty's 512-bit
 * binary steps (see {@link modNum}).
 * `-0` does not exist (it is 0). Operations that Go's big.Float rejects with ErrNaN
 * (`Inf - Inf`, `0 * Inf`, `0/0`, `Inf/Inf`) throw {@link NumberNaNError}.
 */

import { binFromInt, binMul, binQuo, binSub, binToShortestDecimal, binTrunc, decimalToBin } from './binary-float.js';

/** Significant decimal digits kept by every arithmetic result and parsed literal. */
export const PRECISION = 155;

/** A finite non-safe-integer number: `coef × 10^exp`. Immutable; build with {@link makeNum}. */
export class BigDec {
  constructor(
    readonly coef: bigint,
    readonly exp: number,
  ) {}
}

/** A cty number: safe integer / ±Infinity as a JS number, anything else as a {@link BigDec}. */
export type Num = number | BigDec;

/** Thrown where big.Float would panic with ErrNaN; the function layer turns it into an error. */
export class NumberNaNError extends Error {
  constructor(what: string) {
    super(`${what} is not a number`);
    this.name = 'NumberNaNError';
  }
}

const TEN = 10n;
const POW10: bigint[] = [1n];
function pow10(n: number): bigint {
  if (n < 64) {
    while (POW10.length <= n) POW10.push(POW10[POW10.length - 1]! * TEN);
    return POW10[n]!;
  }
  return TEN ** BigInt(n);
}

function absBig(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function digitCount(x: bigint): number {
  const a = absBig(x);
  if (a < 10000000000000000n) return a === 0n ? 1 : String(a).length;
  return a.toString().length;
}

/** Builds the canonical Num of `coef × 10^exp`, rounding half-even to PRECISION digits. */
export function makeNum(coef: bigint, exp: number, sticky = false): Num {
  if (coef === 0n) return 0;
  const neg = coef < 0n;
  let c = neg ? -coef : coef;
  let e = exp;
  const d = digitCount(c);
  if (d > PRECISION) {
    const drop = d - PRECISION;
    const div = pow10(drop);
    let q = c / div;
    const rem = c % div;
    const twice = rem * 2n;
    if (twice > div || (twice === div && (sticky || (q & 1n) === 1n))) q += 1n;
    c = q;
    e += drop;
  }
  while (c % TEN === 0n) {
    c /= TEN;
    e += 1;
  }
  if (e >= 0 && e < 16) {
    const n = c * pow10(e);
    if (n <= 9007199254740991n) return neg ? -Number(n) : Number(n);
  }
  return new BigDec(neg ? -c : c, e);
}

/** Parts of a finite Num. */
function parts(n: number | BigDec): [bigint, number] {
  if (typeof n === 'number') return [BigInt(n), 0];
  return [n.coef, n.exp];
}

export function isFiniteNum(n: Num): boolean {
  return typeof n !== 'number' || Number.isFinite(n);
}

/** -1, 0 or 1. */
export function signNum(n: Num): number {
  if (typeof n === 'number') return n > 0 ? 1 : n < 0 ? -1 : 0;
  return n.coef > 0n ? 1 : -1;
}

/** Position of the most significant digit (10^adj <= |n| < 10^(adj+1)); n must be finite, non-zero. */
function adjusted(c: bigint, e: number): number {
  return e + digitCount(c) - 1;
}

export function negNum(n: Num): Num {
  if (typeof n === 'number') return n === 0 ? 0 : -n;
  return new BigDec(-n.coef, n.exp);
}

export function absNum(n: Num): Num {
  return signNum(n) < 0 ? negNum(n) : n;
}

export function addNum(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
    if (Number.isNaN(r)) throw new NumberNaNError('addition of infinities with opposite signs');
    if (!Number.isFinite(a) || !Number.isFinite(b)) return r;
  } else {
    if (typeof a === 'number' && !Number.isFinite(a)) return a;
    if (typeof b === 'number' && !Number.isFinite(b)) return b;
  }
  const [ca, ea] = parts(a as number | BigDec);
  const [cb, eb] = parts(b as number | BigDec);
  if (ca === 0n) return b;
  if (cb === 0n) return a;
  // A term below half an ulp of the other cannot change the rounded sum; skipping it
  // keeps 1e100000 + 1 from building a 100000-digit integer.
  const adjA = adjusted(ca, ea);
  const adjB = adjusted(cb, eb);
  if (adjA - adjB > PRECISION + 2) return a;
  if (adjB - adjA > PRECISION + 2) return b;
  const e = Math.min(ea, eb);
  return makeNum(ca * pow10(ea - e) + cb * pow10(eb - e), e);
}

export function subNum(a: Num, b: Num): Num {
  return addNum(a, negNum(b));
}

export function mulNum(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
    if (Number.isNaN(r)) throw new NumberNaNError('multiplication of zero with infinity');
    if (!Number.isFinite(r) && (!Number.isFinite(a) || !Number.isFinite(b))) return r;
  } else if (!isFiniteNum(a) || !isFiniteNum(b)) {
    const s = signNum(a) * signNum(b);
    if (s === 0) throw new NumberNaNError('multiplication of zero with infinity');
    return s > 0 ? Infinity : -Infinity;
  }
  const [ca, ea] = parts(a as number | BigDec);
  const [cb, eb] = parts(b as number | BigDec);
  return makeNum(ca * cb, ea + eb);
}

export function divNum(a: Num, b: Num): Num {
  const sa = signNum(a);
  const sb = signNum(b);
  const fa = isFiniteNum(a);
  const fb = isFiniteNum(b);
  if (!fa && !fb) throw new NumberNaNError('division of infinity by infinity');
  if (!fa) return sa * (sb < 0 ? -1 : 1) > 0 ? Infinity : -Infinity;
  if (!fb) return 0;
  if (sb === 0) {
    if (sa === 0) throw new NumberNaNError('division of zero by zero');
    return sa > 0 ? Infinity : -Infinity;
  }
  if (sa === 0) return 0;
  if (typeof a === 'number' && typeof b === 'number' && a % b === 0) return a / b;
  const [ca, ea] = parts(a as number | BigDec);
  const [cb, eb] = parts(b as number | BigDec);
  const k = Math.max(0, PRECISION + 2 + digitCount(cb) - digitCount(ca));
  const scaled = ca * pow10(k);
  const q = scaled / cb;
  const r = scaled % cb;
  return makeNum(q, ea - eb - k, r !== 0n);
}

/**
 * cty's Modulo: the remainder of truncated division (sign of the dividend); `x % 0` is
 * `x`; with an infinite operand the result is `a * b` as in cty.
 *
 * Integers are exact (cty agrees below 2^512, where its 512-bit quotient cannot round
 * across an integer). With a fraction, cty's binary rounding shows (`11 % 5.1` is
 * `0.8000…024`), so the result comes from {@link binaryModulo}, unless the operands'
 * magnitudes are so far apart that the exact decimal remainder is cheaper to trust.
 */
export function modNum(a: Num, b: Num): Num {
  if (!isFiniteNum(a) || !isFiniteNum(b)) return mulNum(a, b);
  if (signNum(b) === 0) return a;
  const [ca, ea] = parts(a as number | BigDec);
  const [cb, eb] = parts(b as number | BigDec);
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a % b;
    return r === 0 ? 0 : r;
  }
  if (ca === 0n) return 0;
  if ((ea < 0 || eb < 0) && Math.abs(adjusted(ca, ea)) < BINARY_MOD_LIMIT && Math.abs(adjusted(cb, eb)) < BINARY_MOD_LIMIT) {
    return binaryModulo(ca, ea, cb, eb);
  }
  if (adjusted(ca, ea) < adjusted(cb, eb)) return a;
  const e = Math.min(ea, eb);
  const B = absBig(cb * pow10(eb - e));
  // A = |ca| × 10^(ea-e) may be astronomically large; reduce it modulo B piecewise.
  const rem = (absBig(ca) % B) * modPow10(ea - e, B) % B;
  return makeNum(ca < 0n ? -rem : rem, e);
}

/** Decimal exponents beyond which modNum stays decimal (the binary path would build huge powers of ten). */
const BINARY_MOD_LIMIT = 1000;

/** cty's `a - b × trunc(a / b)` with each step rounded to 512 bits, as shortest decimal. */
function binaryModulo(ca: bigint, ea: number, cb: bigint, eb: number): Num {
  const x = decimalToBin(ca, ea);
  const y = decimalToBin(cb, eb);
  const q = binFromInt(binTrunc(binQuo(x, y)));
  const r = binToShortestDecimal(binSub(x, binMul(y, q)));
  return makeNum(r.coef, r.exp);
}

function modPow10(n: number, m: bigint): bigint {
  let result = 1n % m;
  let base = TEN % m;
  let k = n;
  while (k > 0) {
    if (k & 1) result = (result * base) % m;
    base = (base * base) % m;
    k = Math.floor(k / 2);
  }
  return result;
}

/** -1, 0, 1 comparing numerically. */
export function cmpNum(a: Num, b: Num): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const sa = signNum(a);
  const sb = signNum(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (!isFiniteNum(a) || !isFiniteNum(b)) {
    if (isFiniteNum(a)) return -sb;
    if (isFiniteNum(b)) return sa;
    return 0;
  }
  if (sa === 0) return 0;
  const [ca, ea] = parts(a as number | BigDec);
  const [cb, eb] = parts(b as number | BigDec);
  const adjA = adjusted(ca, ea);
  const adjB = adjusted(cb, eb);
  if (adjA !== adjB) return (adjA < adjB ? -1 : 1) * sa;
  const e = Math.min(ea, eb);
  const x = ca * pow10(ea - e);
  const y = cb * pow10(eb - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function numEquals(a: Num, b: Num): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return cmpNum(a, b) === 0;
}

export function isIntegerNum(n: Num): boolean {
  if (typeof n === 'number') return Number.isFinite(n);
  return n.exp >= 0;
}

/** The value as a JS integer when it is an exact safe integer, else undefined. */
export function toSafeInteger(n: Num): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** The exact integer value, or undefined when not an integer or infinite. */
export function toBigInt(n: Num): bigint | undefined {
  if (typeof n === 'number') return Number.isFinite(n) ? BigInt(n) : undefined;
  return n.exp >= 0 ? n.coef * pow10(n.exp) : undefined;
}

/** Nearest float64 (may lose precision, as big.Float.Float64 does). */
export function toFloat64(n: Num): number {
  if (typeof n === 'number') return n;
  return Number(`${n.coef}e${n.exp}`);
}

export function fromBigInt(x: bigint): Num {
  return makeNum(x, 0);
}

/** A float64 as cty.NumberFloatVal keeps it: prints as JS/Go shortest round-trip text. NaN throws. */
export function fromFloat64(x: number): Num {
  if (Number.isNaN(x)) throw new NumberNaNError('NaN');
  if (Number.isSafeInteger(x) || !Number.isFinite(x)) return x === 0 ? 0 : x;
  const parsed = parseNum(String(x));
  if (parsed === undefined) throw new Error(`internal: cannot parse float ${x}`);
  return parsed;
}

const NUMBER_RE = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?$/;

/**
 * Parses decimal text as Go's `big.ParseFloat(s, 10, …)` accepts it (sign, digits with an
 * optional point, optional exponent, `Inf`/`inf` with a sign). Undefined when invalid.
 */
export function parseNum(s: string): Num | undefined {
  if (s.length < 16 && /^-?\d+$/.test(s)) {
    const n = Number(s);
    if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
  }
  const m = NUMBER_RE.exec(s);
  if (m === null) {
    const inf = /^([+-]?)[Ii]nf$/.exec(s);
    if (inf === null) return undefined;
    return inf[1] === '-' ? -Infinity : Infinity;
  }
  const intPart = m[2] ?? '';
  const frac = m[3] ?? m[4] ?? '';
  const expText = m[5];
  let exp = expText === undefined ? 0 : Number(expText);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1e9) return undefined;
  exp -= frac.length;
  const digits = (intPart + frac).replace(/^0+/, '');
  if (digits === '') return 0;
  const coef = BigInt(digits);
  return makeNum(m[1] === '-' ? -coef : coef, exp);
}

/**
 * The number as cty converts it to a string: `big.Float.Text('f', -1)` — plain decimal
 * notation, no exponent, `+Inf` / `-Inf` for the infinities.
 */
export function formatNum(n: Num): string {
  if (typeof n === 'number') {
    if (n === Infinity) return '+Inf';
    if (n === -Infinity) return '-Inf';
    return String(n);
  }
  const neg = n.coef < 0n;
  const digits = absBig(n.coef).toString();
  let body: string;
  if (n.exp >= 0) body = digits + '0'.repeat(n.exp);
  else {
    const point = digits.length + n.exp;
    body = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return neg ? `-${body}` : body;
}

/** Go's `big.Float.String()` (`%.10g`): used only for cty's set-element hash text. */
export function formatNumG10(n: Num): string {
  if (typeof n === 'number' && !Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  const [c0, e0] = parts(n as number | BigDec);
  if (c0 === 0n) return '0';
  const neg = c0 < 0n;
  let c = absBig(c0);
  let e = e0;
  const d = digitCount(c);
  if (d > 10) {
    const drop = d - 10;
    const div = pow10(drop);
    let q = c / div;
    const rem = c % div;
    if (rem * 2n > div || (rem * 2n === div && (q & 1n) === 1n)) q += 1n;
    c = q;
    e += drop;
  }
  while (c % TEN === 0n) {
    c /= TEN;
    e += 1;
  }
  const digits = c.toString();
  const x = e + digits.length - 1;
  let body: string;
  if (x < -4 || x >= 10) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ex = Math.abs(x);
    body = `${mant}e${x < 0 ? '-' : '+'}${ex < 10 ? '0' : ''}${ex}`;
  } else {
    body = formatNum(makeNum(c, e));
  }
  return neg ? `-${body}` : body;
}
