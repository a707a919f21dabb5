/**
 * Which of `kiln build`'s flags involve the step cache, without loading it: build.ts
 * imports the cache's modules (build-cache.ts, the side file, fingerprints) only when
 * {@link cacheNeeded} says the run uses them.
 */
import type { OnError } from '../sdk/multistep/runner.js';
import type { FlagValue } from './flags.js';

/** Whether the flags in `v` ask for the step cache. */
export function cacheRequested(v: ReadonlyMap<string, FlagValue>): boolean {
  if (v.get('no-cache') === true) return false;
  const flag = v.get('cache');
  return flag === true || flag === 'read' || v.get('resume') === true || stringFlag(v.get('cache-from')) !== undefined || stringFlag(v.get('cache-to')) !== undefined;
}

/**
 * Whether a build run reads the step cache's side file or keys builds: a cache flag,
 * `-metadata-file` (its fingerprints), or, with a ledger, `-resume` and the
 * `-on-error` modes that keep a machine (resume-in-place keys).
 */
export function cacheNeeded(v: ReadonlyMap<string, FlagValue>, onError: OnError, ledger: boolean): boolean {
  if (cacheRequested(v) || Boolean(v.get('metadata-file'))) return true;
  return ledger && (v.get('resume') === true || onError === 'abort' || onError === 'ask');
}

/** A flag's string value; undefined when unset or empty. */
export function stringFlag(v: FlagValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
