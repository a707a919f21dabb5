/**
 * A zip writer producing what Go's archive/zip `Create` writes for Packer: deflated
 * entries with data descriptors, no timestamps, ZIP64 records only when sizes,
 * offsets or counts need them. Entries are deflated on every core (parallel-deflate).
 * Entry names are the input paths with `/` separators; unlike Packer, a leading `/`
 * is dropped, since unzip would strip it anyway and Go's own reader rejects it.
 */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { goPathError } from '../go-error.js';
import { ParallelDeflate } from './parallel-deflate.js';
import { readChunks } from './read-chunks.js';
import type { ByteSink } from './sink.js';
import { CountingSink } from './sink.js';
import { fileSource } from './source.js';

const U32 = 0xffffffff;
const U16 = 0xffff;

interface Entry {
  readonly name: Buffer;
  readonly flags: number;
  readonly offset: number;
  readonly crc: number;
  readonly csize: number;
  readonly usize: number;
}

export async function writeZip(files: readonly string[], sink: ByteSink, level: number, signal?: AbortSignal): Promise<void> {
  const out = new CountingSink(sink);
  const entries: Entry[] = [];
  for (const file of files) {
    const nameText = file.replaceAll('\\', '/').replace(/^\/+/, '');
    let fh: FileHandle;
    try {
      fh = await open(file, 'r');
    } catch (err) {
      throw new Error(`Unable to read file ${nameText}: ${goPathError(err)}`, { cause: err });
    }
    try {
      const name = Buffer.from(nameText);
      // Bit 3: sizes follow the data; bit 11: the name is UTF-8 (set only when it needs to be).
      const flags = 0x8 | (Buffer.byteLength(nameText) !== nameText.length ? 0x800 : 0);
      const offset = out.bytes;
      await out.write(localHeader(name, flags));
      const before = out.bytes;
      const { crc, length } = await deflateEntry(fh, nameText, out, level, signal);
      const entry: Entry = { name, flags, offset, crc: crc >>> 0, csize: out.bytes - before, usize: length };
      await out.write(dataDescriptor(entry));
      entries.push(entry);
    } finally {
      await fh.close();
    }
  }
  const cdStart = out.bytes;
  for (const e of entries) await out.write(centralHeader(e));
  await out.write(endRecords(entries.length, out.bytes - cdStart, cdStart));
}

/**
 * One entry's deflate stream: a regular file big enough for them on the deflate workers
 * (its size when this is called, as for a .gz), anything else streamed through
 * ParallelDeflate to its end; the same bytes either way.
 */
async function deflateEntry(fh: FileHandle, name: string, out: ByteSink, level: number, signal?: AbortSignal): Promise<{ crc: number; length: number }> {
  try {
    const st = await fh.stat();
    const { deflateOnWorkers, WORKER_MIN_BYTES } = await import('./gzip-file.js');
    if (st.isFile() && st.size >= WORKER_MIN_BYTES) return await deflateOnWorkers(fileSource(fh.fd, st.size, name), out, level, signal);
    const deflate = new ParallelDeflate(out, level);
    for await (const chunk of readChunks(fh, Infinity, signal)) await deflate.write(chunk);
    await deflate.finish();
    return { crc: deflate.crc, length: deflate.length };
  } catch (err) {
    throw new Error(`Failed to copy ${name} data to archive: ${(err as Error).message}`, { cause: err });
  }
}

const isZip64 = (e: Entry): boolean => e.csize >= U32 || e.usize >= U32;

function localHeader(name: Buffer, flags: number): Buffer {
  const b = Buffer.alloc(30);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(20, 4);
  b.writeUInt16LE(flags, 6);
  b.writeUInt16LE(8, 8);
  // Time, date, CRC and sizes stay zero: the data descriptor carries them.
  b.writeUInt16LE(name.length, 26);
  return Buffer.concat([b, name]);
}

function dataDescriptor(e: Entry): Buffer {
  if (isZip64(e)) {
    const b = Buffer.alloc(24);
    b.writeUInt32LE(0x08074b50, 0);
    b.writeUInt32LE(e.crc, 4);
    b.writeBigUInt64LE(BigInt(e.csize), 8);
    b.writeBigUInt64LE(BigInt(e.usize), 16);
    return b;
  }
  const b = Buffer.alloc(16);
  b.writeUInt32LE(0x08074b50, 0);
  b.writeUInt32LE(e.crc, 4);
  b.writeUInt32LE(e.csize, 8);
  b.writeUInt32LE(e.usize, 12);
  return b;
}

function centralHeader(e: Entry): Buffer {
  const zip64 = isZip64(e) || e.offset >= U32;
  const b = Buffer.alloc(46);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(20, 4);
  b.writeUInt16LE(isZip64(e) ? 45 : 20, 6);
  b.writeUInt16LE(e.flags, 8);
  b.writeUInt16LE(8, 10);
  b.writeUInt32LE(e.crc, 16);
  b.writeUInt32LE(zip64 ? U32 : e.csize, 20);
  b.writeUInt32LE(zip64 ? U32 : e.usize, 24);
  b.writeUInt16LE(e.name.length, 28);
  b.writeUInt16LE(zip64 ? 28 : 0, 30);
  b.writeUInt32LE(Math.min(e.offset, U32), 42);
  if (!zip64) return Buffer.concat([b, e.name]);
  const extra = Buffer.alloc(28);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(24, 2);
  extra.writeBigUInt64LE(BigInt(e.usize), 4);
  extra.writeBigUInt64LE(BigInt(e.csize), 12);
  extra.writeBigUInt64LE(BigInt(e.offset), 20);
  return Buffer.concat([b, e.name, extra]);
}

function endRecords(records: number, size: number, offset: number): Buffer {
  const parts: Buffer[] = [];
  if (records >= U16 || size >= U32 || offset >= U32) {
    const z = Buffer.alloc(56 + 20);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeUInt16LE(45, 12);
    z.writeUInt16LE(45, 14);
    z.writeBigUInt64LE(BigInt(records), 24);
    z.writeBigUInt64LE(BigInt(records), 32);
    z.writeBigUInt64LE(BigInt(size), 40);
    z.writeBigUInt64LE(BigInt(offset), 48);
    // Locator: where the ZIP64 end record starts (right after the central directory).
    z.writeUInt32LE(0x07064b50, 56);
    z.writeBigUInt64LE(BigInt(offset + size), 64);
    z.writeUInt32LE(1, 72);
    parts.push(z);
    records = U16;
    size = U32;
    offset = U32;
  }
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(records, 8);
  e.writeUInt16LE(records, 10);
  e.writeUInt32LE(size, 12);
  e.writeUInt32LE(offset, 16);
  parts.push(e);
  return Buffer.concat(parts);
}
