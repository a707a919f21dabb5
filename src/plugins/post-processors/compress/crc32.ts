/**
 * CRC-32 (gzip's) of a stream computed block by block:
 * - data through @node-rs/crc32 (carry-less multiply, PCLMULQDQ on x86-64): Node 20's
 *   zlib.crc32 runs about 0.6 GB/s here, so the CRC of a 1 GiB image cost ~1 s of CPU
 *   on the main thread, a fifth of the whole compress; the native one takes under half
 *   of that. Where its binary cannot load (a platform without a prebuilt one), zlib's.
 * - runs of zero bytes folded in arithmetically: CRC(A‖0ⁿ) = Zₙ·CRC(A) ⊕ CRC(0ⁿ), where
 *   Zₙ is the 32×32 matrix over GF(2) that appends n zero bytes to a CRC register
 *   (zlib's crc32_combine). Zₙ and CRC(0ⁿ) are made once per length, so a zeroed MiB of
 *   a disk image costs 32 XORs. The same operator joins two CRCs computed apart.
 */
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, crc: number) => number;
let nativeCrc32: Crc32 | null | undefined;

/** CRC-32 of `crc`'s data followed by `data`. */
export function crc32(data: Uint8Array, crc: number): number {
  if (nativeCrc32 === undefined) {
    try {
      nativeCrc32 = (createRequire(import.meta.url)('@node-rs/crc32') as { crc32: Crc32 }).crc32;
    } catch {
      nativeCrc32 = null;
    }
  }
  return (nativeCrc32 ? nativeCrc32(data, crc) : zlib.crc32(data, crc)) >>> 0;
}

/** The reflected CRC-32 polynomial. */
const POLY = 0xedb88320;

/** `mat` (32 columns) times the vector `vec`. */
function times(mat: Uint32Array, vec: number): number {
  let sum = 0;
  for (let i = 0; vec !== 0; i++, vec >>>= 1) if (vec & 1) sum ^= mat[i] as number;
  return sum >>> 0;
}

/** `a`·`b` (apply b, then a). */
function compose(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(32);
  for (let n = 0; n < 32; n++) out[n] = times(a, b[n] as number);
  return out;
}

/** Zₙ: the operator that appends `bytes` zero bytes to a (pre/post-conditioned) CRC register. */
function zerosOperator(bytes: number): Uint32Array {
  // One zero bit, then squared up: 2, 4, 8... bits, multiplied in where `bits` has a one.
  let op: Uint32Array = new Uint32Array(32);
  op[0] = POLY;
  for (let n = 1; n < 32; n++) op[n] = (1 << (n - 1)) >>> 0;
  let result: Uint32Array | undefined;
  for (let bits = bytes * 8; bits > 0; bits = Math.floor(bits / 2)) {
    if (bits % 2 === 1) result = result ? compose(op, result) : op;
    op = compose(op, op);
  }
  return result ?? Uint32Array.from({ length: 32 }, (_, n) => (1 << n) >>> 0);
}

const zeroRuns = new Map<number, { op: Uint32Array; crc: number }>();

function zeroRun(length: number): { op: Uint32Array; crc: number } {
  let run = zeroRuns.get(length);
  if (!run) {
    run = { op: zerosOperator(length), crc: zlib.crc32(Buffer.alloc(length)) };
    zeroRuns.set(length, run);
  }
  return run;
}

/** CRC-32 of `crc`'s data followed by `length` zero bytes. */
export function crc32Zeros(crc: number, length: number): number {
  const run = zeroRun(length);
  return (times(run.op, crc >>> 0) ^ run.crc) >>> 0;
}

/**
 * CRC-32 of two pieces of data joined, from each one's CRC and the second's length
 * (zlib's crc32_combine): CRC(A‖B) = Zₙ·CRC(A) ⊕ CRC(B), n = |B|. Blocks whose CRCs
 * were computed apart (on other threads) join into the stream's CRC this way.
 */
export function crc32Combine(crc: number, next: number, nextLength: number): number {
  return (times(zeroRun(nextLength).op, crc >>> 0) ^ next) >>> 0;
}
