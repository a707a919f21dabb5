import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { crc32, crc32Combine, crc32Zeros } from './crc32.js';

describe('compress: CRC-32', () => {
  it('of data, in one piece or chained, equals zlib.crc32', () => {
    const data = randomBytes(300_000);
    assert.equal(crc32(data, 0), zlib.crc32(data));
    assert.equal(crc32(data.subarray(1000), crc32(data.subarray(0, 1000), 0)), zlib.crc32(data));
  });

  it('equals zlib.crc32 of the data followed by the zeros, for any prefix and length', () => {
    for (const [prefix, zeros] of [
      [0, 0],
      [0, 1],
      [5, 3],
      [33, 12345],
      [7, 65536],
      [1000, 1 << 20],
    ] as const) {
      const head = randomBytes(prefix);
      assert.equal(crc32Zeros(zlib.crc32(head), zeros), zlib.crc32(Buffer.concat([head, Buffer.alloc(zeros)])), `${prefix} bytes then ${zeros} zeros`);
    }
  });
  it('chains: data, zeros, data, zeros', () => {
    const a = randomBytes(100);
    const b = randomBytes(50);
    let crc = crc32Zeros(zlib.crc32(a), 4096);
    crc = crc32Zeros(zlib.crc32(b, crc), 70000);
    assert.equal(crc, zlib.crc32(Buffer.concat([a, Buffer.alloc(4096), b, Buffer.alloc(70000)])));
  });

  it('joins the CRCs of two pieces computed apart, for any lengths', () => {
    for (const [a, b] of [
      [0, 0],
      [10, 0],
      [0, 10],
      [1000, 1 << 20],
      [77_777, 12_345],
    ] as const) {
      const x = randomBytes(a);
      const y = randomBytes(b);
      assert.equal(crc32Combine(zlib.crc32(x), zlib.crc32(y), b), zlib.crc32(Buffer.concat([x, y])), `${a} then ${b} bytes`);
    }
  });
});
