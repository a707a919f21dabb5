/**
 * Durations as Packer prints them in "Build 'x' finished after ..." (hako/durafmt
 * limited to the first two units): `14 milliseconds 284 microseconds`, `1 minute 3 seconds`.
 */
const UNITS: readonly [string, number][] = [
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
  for (const [unit, size] of UNITS) {
    const n = Math.floor(micros / size);
    micros -= n * size;
    if (n === 0) continue;
    parts.push(`${n} ${n === 1 ? unit.slice(0, -1) : unit}`);
  }
  return sign + parts.slice(0, firstN).join(' ');
}
