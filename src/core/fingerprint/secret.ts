/**
 * The per-user cache secret: sensitive values enter keys as HMAC-SHA256 under it, so a
 * key, an entry or a log never holds a secret, nor a plain hash one could brute-force
 * a short password from. 32 random bytes in `$XDG_CONFIG_HOME/kiln/cache-secret`
 * (`~/.config/kiln/cache-secret`), mode 0600, made the first time a sensitive value is
 * keyed; `KILN_CACHE_SECRET` (64 hex digits) overrides it so CI runners can share hits on
 * steps with secrets. It lives with the user's configuration, not in the cache folder,
 * so a cache that is copied or shared never carries it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync, linkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Computes HMACs under the secret, loading or creating it on first use only. */
export interface CacheSecret {
  /** `hmac:<hex>` of `text` under the secret. Throws when the secret cannot be read or made. */
  hmac(text: string): string;
}

/** Where the secret lives for `env`. */
export function cacheSecretPath(env: Readonly<Record<string, string | undefined>>): string {
  const config = env['XDG_CONFIG_HOME'] || path.join(env['HOME'] || os.homedir(), '.config');
  return path.join(config, 'kiln', 'cache-secret');
}

/**
 * The secret of `env` (`KILN_CACHE_SECRET`, else the file at `cacheSecretPath`), or of
 * the file at `file`. Nothing is read or written until the first `hmac` call: keying a
 * template without sensitive values touches no file.
 */
export function cacheSecret(env: Readonly<Record<string, string | undefined>>, file: string = cacheSecretPath(env)): CacheSecret {
  let key: Buffer | undefined;
  return {
    hmac(text: string): string {
      key ??= loadSecret(env['KILN_CACHE_SECRET'], file);
      return `hmac:${createHmac('sha256', key).update(text).digest('hex')}`;
    },
  };
}

/** A secret held in memory (tests, and callers that manage their own). */
export function fixedCacheSecret(key: Uint8Array): CacheSecret {
  return { hmac: (text) => `hmac:${createHmac('sha256', key).update(text).digest('hex')}` };
}

function loadSecret(fromEnv: string | undefined, file: string): Buffer {
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!/^[0-9a-fA-F]{64}$/.test(fromEnv)) throw new Error('KILN_CACHE_SECRET must be 64 hex digits (32 bytes)');
    return Buffer.from(fromEnv, 'hex');
  }
  const existing = readSecret(file);
  if (existing) return existing;
  // Written whole to a private temp name, then linked into place: link fails when the
  // name exists, so two processes racing agree on the first one, and nobody ever reads a
  // half-written secret.
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, randomBytes(32), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  const made = readSecret(file);
  if (!made) throw new Error(`the cache secret ${file} is not 32 bytes; remove it to make a new one`);
  return made;
}

function readSecret(file: string): Buffer | undefined {
  try {
    const b = readFileSync(file);
    if (b.length !== 32) throw new Error(`the cache secret ${file} is not 32 bytes; remove it to make a new one`);
    return b;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
