/**
 * Tar header blocks as Go's archive/tar writes them in GNU format: octal numbers with
 * GNU base-256 past their width (sizes over 8 GiB), owner names, a `././@LongLink`
 * entry before a name over 100 bytes. Shared by the compress post-processor's tar and
 * the docker engine upload (one file, as `docker cp` sends it).
 */

const BLOCK = 512;

/** One entry's header; `typeflag` '0' a regular file, '5' a folder. */
export interface TarHeader {
  readonly name: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly typeflag: string;
  readonly uname: string;
  readonly gname: string;
  /** Modification time, seconds since the epoch (0 for a reproducible archive). */
  readonly mtime: number;
}

/** The header block, preceded by a GNU long-name entry when the name needs one. */
export function headerBlocks(h: TarHeader): Buffer[] {
  const name = Buffer.from(h.name);
  if (name.length <= 100) return [block(h, name)];
  const data = Buffer.concat([name, Buffer.from([0])]);
  const longLink = block({ name: '', mode: 0, uid: 0, gid: 0, size: data.length, typeflag: 'L', uname: '', gname: '', mtime: 0 }, Buffer.from('././@LongLink'));
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
  numeric(b, 136, 12, h.mtime);
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
