/**
 * A lock file per plugin folder so that two installs at once (two `kiln init` in
 * parallel CI jobs sharing a home) end with one correct install: created with O_EXCL,
 * holding the owner's pid; a lock whose owner is gone is taken over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** The lock's file name inside the plugin's folder. */
export const LOCK_NAME = '.kiln-install.lock';

const POLL_MS = 100;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Waits until this process holds the lock of `dir` (creating `dir`), then resolves to
 * the function that releases it. Rejects only when `signal` aborts.
 */
export async function acquireLock(dir: string, signal?: AbortSignal): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, LOCK_NAME);
  for (;;) {
    signal?.throwIfAborted();
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    // An empty file is a lock being written; only a dead owner's lock is taken over.
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) await rm(file, { force: true });
    else await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
