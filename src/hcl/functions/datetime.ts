/**
 * cty's date and time functions: `formatdate(format, time)` (cty's format language) and
 * `timeadd(timestamp, duration)` (Go durations). Both read timestamps with cty's strict
 * RFC 3339 parser and its messages ({@link parseTimestamp}).
 */
import { stringType } from '../cty/type.js';
import { stringVal } from '../cty/value.js';
import { ArgError, CallError, defineFunction, staticReturnType } from './function.js';
import { parseGoDuration } from './go-duration.js';
import type { GoParseError, GoTime } from './go-time.js';
import { DAY_NAMES, MONTH_NAMES, addNanos, civil, formatRFC3339, goParseRFC3339, isParseError, offsetText } from './go-time.js';
import { goQuote } from '../diagnostic-vars.js';

/** `formatdate(format, time)`: see cty's FormatDate for the verbs (`YYYY`, `MMM`, `hh`, `ZZZZZ`, `'literal'`, …). */
export const formatDateFunc = defineFunction({
  description: 'Formats a timestamp given in RFC 3339 syntax into another timestamp in some other machine-oriented time syntax, as described in the format string.',
  params: [
    { name: 'format', type: stringType },
    { name: 'time', type: stringType },
  ],
  type: staticReturnType(stringType),
  impl: (args) => {
    const t = parseTimestamp(args[1]!.asString());
    if (typeof t === 'string') return new ArgError(1, t);
    const out = formatDate(args[0]!.asString(), t);
    return typeof out === 'string' ? stringVal(out) : out;
  },
});

/** `timeadd(timestamp, duration)`: the RFC 3339 timestamp plus a Go duration (`1h30m`, `-2.5s`). */
export const timeAddFunc = defineFunction({
  description: 'Adds the duration represented by the given duration string to the given RFC 3339 timestamp string, returning another RFC 3339 timestamp.',
  params: [
    { name: 'timestamp', type: stringType },
    { name: 'duration', type: stringType },
  ],
  type: staticReturnType(stringType),
  impl: (args) => {
    const t = parseTimestamp(args[0]!.asString());
    if (typeof t === 'string') return new CallError(t);
    const d = parseGoDuration(args[1]!.asString());
    if (typeof d === 'string') return new CallError(d);
    return stringVal(formatRFC3339(addNanos(t, d)));
  },
});

const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

/** cty's date-format tokens: quoted literals, runs of one letter, and other text. */
function tokens(format: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    let j = i + 1;
    if (c === "'") {
      if (format[j] === "'") j++;
      else {
        for (; j < format.length; j++) {
          if (format[j] !== "'") continue;
          if (format[j + 1] === "'") {
            j++;
            continue;
          }
          j++;
          break;
        }
      }
    } else if (isLetter(c)) while (format[j] === c) j++;
    else while (j < format.length && format[j] !== "'" && !isLetter(format[j]!)) j++;
    out.push(format.slice(i, j));
    i = j;
  }
  return out;
}

/** The formatted text, or the ArgError (index 0) for a bad format. */
export function formatDate(format: string, t: GoTime): string | ArgError {
  const c = civil(t);
  const pad2 = (n: number): string => String(n).padStart(2, '0');
  let out = '';
  for (const tok of tokens(format)) {
    const bad = (why: string): ArgError => new ArgError(0, `invalid date format verb ${goQuote(tok)}${why}`);
    if (tok[0] === "'") {
      if (tok.length === 1 || tok[tok.length - 1] !== "'") return new ArgError(0, "unterminated literal '");
      out += tok.length === 2 ? "'" : tok.slice(1, -1).replace(/''/g, "'");
      continue;
    }
    if (!isLetter(tok[0]!)) {
      out += tok;
      continue;
    }
    const n = tok.length;
    const h12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
    switch (tok[0]) {
      case 'Y':
        if (n === 2) out += pad2(((c.year % 100) + 100) % 100);
        else if (n === 4) out += String(c.year).padStart(4, '0');
        else return bad(': year must either be "YY" or "YYYY"');
        break;
      case 'M':
        if (n > 4) return bad(': month must be "M", "MM", "MMM", or "MMMM"');
        out += [String(c.month), pad2(c.month), MONTH_NAMES[c.month - 1]!.slice(0, 3), MONTH_NAMES[c.month - 1]!][n - 1];
        break;
      case 'D':
        if (n > 2) return bad(': day of month must either be "D" or "DD"');
        out += n === 1 ? String(c.day) : pad2(c.day);
        break;
      case 'E':
        if (n !== 3 && n !== 4) return bad(': day of week must either be "EEE" or "EEEE"');
        out += n === 3 ? DAY_NAMES[c.weekday]!.slice(0, 3) : DAY_NAMES[c.weekday]!;
        break;
      case 'h':
        if (n > 2) return bad(': 24-hour must either be "h" or "hh"');
        out += n === 1 ? String(c.hour) : pad2(c.hour);
        break;
      case 'H':
        if (n > 2) return bad(': 12-hour must either be "H" or "HH"');
        out += n === 1 ? String(h12) : pad2(h12);
        break;
      case 'A':
      case 'a':
        if (n !== 2) return bad(`: must be "${tok[0]}${tok[0]}"`);
        out += c.hour < 12 ? (tok[0] === 'A' ? 'AM' : 'am') : tok[0] === 'A' ? 'PM' : 'pm';
        break;
      case 'm':
        if (n > 2) return bad(': minute must either be "m" or "mm"');
        out += n === 1 ? String(c.minute) : pad2(c.minute);
        break;
      case 's':
        if (n > 2) return bad(': second must either be "s" or "ss"');
        out += n === 1 ? String(c.second) : pad2(c.second);
        break;
      case 'Z': {
        const zone = timezone(n, t.offset);
        if (zone === undefined) return bad(': timezone must be Z, ZZZZ, or ZZZZZ');
        out += zone;
        break;
      }
      default:
        return bad('');
    }
  }
  return out;
}

