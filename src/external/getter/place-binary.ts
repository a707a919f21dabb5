/**
 * Putting a plugin binary into the layout atomically: written under a temporary name
 * in its final folder, `describe`d there, then renamed into place with its
 * `_SHA256SUM` — a failure at any point leaves nothing behind.
 */
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CHECKSUM_SUFFIX, sha256Hex } from '../discovery/checksum.js';
import type { PluginDescription } from '../discovery/describe.js';
import { describePlugin } from '../discovery/describe.js';

function tempName(dir: string, base: string): string {
  return path.join(dir, `.${base}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
}

/**
 * Writes `data` as an executable under a temporary name in `dir`, runs `describe` on it,
 * and asks `check` whether to keep it (a string refuses it and is returned as the
 * error). `dir` is created when missing. Kept: renamed to `dir/name` and `dir/name_SHA256SUM` written (hex, 0644).
 */
export async function placeBinary(
  dir: string,
  name: string,
  data: Uint8Array,
  env: NodeJS.ProcessEnv,
  check: (d: PluginDescription) => string | undefined,
): Promise<{ path: string; description: PluginDescription } | { error: string }> {
  const tmpBin = tempName(dir, name);
  const tmpSum = tempName(dir, name + CHECKSUM_SUFFIX);
  const final = path.join(dir, name);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmpBin, data, { mode: 0o755 });
    await chmod(tmpBin, 0o755);
    const described = await describePlugin(tmpBin, env);
    if ('error' in described) return { error: described.error };
    const refusal = check(described.description);
    if (refusal) return { error: refusal };
    await writeFile(tmpSum, sha256Hex(data), { mode: 0o644 });
    await rename(tmpBin, final);
    await rename(tmpSum, final + CHECKSUM_SUFFIX);
    return { path: final, description: described.description };
  } catch (e) {
    return { error: `could not install ${final}: ${(e as Error).message}` };
  } finally {
    await rm(tmpBin, { force: true });
    await rm(tmpSum, { force: true });
  }
}
