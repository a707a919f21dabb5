/**
 * A tar writer producing what Packer's compress post-processor writes with Go's
 * archive/tar: GNU-format headers for regular files named by their base name, owner
 * ids and names from the file, times zeroed (Packer clears them for reproducible
 * archives), `././@LongLink` entries for names over 100 bytes, base-256 sizes past
 * 8 GiB, and two zero blocks at the end.
 */
import type { Stats } from 'node:fs';
import { readFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { goPathError } from '../go-error.js';
import { readChunks } from './read-chunks.js';
import type { ByteSink } from './sink.js';
import type { Source, SourcePiece } from './source.js';
import { sourceOf } from './source.js';
import { headerBlocks, type TarHeader } from '../../../sdk/tar-header.js';

const BLOCK = 512;

/** Writes each file into the archive; errors are Packer's texts (`Unable to read file …`). */
export async function writeTar(files: readonly string[], out: ByteSink, signal?: AbortSignal): Promise<void> {
  for (const file of files) {
    const fh = await openEntry(file);
    try {
      const st = await statEntry(fh, file);
      const header = tarHeader(file, st);
      for (const block of headerBlocks(header)) await out.write(block);
      if (st.isDirectory()) throw isADirectory(file);
      let written = 0;
      try {
        for await (const chunk of readChunks(fh, header.size, signal)) {
          await out.write(chunk);
          written += chunk.length;
        }
      } catch (err) {
        throw new Error(`Failed to copy ${file} data to archive: ${(err as Error).message}`, { cause: err });
      }
      if (written < header.size) throw new Error(`Failed to copy ${file} data to archive: archive/tar: missed writing ${header.size - written} bytes`);
      const pad = (BLOCK - (header.size % BLOCK)) % BLOCK;
      if (pad > 0) await out.write(Buffer.alloc(pad));
    } finally {
      await fh.close();
    }
  }
  await out.write(Buffer.alloc(2 * BLOCK));
}

/**
 * The tar stream writeTar would write, laid out for the deflate workers (source.ts):
 * each file's header, its bytes (read later through the returned open handles, which
 * the caller closes) and padding, then the end blocks. Fails as writeTar does, before
 * anything is read.
 */
export async function layTar(files: readonly string[]): Promise<{ source: Source; handles: FileHandle[] }> {
  const handles: FileHandle[] = [];
  const pieces: SourcePiece[] = [];
  try {
    for (const file of files) {
      const fh = await openEntry(file);
      handles.push(fh);
      const st = await statEntry(fh, file);
      if (st.isDirectory()) throw isADirectory(file);
      const header = tarHeader(file, st);
      for (const bytes of headerBlocks(header)) pieces.push({ bytes });
      if (header.size > 0) pieces.push({ fd: fh.fd, offset: 0, length: header.size, name: file });
      const pad = (BLOCK - (header.size % BLOCK)) % BLOCK;
      if (pad > 0) pieces.push({ bytes: new Uint8Array(pad) });
    }
  } catch (err) {
    await Promise.all(handles.map((h) => h.close()));
    throw err;
  }
  pieces.push({ bytes: new Uint8Array(2 * BLOCK) });
  return { source: sourceOf(pieces), handles };
}

/** Opens a file to archive; rejects in Packer's words. */
async function openEntry(file: string): Promise<FileHandle> {
  try {
    return await open(file, 'r');
  } catch (err) {
    throw new Error(`Unable to read file ${file}: ${goPathError(err)}`, { cause: err });
  }
}

/** Its stat; rejects in Packer's words. */
function statEntry(fh: FileHandle, file: string): Promise<Stats> {
  return fh.stat().catch((err: unknown) => {
    throw new Error(`Unable to get fileinfo for ${file}: ${goPathError(err)}`, { cause: err });
  });
}

function tarHeader(file: string, st: Stats): TarHeader {
  const dir = st.isDirectory();
  return {
    name: path.basename(file) + (dir ? '/' : ''),
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    size: dir ? 0 : st.size,
    typeflag: dir ? '5' : '0',
    uname: names('/etc/passwd').get(st.uid) ?? '',
    gname: names('/etc/group').get(st.gid) ?? '',
    mtime: 0,
  };
}

function isADirectory(file: string): Error {
  return new Error(`Failed to copy ${file} data to archive: read ${file}: is a directory`);
}

const nameCache = new Map<string, Map<number, string>>();

/** id → name from /etc/passwd or /etc/group, as Go's pure lookup reads them. */
function names(file: string): Map<number, string> {
  let m = nameCache.get(file);
  if (m) return m;
  m = new Map();
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id !== undefined && /^\d+$/.test(id) && !m.has(Number(id))) m.set(Number(id), name);
    }
  } catch {
    // No such file: no names, as on systems without them.
  }
  nameCache.set(file, m);
  return m;
}
