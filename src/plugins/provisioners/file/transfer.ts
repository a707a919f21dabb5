/**
 * The file provisioner's transfers, with Packer's path rules:
 * - upload: a directory source goes through `uploadDir` (a trailing `/` on the source
 *   copies its contents, without it the directory itself); a file source goes to
 *   `destination`, or into it when `destination` ends in `/`.
 * - download: when `destination` ends in `/` and the source ends in neither `/` nor
 *   `*`, the file lands in it under its own name; a source ending in `/` or holding
 *   `* ? [` goes through `downloadDir`; the local parent folder is created.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { ProvisionContext } from '../../../sdk/component.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function uploadAll(sources: readonly string[], dst: string, ctx: ProvisionContext): Promise<Result<void>> {
  const comm = ctx.communicator;
  for (const src of sources) {
    ctx.ui.say(`Uploading ${src} => ${dst}`);
    let info;
    try {
      info = await stat(src);
    } catch (err) {
      return fail(err as Error);
    }
    try {
      if (info.isDirectory()) {
        await comm.uploadDir(dst, src, [], ctx.signal);
        continue;
      }
      const fileDst = dst.endsWith('/') ? dst + path.basename(src) : dst;
      await comm.upload(fileDst, createReadStream(src), { mode: info.mode & 0o7777, size: info.size }, ctx.signal);
    } catch (err) {
      if (message(err).includes('Error restoring file')) {
        ctx.ui.error(`Upload failed: ${message(err)}; this can occur when your file destination is a folder without a trailing slash.`);
      }
      ctx.ui.error(`Upload failed: ${message(err)}`);
      return fail(err as Error);
    }
  }
  return ok(undefined);
}

export async function downloadAll(sources: readonly string[], destination: string, ctx: ProvisionContext): Promise<Result<void>> {
  const comm = ctx.communicator;
  for (const src of sources) {
    let dst = destination;
    let dir = dst;
    if (!dst.endsWith('/')) dir = path.dirname(dir);
    else if (!src.endsWith('/') && !src.endsWith('*')) dst = path.join(dst, path.basename(src));
    ctx.ui.say(`Downloading ${src} => ${dst}`);
    try {
      if (dir !== '') await mkdir(dir, { recursive: true, mode: 0o755 });
      // Packer returns after the first directory source; we go on with the others.
      if (src.endsWith('/') || /[*?[]/.test(src)) {
        await comm.downloadDir(src, dst, [], ctx.signal);
        continue;
      }
    } catch (err) {
      return fail(err as Error);
    }
    const file = createWriteStream(dst, { mode: 0o644 });
    try {
      await comm.download(src, file, ctx.signal);
    } catch (err) {
      file.destroy();
      ctx.ui.error(`Download failed: ${message(err)}`);
      return fail(err as Error);
    }
    file.end();
    await finished(file);
  }
  return ok(undefined);
}
