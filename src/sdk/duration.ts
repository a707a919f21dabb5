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
