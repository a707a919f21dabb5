/**
 * The parts of Go's `time` package that cty's and Packer's date functions rely on:
 * an instant with a fixed UTC offset ({@link GoTime}), its calendar fields, RFC 3339
 * formatting, and `time.Parse` for the RFC 3339 layouts with Go's exact
 * `time.ParseError` fields (cty turns those into its own messages).
 */

/** An instant (whole seconds since the epoch plus nanoseconds) seen at a fixed UTC offset. */
export interface GoTime {
  readonly unix: bigint;
  readonly nanos: number;
  /** Seconds east of UTC. */
  readonly offset: number;
}

/** Calendar fields of a {@link GoTime} in its own offset. */
export interface Civil {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday, as Go's time.Weekday. */
  readonly weekday: number;
  /** 1–366 */
  readonly yearDay: number;
}

export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

export function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The calendar fields of `t` in its own offset. */
export function civil(t: GoTime): Civil {
  const local = t.unix + BigInt(t.offset);
  const days = Number(floorDiv(local, 86400n));
  const sod = Number(local - BigInt(days) * 86400n);
  const [year, month, day] = civilFromDays(days);
  return {
    year, month, day,
    hour: Math.floor(sod / 3600),
    minute: Math.floor(sod / 60) % 60,
    second: sod % 60,
    weekday: (((days + 4) % 7) + 7) % 7,
    yearDay: days - daysFromCivil(year, 1, 1) + 1,
  };
}

/** Go's Time.ISOWeek: [ISO year, ISO week]. */
export function isoWeek(c: Civil): [number, number] {
  const isoWd = c.weekday === 0 ? 7 : c.weekday;
  const thursday = daysFromCivil(c.year, c.month, c.day) + (4 - isoWd);
  const [ty] = civilFromDays(thursday);
  const yday = thursday - daysFromCivil(ty, 1, 1);
  return [ty, Math.floor(yday / 7) + 1];
}

/** The instant of calendar fields at `offset` seconds east of UTC (Go's time.Date with a fixed zone). */
export function fromCivil(y: number, mo: number, d: number, h: number, mi: number, s: number, nanos: number, offset: number): GoTime {
  const local = BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + s);
  return { unix: local - BigInt(offset), nanos, offset };
}

/** Adds a duration in nanoseconds (Go's Time.Add). */
export function addNanos(t: GoTime, ns: bigint): GoTime {
  const total = BigInt(t.nanos) + ns;
  const sec = floorDiv(total, 1_000_000_000n);
  return { unix: t.unix + sec, nanos: Number(total - sec * 1_000_000_000n), offset: t.offset };
}

const pad = (n: number, w: number): string => String(Math.abs(n)).padStart(w, '0');

