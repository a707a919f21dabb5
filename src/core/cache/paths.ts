/**
 * Where the step cache lives: `-cache-dir`, else `$KILN_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/kiln/steps` (default `~/.cache/kiln/steps`).
 */
import os from 'node:os';
import path from 'node:path';

/** The cache folder for `flag` (the `-cache-dir` value, when given) under `env`. */
export function cacheDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return path.resolve(flag);
  const own = env['KILN_CACHE_DIR'];
  if (own !== undefined && own !== '') return path.resolve(own);
  const xdg = env['XDG_CACHE_HOME'];
  const base = xdg !== undefined && xdg !== '' && path.isAbsolute(xdg) ? xdg : path.join(env['HOME'] ?? os.homedir(), '.cache');
  return path.join(base, 'kiln', 'steps');
}

/** The short form of a key shown to users (`CACHED 41e4fbdff2dc`). */
export function shortKey(key: string): string {
  return key.slice(0, 12);
}
