/**
 * Packer's `base64gzip(str)`: the UTF-8 bytes gzipped, then base64 (standard alphabet).
 *
 * Packer writes with Go's `gzip.Writer`, then `Flush` and `Close`; kiln builds the same
 * stream around zlib's raw deflate so that the framing is byte for byte Go's:
 * - header: no name, mtime 0, XFL 0, OS 255 ("unknown"), where Node's gzip writes OS 3;
 * - `Flush` ends the data with a sync-flush marker (an empty non-final stored block),
 *   which zlib's `Z_SYNC_FLUSH` writes the same way;
 * - `Close` adds a final empty stored block (`01 00 00 ff ff`), where zlib's finish
 *   would write an empty fixed-Huffman block;
 * - trailer: CRC-32 and length, little-endian.
 * The compressed blocks themselves come from zlib, not Go's compress/flate. Both choose
 * a fixed-Huffman block of literals for short inputs without repeats, so those come out
 * identical; longer inputs usually differ in their bytes (Go's match finder and block
 * splitting are its own), while decompressing to the same text.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { stringType } from '../cty/type.js';
import { stringVal } from '../cty/value.js';
import { defineFunction, staticReturnType } from './function.js';

const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
const FINAL_EMPTY_STORED_BLOCK = Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff]);

/** Go's `gzip.Writer` output (Write, Flush, Close) for `data`, with zlib's deflate blocks. */
export function gzipLikeGo(data: Buffer): Buffer {
  const body = deflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length % 2 ** 32, 4);
  return Buffer.concat([HEADER, body, FINAL_EMPTY_STORED_BLOCK, trailer]);
}

export const base64GzipFunc = defineFunction({
  description: 'Compresses the given string with gzip and then encodes the result in Base64.',
  params: [{ name: 'str', type: stringType }],
  type: staticReturnType(stringType),
  impl: (args) => stringVal(gzipLikeGo(Buffer.from(args[0]!.asString(), 'utf8')).toString('base64')),
});
