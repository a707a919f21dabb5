/**
 * `kiln build`'s cache flags → the run's step cache (core/cache), or none: without
 * `-cache`, `-cache=read`, `-resume`, `-cache-from` or `-cache-to` (or with `-no-cache`)
 * the build runs exactly as without a cache.
 */
import path from 'node:path';
import type { RunCache } from '../core/build.js';
import type { InPlaceSettings } from '../core/cache/resume-in-place.js';
import { cacheDir } from '../core/cache/paths.js';
import { fingerprintKeyer } from '../core/cache/keyer-fingerprint.js';
import { fingerprintContext } from '../core/fingerprint/fingerprint.js';
import { cacheSecret } from '../core/fingerprint/secret.js';
import { statCache } from '../core/fingerprint/stat-cache.js';
import { ledgerDir } from '../sdk/ledger/ledger.js';
import type { OnError } from '../sdk/multistep/runner.js';
import type { TemplateModel } from '../template/model.js';
import type { CacheOptions } from './cache-side-file.js';
import { cacheRequested, stringFlag } from './cache-flags.js';
import type { FlagValue } from './flags.js';


/**
 * The step cache the flags in `v` ask for; undefined when they ask for none. `options`:
 * the side file's settings and `-cache-ttl` (`loadCacheOptions`, cache-side-file.ts).
 */
export function runCacheOf(v: ReadonlyMap<string, FlagValue>, env: NodeJS.ProcessEnv, cwd: string, model: TemplateModel, secrets: readonly string[], options?: CacheOptions): RunCache | undefined {
  if (!cacheRequested(v)) return undefined;
  const flag = v.get('cache');
  const resume = v.get('resume') === true;
  const from = stringFlag(v.get('cache-from'));
  const to = stringFlag(v.get('cache-to'));
  const dir = cacheDir(stringFlag(v.get('cache-dir')), env);
  const ctx = keyContext(v, env, cwd, model, secrets, flag === 'read', options);
  return {
    settings: {
      dir,
      write: flag !== 'read',
      resume,
      ...(v.get('cache-ram') === true ? { ramState: true } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(options?.ttl ? { ttl: options.ttl } : {}),
    },
    keyer: (build) => fingerprintKeyer(build, ctx),
  };
}

/**
 * Resuming in a machine a failed run kept, and marking the machine of a build that may
 * fail and keep it: with `-resume`, or `-on-error=abort` / `ask` (which keep machines).
 * Undefined otherwise. Keys as the step cache does (`-cache-bust` included), but
 * without writing the stat cache unless the step cache writes.
 */
export function inPlaceOf(
  v: ReadonlyMap<string, FlagValue>,
  env: NodeJS.ProcessEnv,
  cwd: string,
  model: TemplateModel,
  secrets: readonly string[],
  onError: OnError,
  cache: RunCache | undefined,
  options?: CacheOptions,
): InPlaceSettings | undefined {
  const resume = v.get('resume') === true;
  if (!resume && onError !== 'abort' && onError !== 'ask') return undefined;
  const ctx = keyContext(v, env, cwd, model, secrets, cache === undefined || !cache.settings.write, options);
  return { resume, ledgers: ledgerDir(env), cache: cache !== undefined, keyer: (build) => fingerprintKeyer(build, ctx) };
}

function keyContext(v: ReadonlyMap<string, FlagValue>, env: NodeJS.ProcessEnv, cwd: string, model: TemplateModel, secrets: readonly string[], readOnly: boolean, options: CacheOptions | undefined): ReturnType<typeof fingerprintContext> {
  const dir = cacheDir(stringFlag(v.get('cache-dir')), env);
  const bust = stringFlag(v.get('cache-bust'));
  return {
    ...fingerprintContext(model, cwd, cacheSecret(env), secrets, statCache(path.join(dir, 'stat-cache.json'), { readOnly })),
    ...(bust !== undefined ? { bust } : {}),
    ...(options?.side ? { side: options.side } : {}),
  };
}
