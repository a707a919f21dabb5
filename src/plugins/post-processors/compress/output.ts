/**
 * Opening the archive for writing. Packer truncates an existing archive (Go's
 * `os.Create`); kiln gives it a new file instead when that is the same to its readers.
 *
 * Why: ext4 (`auto_da_alloc`, on by default) treats a file truncated to zero and
 * written again as a replace-by-truncate and starts writing all of it back when it is
 * closed, so that a crash does not leave it empty — a `close` that took 104-122 ms for
 * a 300 MB archive (strace -T, `npm run bench -- compress`, Packer 1.6.6 and kiln
 * alike), where a new file's close returns at once and the kernel writes the data
 * back in its own time. Truncating also waits for the old file's pages still under
 * writeback (67-68 ms in the same runs); unlinking frees them the same way, so that
 * part stays.
 */
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { lstat, open, unlink } from 'node:fs/promises';

/**
 * Opens `target` for writing from empty. A regular file there with one link, owned by
 * this process's user, is unlinked and created anew with its permission bits (umask
 * aside), which nothing that opens the path can tell from truncating it; anything else
 * (a symlink, a hard-linked or foreign file, a device) is opened and truncated as
 * Packer does. Rejects with the error of the open (or of the unlink).
 */
export async function openArchive(target: string): Promise<FileHandle> {
  const old = await lstat(target).catch(() => undefined);
  const uid = process.getuid?.();
  if (!old?.isFile() || old.nlink !== 1 || uid === undefined || old.uid !== uid) return open(target, 'w');
  await unlink(target);
  const mode = old.mode & 0o7777;
  // O_EXCL: if something else created the path in between, fail rather than write into it.
  const fh = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  // The mode given to open is masked by the umask; the old file's bits are restored exactly.
  if (((await fh.stat()).mode & 0o7777) !== mode) await fh.chmod(mode);
  return fh;
}
