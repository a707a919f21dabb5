/**
 * When a cache entry is too old to use: the side file's `ttl` for its step, and
 * `-cache-ttl` for every step, whichever is shorter. A TTL is not part of the key: an
 * expired entry is a miss, and the step's new result is recorded in its place.
 */
import type { SideTtl } from '../fingerprint/side-settings.js';

/** `-cache-ttl=DURATION`: milliseconds and the text given. */
export interface FlagTtl {
  readonly ms: number;
  readonly text: string;
}

/**
 * Why the entry recorded at `created` (ISO time) is expired at `now` (ms since the
 * epoch) — `expired: recorded 30h ago, -cache-ttl 24h` — or undefined when it is not.
 * A `created` that does not parse counts as expired when a TTL applies.
 */
export function expiredReason(created: string, step: SideTtl | undefined, flag: FlagTtl | undefined, now: number): string | undefined {
  const ttl = step !== undefined && (flag === undefined || step.ms <= flag.ms) ? { ms: step.ms, says: `ttl ${step.text} in ${step.at}` } : flag ? { ms: flag.ms, says: `-cache-ttl ${flag.text}` } : undefined;
  if (ttl === undefined) return undefined;
  const t = Date.parse(created);
  const age = Number.isNaN(t) ? Number.POSITIVE_INFINITY : now - t;
  if (age <= ttl.ms) return undefined;
  return `expired: recorded ${Number.isFinite(age) ? `${humanAge(age)} ago` : 'at an unknown time'}, ${ttl.says}`;
}

/** A duration as people say it: `45s`, `12m`, `30h`, `3d4h`. */
export function humanAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 72) return `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
}
