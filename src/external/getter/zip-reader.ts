/**
 * Reads one file out of a zip archive held in memory: the end-of-central-directory
 * record, the central directory, the entry's local header, then stored or deflated
 * data checked against its CRC-32. Enough for plugin release zips (no zip64, no
 * encryption, no multi-disk); anything else is an error value, never a throw.
 * Node's zlib does the inflating; no dependency reads zips better for this.
 */
import { crc32, inflateRawSync } from 'node:zlib';

const EOCD_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

/** An entry of the central directory. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
}

function findEocd(zip: Buffer): number {
  const min = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= min; i--) if (zip.readUInt32LE(i) === EOCD_SIG) return i;
  return -1;
}

/** The entries of the archive's central directory, or why it cannot be read. */
export function zipEntries(zip: Buffer): ZipEntry[] | string {
  if (zip.length < 22) return 'not a zip file (too short)';
  const eocd = findEocd(zip);
  if (eocd < 0) return 'not a zip file (no end of central directory)';
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  let at = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || at === 0xffffffff) return 'zip64 archives are not supported';
  if (at + size > eocd) return 'corrupt zip file (central directory out of bounds)';
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_SIG) return 'corrupt zip file (bad central directory entry)';
    const flags = zip.readUInt16LE(at + 8);
    if (flags & 1) return 'encrypted zip entries are not supported';
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLen),
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The uncompressed content of `entry`, checked against its size and CRC-32, or why it cannot be read. */
export function readZipEntry(zip: Buffer, entry: ZipEntry): Buffer | string {
  const at = entry.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL_SIG) return `corrupt zip file (bad local header for ${entry.name})`;
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > zip.length) return `corrupt zip file (${entry.name} is truncated)`;
  const raw = zip.subarray(start, end);
  let data: Buffer;
  if (entry.method === 0) data = Buffer.from(raw);
  else if (entry.method === 8) {
    try {
      data = inflateRawSync(raw);
    } catch (e) {
      return `corrupt zip file (${entry.name}: ${(e as Error).message})`;
    }
  } else return `unsupported zip compression method ${entry.method} for ${entry.name}`;
  if (data.length !== entry.size || (crc32(data) >>> 0) !== entry.crc >>> 0) return `corrupt zip file (${entry.name} fails its CRC-32 check)`;
  return data;
}

/** The content of the entry named `name`, `undefined` when there is none, or a string saying why the archive cannot be read. */
export function extractZipFile(zip: Buffer, name: string): { data: Buffer } | { missing: true } | { error: string } {
  const entries = zipEntries(zip);
  if (typeof entries === 'string') return { error: entries };
  const entry = entries.find((e) => e.name === name);
  if (!entry) return { missing: true };
  const data = readZipEntry(zip, entry);
  return typeof data === 'string' ? { error: data } : { data };
}
