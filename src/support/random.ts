/**
 * Random bytes and version 4 UUIDs read from /dev/urandom (the kernel's generator, which
 * node:crypto's also draws from). Loading node:crypto costs ~3 ms of CPU, a twentieth of
 * a `kiln validate`, and every command needs a run UUID and a build a few random names;
 * where /dev/urandom cannot be read (Windows) they come from node:crypto.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** `n` cryptographically random bytes. */
export function randomBytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      if (readSync(fd, b, 0, n, null) !== n) throw new Error('short read');
    } finally {
      closeSync(fd);
    }
    return b;
  } catch {
    return process.getBuiltinModule('node:crypto').randomBytes(n);
  }
}

/** A version 4 UUID in its canonical lower-case form. */
export function randomUuid(): string {
  const b = randomBytes(16);
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
