/**
 * Go's `time.ParseDuration` syntax, which Packer uses for every duration option
 * (`ssh_timeout = "5m"`, `pause_before_connecting = "1h30s"`, `"500ms"`).
 */

/** A parsed duration in milliseconds (fractional below 1 ms), or why the text is not one. */
export type DurationResult =
  | { readonly kind: 'ok'; readonly ms: number }
  | { readonly kind: 'error'; readonly message: string };

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC Greek small letter mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;

/**
 * Parses `text` as Go does: an optional sign, then one or more decimal numbers each
 * followed by a unit (`ns`, `us`/`µs`, `ms`, `s`, `m`, `h`), e.g. `1h30m`, `-1.5s`.
 * A bare `0` is allowed without a unit; any other number needs one.
 */
export function parseDuration(text: string): DurationResult {
  const bad = (): DurationResult => ({ kind: 'error', message: `time: invalid duration "${text}"` });
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return { kind: 'ok', ms: 0 };
  if (rest === '') return bad();
  let total = 0;
  while (rest !== '') {
    const m = PART.exec(rest);
    if (!m) return bad();
    const [whole, intPart = '', fracPart, unit = ''] = m;
    if (intPart === '' && (fracPart === undefined || fracPart === '')) return bad();
    const scale = UNIT_MS[unit];
    if (scale === undefined) {
      return { kind: 'error', message: `time: unknown unit "${unit}" in duration "${text}"` };
    }
    total += Number(`${intPart || '0'}.${fracPart ?? ''}0`) * scale;
    rest = rest.slice(whole.length);
  }
  if (!Number.isFinite(total)) return bad();
  return { kind: 'ok', ms: sign * total };
}

/**
 * Go's `time.Duration.String()`: `1h2m3s`, `1m0s`, `1.5s`, `250ms`, `0s` — how Packer
 * prints durations in messages such as "Pausing 5s before the next provisioner...".
 */
export function formatDuration(ms: number): string {
  const ns = Math.round(ms * 1e6);
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const abs = Math.abs(ns);
  if (abs < 1e9) {
    const [unit, size] = abs < 1e3 ? ['ns', 1] : abs < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${sign}${trimFraction(abs / size)}${unit}`;
  }
  const hours = Math.floor(abs / 3.6e12);
  const minutes = Math.floor((abs % 3.6e12) / 6e10);
  const seconds = (abs % 6e10) / 1e9;
  let out = sign;
  if (hours > 0) out += `${hours}h`;
  if (hours > 0 || minutes > 0) out += `${minutes}m`;
  return `${out}${trimFraction(seconds)}s`;
}

function trimFraction(x: number): string {
  return x.toFixed(9).replace(/\.?0+$/, '');
}

/**
 * Durations in words as Packer prints them in "Build 'x' finished after ..."
 * (hako/durafmt limited to the first `firstN` units): `14 milliseconds 284
 * microseconds`, `1 minute 3 seconds`. The other format of this module is Go's
 * `time.Duration` text ({@link formatDuration}).
 */
const WORD_UNITS: readonly [string, number][] = [
  ['years', 365 * 24 * 3600e6],
  ['weeks', 7 * 24 * 3600e6],
  ['days', 24 * 3600e6],
  ['hours', 3600e6],
  ['minutes', 60e6],
  ['seconds', 1e6],
  ['milliseconds', 1e3],
  ['microseconds', 1],
];

export function durafmt(ms: number, firstN = 2): string {
  let micros = Math.round(ms * 1000);
  if (micros === 0) return '0 seconds';
  const sign = micros < 0 ? '-' : '';
  micros = Math.abs(micros);
  const parts: string[] = [];
  for (const [unit, size] of WORD_UNITS) {
    const n = Math.floor(micros / size);
    micros -= n * size;
    if (n === 0) continue;
    parts.push(`${n} ${n === 1 ? unit.slice(0, -1) : unit}`);
  }
  return sign + parts.slice(0, firstN).join(' ');
}
