/** Path helpers shared by the SCP and SFTP transfers. */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Splits a remote path into its parent and last name. `nestable` is false when the last
 * name cannot be sent as an SCP record (`/`, `.`, `..`, `~`).
 */
export function splitRemoteDir(remote: string): { dir: string; name: string; nestable: boolean } {
  const clean = remote.length > 1 ? remote.replace(/\/+$/, '') : remote;
  const name = path.posix.basename(clean);
  const dir = path.posix.dirname(clean);
  const nestable = name !== '' && name !== '.' && name !== '..' && name !== '~' && clean !== '/';
  return { dir, name, nestable };
}

/** True when `rel` (a /-separated path below the transfer root) or one of its parents is excluded. */
export function isExcluded(rel: string, exclude: readonly string[]): boolean {
  return exclude.some((e) => {
    const x = e.replace(/^\.\//, '').replace(/\/+$/, '');
    return rel === x || rel.startsWith(`${x}/`);
  });
}

/** Copies a stream of unknown length into a temp file so its size can be announced. */
export async function spoolToTempFile(source: Readable): Promise<{ path: string; size: number; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-upload-'));
  const file = path.join(dir, 'data');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(source, createWriteStream(file));
    return { path: file, size: (await stat(file)).size, remove };
  } catch (e) {
    await remove();
    throw e;
  }
}

/** SFTP has no shell: `~/x` means `x` relative to the login directory. */
export function sftpPath(remote: string): string {
  if (remote === '~') return '.';
  if (remote.startsWith('~/')) return remote.slice(2) || '.';
  return remote;
}
