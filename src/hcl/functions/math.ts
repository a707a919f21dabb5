/**
 * cty stdlib's numeric functions beyond min/max and the operators: ceil, floor, log,
 * pow, signum, parseint. `log` and `pow` compute in float64, as cty does (through
 * gocty), so their results are float64 values; ceil and floor are exact.
 */
import type { Num } from '../cty/number.js';
import { fromBigInt, fromFloat64, signNum, toFloat64 } from '../cty/number.js';
import { dynamicType, friendlyName, numberType, typeEquals, stringType } from '../cty/type.js';
import { numberIntVal, numberVal } from '../cty/value.js';
import { ArgError, CallError, defineFunction, staticReturnType } from './function.js';
import { goInt } from './go-value.js';

/** Rounds toward -Infinity (`up` false) or +Infinity (`up` true); exact for any size. */
function roundToInteger(n: Num, up: boolean): Num {
  if (typeof n === 'number' || n.exp >= 0) return n;
  const digits = (n.coef < 0n ? -n.coef : n.coef).toString().length;
  if (digits + n.exp <= 0) {
    // |n| < 1: the result is 0 or ±1 without building 10^-exp.
    const s = signNum(n);
    return up ? (s > 0 ? 1 : 0) : s < 0 ? -1 : 0;
  }
  const d = 10n ** BigInt(-n.exp);
  let q = n.coef / d;
  const r = n.coef % d;
  if (up && r > 0n) q += 1n;
  if (!up && r < 0n) q -= 1n;
  return fromBigInt(q);
}

/** `ceil(num)`: the smallest integer not less than `num`; infinities stay. */
export const ceilFunc = defineFunction({
  description: 'Returns the smallest whole number that is greater than or equal to the given value.',
  params: [{ name: 'num', type: numberType }],
  type: staticReturnType(numberType),
  impl: (args) => numberVal(roundToInteger(args[0]!.asNumber(), true)),
});

/** `floor(num)`: the greatest integer not greater than `num`; infinities stay. */
export const floorFunc = defineFunction({
  description: 'Returns the greatest whole number that is less than or equal to the given value.',
  params: [{ name: 'num', type: numberType }],
  type: staticReturnType(numberType),
  impl: (args) => numberVal(roundToInteger(args[0]!.asNumber(), false)),
});

/** `log(num, base)`: the logarithm in float64, as `ln(num) / ln(base)`. */
export const logFunc = defineFunction({
  description: 'Returns the logarithm of the given number in the given base.',
  params: [
    { name: 'num', type: numberType },
    { name: 'base', type: numberType },
  ],
  type: staticReturnType(numberType),
  impl: (args) => numberVal(fromFloat64(Math.log(toFloat64(args[0]!.asNumber())) / Math.log(toFloat64(args[1]!.asNumber())))),
});

/** `pow(num, power)`: exponentiation in float64. */
export const powFunc = defineFunction({
  description: 'Returns the given number raised to the given power (exponentiation).',
  params: [
    { name: 'num', type: numberType },
    { name: 'power', type: numberType },
  ],
  type: staticReturnType(numberType),
  impl: (args) => numberVal(fromFloat64(Math.pow(toFloat64(args[0]!.asNumber()), toFloat64(args[1]!.asNumber())))),
});

/** `signum(num)`: -1, 0 or 1; like cty, the argument must be a whole number. */
export const signumFunc = defineFunction({
  description: 'Returns 0 if the given number is zero, 1 if the given number is positive, or -1 if the given number is negative.',
  params: [{ name: 'num', type: numberType }],
  type: staticReturnType(numberType),
  impl: (args) => {
    const n = goInt(args[0]!);
    if (typeof n === 'string') return new CallError(n);
    return numberIntVal(Math.sign(n));
  },
});

/** `parseint(number, base)`: an integer written in base 2..62 (Go's big.Int digits). */
export const parseIntFunc = defineFunction({
  description: 'Parses the given string as a representation of an integer in the specified base and returns the resulting number.',
  params: [
    { name: 'number', type: dynamicType },
    { name: 'base', type: numberType },
  ],
  type: (args) => {
    const t = args[0]!.type;
    if (!typeEquals(t, stringType)) return new ArgError(0, `first argument must be a string, not ${friendlyName(t)}`);
    return numberType;
  },
  impl: (args) => {
    const text = args[0]!.asString();
    const base = goInt(args[1]!);
    if (typeof base === 'string') return new ArgError(1, base);
    if (base < 2 || base > 62) return new ArgError(1, 'base must be a whole number between 2 and 62 inclusive');
    const n = parseBigInt(text, base);
    if (n === undefined) return new ArgError(0, `cannot parse ${goQuote(text)} as a base ${base} integer`);
    return numberVal(fromBigInt(n));
  },
});

/** Go's big.Int.SetString for a base in 2..62: optional sign, then digits only. */
function parseBigInt(text: string, base: number): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    neg = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '') return undefined;
  const b = BigInt(base);
  let n = 0n;
  for (const ch of s) {
    const d = digitValue(ch, base);
    if (d === undefined || d >= base) return undefined;
    n = n * b + BigInt(d);
  }
  return neg ? -n : n;
}

function digitValue(ch: string, base: number): number | undefined {
  const c = ch.charCodeAt(0);
  if (ch.length !== 1) return undefined;
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 97 + 10;
  // Up to base 36 letters are case-insensitive; above, upper case is 36..61.
  if (c >= 65 && c <= 90) return base <= 36 ? c - 65 + 10 : c - 65 + 36;
  return undefined;
}

/** Go's `%q` of a string (strconv.Quote), for messages. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (cp === 7) out += '\\a';
    else if (cp === 8) out += '\\b';
    else if (cp === 12) out += '\\f';
    else if (cp === 10) out += '\\n';
    else if (cp === 13) out += '\\r';
    else if (cp === 9) out += '\\t';
    else if (cp === 11) out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (!isGoPrintable(cp)) out += cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** An approximation of Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and U+0020. */
function isGoPrintable(cp: number): boolean {
  if (cp === 0x20) return true;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp));
}
