/**
 * A tar writer producing what Packer's compress post-processor writes with Go's
 * archive/tar: GNU-format headers for regular files named by their base name, owner
 * ids and names from the file, times zeroed (Packer clears them for reproducible
 * archives), `././@LongLink` entries for names over 100 bytes, base-256 sizes past
 * 8 GiB, and two zero blocks at the end.
 */
import { readFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { goPathError } from '../go-error.js';
import { readChunks } from './read-chunks.js';
import type { ByteSink } from './sink.js';

const BLOCK = 512;

interface TarHeader {
  readonly name: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly typeflag: string;
  readonly uname: string;
  readonly gname: string;
}

/** Writes each file into the archive; errors are Packer's texts (`Unable to read file …`). */
export async function writeTar(files: readonly string[], out: ByteSink, signal?: AbortSignal): Promise<void> {
  for (const file of files) {
    let fh: FileHandle;
    try {
      fh = await open(file, 'r');
    } catch (err) {
      throw new Error(`Unable to read file ${file}: ${goPathError(err)}`, { cause: err });
    }
    try {
      const st = await fh.stat().catch((err: unknown) => {
        throw new Error(`Unable to get fileinfo for ${file}: ${goPathError(err)}`, { cause: err });
      });
      const dir = st.isDirectory();
      const header: TarHeader = {
        name: path.basename(file) + (dir ? '/' : ''),
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        size: dir ? 0 : st.size,
        typeflag: dir ? '5' : '0',
        uname: names('/etc/passwd').get(st.uid) ?? '',
        gname: names('/etc/group').get(st.gid) ?? '',
      };
      for (const block of headerBlocks(header)) await out.write(block);
      if (dir) throw new Error(`Failed to copy ${file} data to archive: read ${file}: is a directory`);
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

/** The header block, preceded by a GNU long-name entry when the name needs one. */
export function headerBlocks(h: TarHeader): Buffer[] {
  const name = Buffer.from(h.name);
  if (name.length <= 100) return [block(h, name)];
  const data = Buffer.concat([name, Buffer.from([0])]);
  const longLink = block({ name: '', mode: 0, uid: 0, gid: 0, size: data.length, typeflag: 'L', uname: '', gname: '' }, Buffer.from('././@LongLink'));
  const padded = Buffer.alloc(Math.ceil(data.length / BLOCK) * BLOCK);
  data.copy(padded);
  return [longLink, padded, block(h, name.subarray(0, 100))];
}

function block(h: TarHeader, name: Buffer): Buffer {
  const b = Buffer.alloc(BLOCK);
  name.copy(b, 0, 0, 100);
  numeric(b, 100, 8, h.mode);
  numeric(b, 108, 8, h.uid);
  numeric(b, 116, 8, h.gid);
  numeric(b, 124, 12, h.size);
  numeric(b, 136, 12, 0);
  b.write(h.typeflag, 156, 'latin1');
  b.write('ustar  \0', 257, 'latin1');
  Buffer.from(h.uname).copy(b, 265, 0, 32);
  Buffer.from(h.gname).copy(b, 297, 0, 32);
  numeric(b, 329, 8, 0);
  numeric(b, 337, 8, 0);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return b;
}

/** Octal with a NUL when it fits in width-1 digits, else GNU base-256. */
function numeric(b: Buffer, at: number, width: number, value: number): void {
  if (value < 8 ** (width - 1)) {
    b.write(`${value.toString(8).padStart(width - 1, '0')}\0`, at, 'latin1');
    return;
  }
  let v = BigInt(value);
  for (let i = at + width - 1; i > at; i--) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  b[at] = 0x80;
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
