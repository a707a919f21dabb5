/** Go's `time.ParseDuration`, exactly: the value in nanoseconds or Go's error text. */
import { goTimeQuote } from './go-time.js';

const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const LIMIT = 1n << 63n;

/** The duration of `orig` in nanoseconds, or Go's error message. */
export function parseGoDuration(orig: string): bigint | string {
  const invalid = `time: invalid duration ${goTimeQuote(orig)}`;
  let s = orig;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return invalid;
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0]! >= '0' && s[0]! <= '9'))) return invalid;
    const intMatch = /^\d*/.exec(s)![0];
    let v = 0n;
    for (const c of intMatch) {
      if (v > LIMIT / 10n) return invalid;
      v = v * 10n + BigInt(c.charCodeAt(0) - 48);
      if (v > LIMIT) return invalid;
    }
    s = s.slice(intMatch.length);
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === '.') {
      const frac = /^\d*/.exec(s.slice(1))![0];
      s = s.slice(1 + frac.length);
      post = frac.length > 0;
      let overflow = false;
      for (const c of frac) {
        if (overflow) continue;
        if (f > (LIMIT - 1n) / 10n) {
          overflow = true;
          continue;
        }
        f = f * 10n + BigInt(c.charCodeAt(0) - 48);
        scale *= 10;
      }
    }
    if (intMatch.length === 0 && !post) return invalid;
    const unitText = /^[^.0-9]*/.exec(s)![0];
    if (unitText === '') return `time: missing unit in duration ${goTimeQuote(orig)}`;
    s = s.slice(unitText.length);
    const unit = UNITS[unitText];
    if (unit === undefined) return `time: unknown unit ${goTimeQuote(unitText)} in duration ${goTimeQuote(orig)}`;
    if (v > LIMIT / unit) return invalid;
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) return invalid;
    }
    d += v;
    if (d > LIMIT) return invalid;
  }
  if (neg) return -d;
  if (d > LIMIT - 1n) return invalid;
  return d;
}
