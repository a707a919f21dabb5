/**
 * A random (version 4) UUID for a run's PACKER_RUN_UUID, read from /dev/urandom: every
 * kiln command sets one before anything else, and loading node:crypto for it cost about
 * 10 ms of a ~100 ms `kiln version`. Where /dev/urandom cannot be read (Windows), it
 * falls back to node:crypto.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** A version 4 UUID in its canonical lower-case form. */
export async function runUuid(): Promise<string> {
  const b = Buffer.alloc(16);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      if (readSync(fd, b, 0, 16, null) !== 16) throw new Error('short read');
    } finally {
      closeSync(fd);
    }
  } catch {
    return (await import('node:crypto')).randomUUID();
  }
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