/** Go's `-07:00`-style offset text (`sep` between hours and minutes), never `Z`. */
export function offsetText(offset: number, sep: string): string {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${sign}${pad(Math.floor(abs / 3600), 2)}${sep}${pad(Math.floor(abs / 60) % 60, 2)}`;
}

/** Go's `t.Format(time.RFC3339)` (no fraction; `Z` for a zero offset). */
export function formatRFC3339(t: GoTime): string {
  const c = civil(t);
  const year = c.year < 0 ? `-${pad(c.year, 4)}` : pad(c.year, 4);
  const zone = t.offset === 0 ? 'Z' : offsetText(t.offset, ':');
  return `${year}-${pad(c.month, 2)}-${pad(c.day, 2)}T${pad(c.hour, 2)}:${pad(c.minute, 2)}:${pad(c.second, 2)}${zone}`;
}

/** The fields of Go's `*time.ParseError`. */
export interface GoParseError {
  readonly kind: 'parse-error';
  readonly layoutElem: string;
  readonly valueElem: string;
  readonly message: string;
}

const isDigit = (s: string, i: number): boolean => i < s.length && s[i]! >= '0' && s[i]! <= '9';

function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : [s.charCodeAt(0) - 48, s.slice(1)];
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

/** Go's parseNanoseconds for `s` = separator + digits (`n` bytes). */
function nanosOf(s: string, n: number): number {
  const digits = s.slice(1, Math.min(n, 10));
  return Number(digits.padEnd(9, '0'));
}

const perr = (layoutElem: string, valueElem: string, message = ''): GoParseError => ({ kind: 'parse-error', layoutElem, valueElem, message });

/**
 * Go's general `time.Parse` for the layout `2006-01-02<sep>15:04:05Z07:00` (with or
 * without a `.999999999` fraction, which parses the same), producing the time or the
 * exact ParseError fields Go would.
 */
export function goParseRFC3339(value0: string, sep: 'T' | ' ' = 'T'): GoTime | GoParseError {
  let value = value0;
  const skip = (prefix: string): boolean => {
    for (const ch of prefix) {
      if (ch === ' ') {
        if (value.length > 0 && value[0] !== ' ') return false;
        value = value.replace(/^ +/, '');
        continue;
      }
      if (value.length === 0 || value[0] !== ch) return false;
      value = value.slice(1);
    }
    return true;
  };
  // year
  if (value.length < 4 || !isDigit(value, 0) || !/^\d{4}$/.test(value.slice(0, 4))) return perr('2006', value);
  const year = Number(value.slice(0, 4));
  value = value.slice(4);
  const fields: number[] = [];
  const steps: ReadonlyArray<[string, string, boolean, number, string]> = [
    ['-', '01', true, 12, 'month'],
    ['-', '02', true, 99, ''],
    [sep, '15', false, 23, 'hour'],
    [':', '04', true, 59, 'minute'],
    [':', '05', true, 59, 'second'],
  ];
  for (const [prefix, elem, fixed, max, rangeName] of steps) {
    if (!skip(prefix)) return perr(prefix, value);
    const hold = value;
    const r = getnum(value, fixed);
    if (r === undefined) return perr(elem, hold);
    value = r[1];
    const min = elem === '01' ? 1 : 0;
    if (rangeName !== '' && (r[0] < min || r[0] > max)) return perr(elem, value, `: ${rangeName} out of range`);
    fields.push(r[0]);
  }
  let nanos = 0;
  if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigit(value, 1)) {
    let n = 2;
    while (isDigit(value, n)) n++;
    nanos = nanosOf(value, n);
    value = value.slice(n);
  }
  let offset = 0;
  const holdTz = value;
  if (value.length >= 1 && value[0] === 'Z') value = value.slice(1);
  else {
    if (value.length < 6 || value[3] !== ':') return perr('Z07:00', holdTz);
    const sign = value[0];
    const hr = getnum(value.slice(1, 3), true);
    const mm = getnum(value.slice(4, 6), true);
    value = value.slice(6);
    if (hr === undefined || mm === undefined) return perr('Z07:00', holdTz);
    if (mm[0] > 60) return perr('Z07:00', value, ': time zone offset minute out of range');
    if (hr[0] > 24) return perr('Z07:00', value, ': time zone offset hour out of range');
    if (sign !== '+' && sign !== '-') return perr('Z07:00', holdTz);
    offset = (hr[0] * 60 + mm[0]) * 60 * (sign === '-' ? -1 : 1);
  }
  if (value.length > 0) return perr('', value, `: extra text: ${goTimeQuote(value)}`);
  const [month, day, hour, minute, second] = fields as [number, number, number, number, number];
  if (day < 1 || day > daysIn(month, year)) return perr('', value, ': day out of range');
  return fromCivil(year, month, day, hour, minute, second, nanos, offset);
}

/** Go's time.quote: ASCII as is (with `"` and `\` escaped), anything else as \x bytes. */
export function goTimeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x80 || cp < 0x20) {
      for (const b of Buffer.from(ch, 'utf8')) out += `\\x${b.toString(16).padStart(2, '0')}`;
    } else out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
  }
  return `${out}"`;
}

export function isParseError(x: GoTime | GoParseError): x is GoParseError {
  return 'layoutElem' in x;
}
