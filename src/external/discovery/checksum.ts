/**
 * SHA-256 checks of plugin binaries against the `<binary>_SHA256SUM` file beside them
 * (lower-case hex, no file name), as Packer writes and checks them.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** The suffix of the checksum file beside a binary. */
export const CHECKSUM_SUFFIX = '_SHA256SUM';

/** The hex SHA-256 of a file's content. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The hex SHA-256 of bytes. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Whether `binary` matches its `_SHA256SUM` file: `ok`, or why not (missing file,
 * malformed content, mismatch with both digests).
 */
export async function verifyBinaryChecksum(binary: string): Promise<{ ok: true } | { ok: false; missing: boolean; reason: string }> {
  let expected: string;
  try {
    expected = (await readFile(binary + CHECKSUM_SUFFIX, 'utf8')).trim().toLowerCase();
  } catch {
    return { ok: false, missing: true, reason: `no ${CHECKSUM_SUFFIX} file found for ${binary}` };
  }
  // Packer reads only the first 64 hex digits; anything after them is ignored.
  const digest = /^[0-9a-f]{64}/.exec(expected)?.[0];
  if (!digest) return { ok: false, missing: false, reason: `${binary}${CHECKSUM_SUFFIX} does not hold a SHA-256 checksum` };
  const actual = await sha256File(binary);
  if (actual !== digest) return { ok: false, missing: false, reason: `Checksums (*sha256.digest) did not match. Expected: ${digest} Got: ${actual}` };
  return { ok: true };
}
