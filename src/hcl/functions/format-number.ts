/**
 * Go's fmt verbs for cty numbers, as cty's `format` applies them: `%d %b %o %x %X` on
 * the integer (big.Int's Format) and `%e %E %f %g %G` on the decimal (big.Float's
 * Format), with width, precision and the `+ - # 0 space` flags. kiln numbers are exact
 * decimals, so a digit that Go rounds from a binary fraction may differ in the last place.
 */
import type { Num } from '../cty/number.js';
import { toBigInt } from '../cty/number.js';

export interface NumberVerb {
  readonly mode: string;
  readonly width: number; // -1 = none
  readonly prec: number; // -1 = none
  readonly zero: boolean;
  readonly minus: boolean;
  readonly plus: boolean;
  readonly space: boolean;
  readonly sharp: boolean;
}

function pad(verb: NumberVerb, sign: string, body: string, zeroOk: boolean): string {
  const padding = verb.width > sign.length + body.length ? verb.width - sign.length - body.length : 0;
  if (verb.zero && zeroOk && !verb.minus) return sign + '0'.repeat(padding) + body;
  if (verb.minus) return sign + body + ' '.repeat(padding);
  return ' '.repeat(padding) + sign + body;
}

/** big.Int's Format for `%b %o %d %x %X`. */
export function formatInteger(verb: NumberVerb, n: bigint): string {
  const base = verb.mode === 'b' ? 2 : verb.mode === 'o' ? 8 : verb.mode === 'x' || verb.mode === 'X' ? 16 : 10;
  const neg = n < 0n;
  let digits = (neg ? -n : n).toString(base);
  if (verb.mode === 'X') digits = digits.toUpperCase();
  if (verb.prec >= 0) {
    if (verb.prec === 0 && n === 0n) digits = '';
    else if (digits.length < verb.prec) digits = '0'.repeat(verb.prec - digits.length) + digits;
  }
  let prefix = '';
  if (verb.sharp) prefix = base === 2 ? '0b' : base === 8 ? '0' : base === 16 ? (verb.mode === 'X' ? '0X' : '0x') : '';
  const sign = neg ? '-' : verb.plus ? '+' : verb.space ? ' ' : '';
  const head = sign + prefix;
  const padding = verb.width > head.length + digits.length ? verb.width - head.length - digits.length : 0;
  if (verb.minus) return head + digits + ' '.repeat(padding);
  if (verb.zero && verb.prec < 0) return head + '0'.repeat(padding) + digits;
  return ' '.repeat(padding) + head + digits;
}

/** Decimal digits (no leading/trailing zeros) and exponent: value = 0.digits × 10^exp. */
interface Decimal {
  digits: string;
  exp: number;
}

function toDecimal(n: Num): Decimal {
  if (typeof n === 'number') {
    const d = Math.abs(n).toString();
    if (d === '0') return { digits: '', exp: 0 };
    const trimmed = d.replace(/0+$/, '');
    return { digits: trimmed, exp: d.length };
  }
  const abs = n.coef < 0n ? -n.coef : n.coef;
  const digits = abs.toString();
  return { digits: digits.replace(/0+$/, ''), exp: digits.length + n.exp };
}

/** Rounds to `nd` significant digits, half-even on the exact decimal (Go's decimal.round). */
function round(d: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === d.digits.length) up = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = next >= 5;
  let digits = d.digits.slice(0, nd);
  let exp = d.exp;
  if (up) {
    let i = digits.length - 1;
    while (i >= 0 && digits[i] === '9') i--;
    if (i < 0) {
      digits = '1';
      exp += 1;
    } else {
      digits = digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1);
    }
  }
  digits = digits.replace(/0+$/, '');
  return { digits, exp: digits === '' ? 0 : exp };
}

function fmtE(d: Decimal, prec: number, upper: boolean): string {
  const first = d.digits[0] ?? '0';
  let s = first;
  if (prec > 0) s += '.' + (d.digits.slice(1) + '0'.repeat(prec)).slice(0, prec);
  const e = d.digits === '' ? 0 : d.exp - 1;
  const ae = Math.abs(e);
  return `${s}${upper ? 'E' : 'e'}${e < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
}

function fmtF(d: Decimal, prec: number): string {
  let intPart: string;
  if (d.exp > 0) intPart = (d.digits + '0'.repeat(Math.max(0, d.exp - d.digits.length))).slice(0, d.exp);
  else intPart = '0';
  let s = intPart;
  if (prec > 0) {
    let frac = '';
    for (let i = 0; i < prec; i++) {
      const j = d.exp + i;
      frac += j >= 0 && j < d.digits.length ? d.digits[j] : '0';
    }
    s += '.' + frac;
  }
  return s;
}

/** big.Float's Text for `e E f g G` with precision `prec` (-1 = shortest). */
export function floatText(n: Num, mode: string, precIn: number): string {
  if (typeof n === 'number' && !Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  const neg = typeof n === 'number' ? n < 0 : n.coef < 0n;
  let d = toDecimal(n);
  let prec = precIn;
  const shortest = prec < 0;
  if (!shortest) {
    if (mode === 'e' || mode === 'E') d = round(d, 1 + prec);
    else if (mode === 'f') d = round(d, d.exp + prec);
    else {
      if (prec === 0) prec = 1;
      d = round(d, prec);
    }
  } else {
    if (mode === 'e' || mode === 'E') prec = d.digits.length - 1;
    else if (mode === 'f') prec = Math.max(d.digits.length - d.exp, 0);
    else prec = d.digits.length;
  }
  let body: string;
  if (mode === 'e' || mode === 'E') body = fmtE(d, prec, mode === 'E');
  else if (mode === 'f') body = fmtF(d, prec);
  else {
    let eprec = prec;
    if (eprec > d.digits.length && d.digits.length >= d.exp) eprec = d.digits.length;
    if (shortest) eprec = 6;
    const exp = d.exp - 1;
    if (d.digits !== '' && (exp < -4 || exp >= eprec)) {
      if (prec > d.digits.length) prec = d.digits.length;
      body = fmtE(d, prec - 1, mode === 'G');
    } else {
      if (prec > d.exp) prec = d.digits.length;
      body = fmtF(d, Math.max(prec - d.exp, 0));
    }
  }
  return (neg ? '-' : '') + body;
}

/** big.Float's Format: text, then sign flags and padding. */
export function formatFloat(verb: NumberVerb, n: Num): string {
  const prec = verb.prec >= 0 ? verb.prec : verb.mode === 'g' || verb.mode === 'G' ? -1 : 6;
  let buf = floatText(n, verb.mode, prec);
  let sign = '';
  if (buf.startsWith('-')) {
    sign = '-';
    buf = buf.slice(1);
  } else if (buf.startsWith('+')) {
    sign = verb.space ? ' ' : '+';
    buf = buf.slice(1);
  } else if (verb.plus) sign = '+';
  else if (verb.space) sign = ' ';
  const inf = typeof n === 'number' && !Number.isFinite(n);
  return pad(verb, sign, buf, !inf);
}

/** The exact integer of a number, undefined when it has a fraction or is infinite. */
export function exactInteger(n: Num): bigint | undefined {
  return toBigInt(n);
}
