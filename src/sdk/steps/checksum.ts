/**
 * Packer's `iso_checksum` syntax: `none`, `<type>:<hex>` (md5, sha1, sha256, sha512),
 * a bare hex digest whose length gives its type, or `file:<url or path>` naming a
 * checksum file (`SHA256SUMS` style, or BSD `SHA256 (name) = hex`).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export type HashType = 'md5' | 'sha1' | 'sha256' | 'sha512';
const BY_LENGTH: Readonly<Record<number, HashType>> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };

/** What to verify a download against. */
export type Checksum =
  | { readonly kind: 'none' }
  | { readonly kind: 'digest'; readonly type: HashType; readonly hex: string }
  | { readonly kind: 'file'; readonly url: string; readonly type: HashType | undefined };

/** Parses `iso_checksum`; an error message for text that is none of the forms. */
export function parseChecksum(text: string): Checksum | string {
  const t = text.trim();
  if (t === '' ) return 'An iso_checksum must be specified ("none" to skip verification)';
  if (t.toLowerCase() === 'none') return { kind: 'none' };
  const colon = t.indexOf(':');
  if (colon > 0) {
    const type = t.slice(0, colon).toLowerCase();
    const rest = t.slice(colon + 1);
    if (type === 'file') return { kind: 'file', url: rest, type: undefined };
    if (!isHashType(type)) return `iso_checksum: unsupported checksum type "${type}" (use md5, sha1, sha256, sha512 or file)`;
    if (rest.startsWith('file:') || /^https?:\/\//.test(rest)) return { kind: 'file', url: rest.replace(/^file:/, ''), type };
    return digest(type, rest);
  }
  const type = BY_LENGTH[t.length];
  if (!type) return `iso_checksum: "${t}" is not a digest of a known length (md5, sha1, sha256, sha512)`;
  return digest(type, t);
}

function isHashType(t: string): t is HashType {
  return t === 'md5' || t === 'sha1' || t === 'sha256' || t === 'sha512';
}

function digest(type: HashType, hex: string): Checksum | string {
  if (!/^[0-9a-fA-F]+$/.test(hex) || BY_LENGTH[hex.length] !== type) return `iso_checksum: "${hex}" is not a ${type} digest`;
  return { kind: 'digest', type, hex: hex.toLowerCase() };
}

/** The digest a `file:` checksum gives for `target` (matched by file name). */
export async function resolveChecksumFile(c: Extract<Checksum, { kind: 'file' }>, target: string, signal: AbortSignal): Promise<Extract<Checksum, { kind: 'digest' }>> {
  const text = /^https?:\/\//.test(c.url)
    ? await (await fetch(c.url, { signal })).text()
    : await readFile(c.url.replace(/^file:\/\//, ''), 'utf8');
  const name = path.basename(new URL(target, 'file:///').pathname);
  for (const line of text.split('\n')) {
    const bsd = /^(\w+) \((.+)\) = ([0-9a-fA-F]+)$/.exec(line.trim());
    const gnu = /^([0-9a-fA-F]+)\s+\*?(.+)$/.exec(line.trim());
    const [hex, file] = bsd ? [bsd[3] ?? '', bsd[2] ?? ''] : gnu ? [gnu[1] ?? '', gnu[2] ?? ''] : ['', ''];
    if (hex === '' || path.basename(file) !== name) continue;
    const type = c.type ?? BY_LENGTH[hex.length];
    if (!type) continue;
    return { kind: 'digest', type, hex: hex.toLowerCase() };
  }
  throw new Error(`no checksum for ${name} in ${c.url}`);
}

/** Hashes a file. */
export async function hashFile(file: string, type: HashType, signal?: AbortSignal): Promise<string> {
  // node:crypto is loaded when a file is checksummed, not by validate.
  const hash = process.getBuiltinModule('node:crypto').createHash(type);
  for await (const chunk of createReadStream(file, { signal, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Packer-style mismatch message, naming both sums. */
export function checksumMismatch(file: string, c: Extract<Checksum, { kind: 'digest' }>, actual: string): string {
  return `Checksums did not match for ${file}.\nExpected: ${c.type}:${c.hex}\nGot: ${c.type}:${actual}`;
}