function timezone(n: number, offset: number): string | undefined {
  switch (n) {
    case 1:
      return offset === 0 ? 'Z' : offsetText(offset, ':');
    case 3:
      return offset === 0 ? 'UTC' : offsetText(offset, '');
    case 4:
      return offsetText(offset, '');
    case 5:
      return offsetText(offset, ':');
    default:
      return undefined;
  }
}

/** cty's strict RFC 3339 reader: the time, or cty's message (`not a valid RFC3339 timestamp: …`). */
export function parseTimestamp(s: string): GoTime | string {
  const strict = parseStrict(s);
  if (strict !== undefined) return strict;
  const go = goParseRFC3339(s);
  return describe(isParseError(go) ? go : strictFailure(s));
}

/** Why Go accepted what RFC 3339 does not (cty's parseStrictRFC3339 checks). */
function strictFailure(s: string): GoParseError {
  const e = (layoutElem: string, valueElem: string, message: string): GoParseError => ({ kind: 'parse-error', layoutElem, valueElem, message });
  const num2 = (x: string): number => Number(x.slice(0, 2));
  if (s[12] === ':') return e('15', s.slice(11, 12), ': hour must have two digits');
  if (s[19] === ',') return e('.', ',', ': sub-second separator must be a period');
  if (!s.endsWith('Z')) {
    if (num2(s.slice(-5)) >= 24) return e('Z07:00', s.slice(-6), ': timezone hour out of range');
    if (num2(s.slice(-2)) >= 60) return e('Z07:00', s.slice(-6), ': timezone minute out of range');
  }
  return e('2006-01-02T15:04:05Z07:00', s, '');
}

const WHAT: Readonly<Record<string, string>> = { '2006': 'year', '01': 'month', '02': 'day of month', '15': 'hour', '04': 'minute', '05': 'second', 'Z07:00': 'UTC offset' };

function describe(err: GoParseError): string {
  const p = 'not a valid RFC3339 timestamp';
  if (err.layoutElem === '' && err.valueElem === '' && err.message !== '') return `${p}${err.message}`;
  if (err.layoutElem === 'T') return `${p}: missing required time introducer 'T'`;
  if (err.layoutElem === ':' || err.layoutElem === '-') {
    return err.valueElem === '' ? `${p}: end of string where ${goQuote(err.layoutElem)} is expected` : `${p}: found ${goQuote(err.valueElem)} where ${goQuote(err.layoutElem)} is expected`;
  }
  const what = WHAT[err.layoutElem] ?? 'timestamp segment';
  if (err.valueElem === '') return `${p}: end of string before ${what}`;
  if (what === 'hour' && err.valueElem.includes(':')) return `${p}: hour must be between 0 and 23 inclusive`;
  if (what === 'hour' && err.valueElem.length !== 2) return `${p}: hour must have exactly two digits`;
  if (what === 'minute' && err.valueElem.length !== 2) return `${p}: minute must have exactly two digits`;
  return `${p}: cannot use ${goQuote(err.valueElem)} as ${what}`;
}

/** cty's parseRFC3339 (strict): undefined when `s` is not exactly RFC 3339. */
function parseStrict(s: string): GoTime | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (m === null) return undefined;
  const go = goParseRFC3339(s);
  if (isParseError(go)) return undefined;
  const [hh, mm] = [Number(m[10] ?? 0), Number(m[11] ?? 0)];
  if (hh > 23 || mm > 59) return undefined;
  return go;
}
