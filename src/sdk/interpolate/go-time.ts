/**
 * Go's `time.Format` layout language, in full: the reference time
 * `Mon Jan 2 15:04:05 MST 2006` and every standard chunk (`January Jan 1 01 Monday Mon
 * 2 _2 02 __2 002 15 3 03 4 04 5 05 2006 06 PM pm MST Z0700 Z07:00 Z07 Z070000
 * Z07:00:00 -0700 -07:00 -07 -070000 -07:00:00` and `.000`/`.999`/`,000` fractions).
 */

/** A moment to format: the UTC instant plus a zone (name and offset east of UTC). */
export interface ZonedTime {
  readonly date: Date;
  /** Nanoseconds within the second; defaults to the Date's milliseconds. */
  readonly nanos?: number;
  readonly zoneName?: string;
  readonly offsetSeconds?: number;
}

const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

type Chunk =
  | 'January' | 'Jan' | '1' | '01' | 'Monday' | 'Mon' | '2' | '_2' | '02' | '__2' | '002'
  | '15' | '3' | '03' | '4' | '04' | '5' | '05' | '2006' | '06' | 'PM' | 'pm' | 'MST'
  | 'Z0700' | 'Z07:00' | 'Z07' | 'Z070000' | 'Z07:00:00'
  | '-0700' | '-07:00' | '-07' | '-070000' | '-07:00:00'
  | { frac: number; trim: boolean; sep: string };

function isDigit(s: string, i: number): boolean {
  const c = s[i];
  return c !== undefined && c >= '0' && c <= '9';
}

