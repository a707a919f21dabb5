/**
 * `docker cp FILE CONTAINER:DST` for one regular file, straight on the engine's socket:
 * the CLI's two calls (stat of the destination, then a tar extracted into its folder)
 * without a client process. Only the cases whose outcome is plain — `dst` absolute,
 * nothing there or a regular file (replaced) — and only when the engine takes the
 * archive; anything else (a folder or symlink at `dst`, a missing parent, an error) is
 * left to the CLI, which then also words the error.
 *
 * The archive holds what the CLI would send: one tar entry named `basename(dst)` with
 * the local file's mode, owner and modification time (whole seconds).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { headerBlocks } from '../tar-header.js';
import type { EngineApi } from './engine-api.js';

/** Go's `os.ModeType` bits (dir, symlink, named pipe, socket, device, char device, irregular). */
const GO_MODE_TYPE = (2 ** 31 + 2 ** 27 + 2 ** 26 + 2 ** 25 + 2 ** 24 + 2 ** 21 + 2 ** 19) >>> 0;

/** Uploads `file` to `dst` in the container; false when the caller must use `docker cp` instead. */
export async function engineUploadFile(api: EngineApi, container: string, file: string, dst: string, signal?: AbortSignal): Promise<boolean> {
  const name = path.posix.basename(dst);
  if (!path.posix.isAbsolute(dst) || dst.endsWith('/') || Buffer.byteLength(name) > 100 || name === '' || name === '.' || name === '..') return false;
  const there = await api.statPath(container, dst, signal);
  if (there.kind === 'error') return false;
  if (there.value !== undefined && (there.value.mode & GO_MODE_TYPE) !== 0) return false;
  const info = await stat(file);
  if (!info.isFile() || info.size > 0o77777777777 || info.uid > 0o7777777 || info.gid > 0o7777777) return false;
  const header = Buffer.concat(headerBlocks({ name, mode: info.mode & 0o7777, uid: info.uid, gid: info.gid, size: info.size, typeflag: '0', uname: '', gname: '', mtime: Math.floor(info.mtimeMs / 1000) }));
  const padding = (512 - (info.size % 512)) % 512;
  const tar = new PassThrough();
  tar.write(header);
  const content = createReadStream(file);
  content.on('error', (e) => tar.destroy(e));
  content.on('end', () => tar.end(Buffer.alloc(padding + 1024)));
  content.pipe(tar, { end: false });
  const put = await api.putArchive(container, path.posix.dirname(dst), tar, header.length + info.size + padding + 1024, signal);
  return put.kind === 'ok';
}