/** Finds the next standard chunk: [prefix, chunk, suffix], as Go's nextStdChunk. */
function nextChunk(layout: string): [string, Chunk | undefined, string] {
  for (let i = 0; i < layout.length; i++) {
    const rest = layout.slice(i);
    const found = (c: Chunk, len: number): [string, Chunk, string] => [layout.slice(0, i), c, layout.slice(i + len)];
    switch (layout[i]) {
      case 'J':
        if (rest.startsWith('Jan')) {
          if (rest.startsWith('January')) return found('January', 7);
          if (!/^[a-z]/.test(rest.slice(3))) return found('Jan', 3);
        }
        break;
      case 'M':
        if (rest.startsWith('Mon')) {
          if (rest.startsWith('Monday')) return found('Monday', 6);
          if (!/^[a-z]/.test(rest.slice(3))) return found('Mon', 3);
        }
        if (rest.startsWith('MST')) return found('MST', 3);
        break;
      case '0':
        if (rest[1] !== undefined && rest[1] >= '1' && rest[1] <= '6') {
          return found(['01', '02', '03', '04', '05', '06'][Number(rest[1]) - 1] as Chunk, 2);
        }
        if (rest.startsWith('002')) return found('002', 3);
        break;
      case '1':
        if (rest[1] === '5') return found('15', 2);
        return found('1', 1);
      case '2':
        if (rest.startsWith('2006')) return found('2006', 4);
        return found('2', 1);
      case '_':
        if (rest[1] === '2') {
          if (rest.startsWith('_2006')) return [layout.slice(0, i + 1), '2006', layout.slice(i + 5)];
          return found('_2', 2);
        }
        if (rest.startsWith('__2')) return found('__2', 3);
        break;
      case '3': return found('3', 1);
      case '4': return found('4', 1);
      case '5': return found('5', 1);
      case 'P':
        if (rest[1] === 'M') return found('PM', 2);
        break;
      case 'p':
        if (rest[1] === 'm') return found('pm', 2);
        break;
      case '-':
        for (const c of ['-07:00:00', '-070000', '-07:00', '-0700', '-07'] as const) if (rest.startsWith(c)) return found(c, c.length);
        break;
      case 'Z':
        for (const c of ['Z07:00:00', 'Z070000', 'Z07:00', 'Z0700', 'Z07'] as const) if (rest.startsWith(c)) return found(c, c.length);
        break;
      case '.':
      case ',':
        if (rest[1] === '0' || rest[1] === '9') {
          const ch = rest[1];
          let j = 1;
          while (rest[j] === ch) j++;
          if (!isDigit(rest, j)) {
            // A fraction only counts after a seconds field, as Go's isStdFraction check
            // does implicitly by requiring the run not be followed by a digit.
            return found({ frac: j - 1, trim: ch === '9', sep: rest[0] ?? '.' }, j);
          }
        }
        break;
      default:
    }
  }
  return [layout, undefined, ''];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function zone(offset: number, chunk: string, name: string | undefined): string {
  if (chunk.startsWith('Z') && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const h = pad(Math.floor(abs / 3600), 2);
  const m = pad(Math.floor((abs % 3600) / 60), 2);
  const s = pad(abs % 60, 2);
  const body = chunk.slice(1);
  switch (body) {
    case '07': return sign + h;
    case '0700': return sign + h + m;
    case '07:00': return `${sign}${h}:${m}`;
    case '070000': return sign + h + m + s;
    case '07:00:00': return `${sign}${h}:${m}:${s}`;
    default: return name ?? '';
  }
}

/** Go's `t.Format(layout)`. */
export function goTimeFormat(t: ZonedTime, layout: string): string {
  const offset = t.offsetSeconds ?? 0;
  const local = new Date(t.date.getTime() + offset * 1000);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth();
  const day = local.getUTCDate();
  const hour = local.getUTCHours();
  const min = local.getUTCMinutes();
  const sec = local.getUTCSeconds();
  const weekday = local.getUTCDay();
  const yday = Math.floor((Date.UTC(year, month, day) - Date.UTC(year, 0, 1)) / 86400000) + 1;
  const nanos = t.nanos ?? t.date.getUTCMilliseconds() * 1e6;
  const zoneName = t.zoneName ?? (offset === 0 ? 'UTC' : undefined);
  let out = '';
  let rest = layout;
  for (;;) {
    const [prefix, chunk, suffix] = nextChunk(rest);
    out += prefix;
    if (chunk === undefined) break;
    rest = suffix;
    if (typeof chunk === 'object') {
      let digits = pad(nanos, 9).slice(0, chunk.frac);
      if (chunk.trim) digits = digits.replace(/0+$/, '');
      if (!chunk.trim || digits.length > 0) out += chunk.sep + digits;
      continue;
    }
    switch (chunk) {
      case 'January': out += LONG_MONTHS[month]; break;
      case 'Jan': out += LONG_MONTHS[month]?.slice(0, 3); break;
      case '1': out += month + 1; break;
      case '01': out += pad(month + 1, 2); break;
      case 'Monday': out += LONG_DAYS[weekday]; break;
      case 'Mon': out += LONG_DAYS[weekday]?.slice(0, 3); break;
      case '2': out += day; break;
      case '_2': out += String(day).padStart(2, ' '); break;
      case '02': out += pad(day, 2); break;
      case '__2': out += String(yday).padStart(3, ' '); break;
      case '002': out += pad(yday, 3); break;
      case '15': out += pad(hour, 2); break;
      case '3': out += hour % 12 === 0 ? 12 : hour % 12; break;
      case '03': out += pad(hour % 12 === 0 ? 12 : hour % 12, 2); break;
      case '4': out += min; break;
      case '04': out += pad(min, 2); break;
      case '5': out += sec; break;
      case '05': out += pad(sec, 2); break;
      case '2006': out += year < 0 ? `-${pad(-year, 4)}` : pad(year, 4); break;
      case '06': out += pad(year % 100, 2); break;
      case 'PM': out += hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += hour >= 12 ? 'pm' : 'am'; break;
      case 'MST': out += zoneName ?? zone(offset, '-0700', undefined).slice(0, 3); break;
      default: out += zone(offset, chunk, zoneName);
    }
  }
  return out;
}

/** Go's `time.RFC3339`. */
export const RFC3339 = '2006-01-02T15:04:05Z07:00';

const STRFTIME: Readonly<Record<string, string>> = {
  B: 'January', b: 'Jan', m: '01', A: 'Monday', a: 'Mon', d: '02', H: '15', I: '03', M: '04',
  S: '05', Y: '2006', y: '06', p: 'PM', Z: 'MST', z: '-0700', L: '.000',
};

/**
 * strftime as Packer's `strftime` function has it (jehiah/go-strftime): only
 * `%B %b %m %A %a %d %H %I %M %S %Y %y %p %Z %z %L %%`; other `%x` pass through.
 */
export function strftime(format: string, t: ZonedTime): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const spec = format[i + 1];
    if (spec === undefined) {
      out += '%';
      break;
    }
    i++;
    if (spec === '%') out += '%';
    else {
      const layout = STRFTIME[spec];
      out += layout === undefined ? `%${spec}` : goTimeFormat(t, layout);
    }
  }
  return out;
}
