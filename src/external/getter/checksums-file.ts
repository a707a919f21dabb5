/** `SHA256SUMS` files as releases publish them: `<hex>  <file name>` per line. */

export interface ChecksumEntry {
  readonly sha256: string;
  readonly file: string;
}

/** The well-formed lines of a `SHA256SUMS` file (others are ignored, as Packer does). */
export function parseChecksumsFile(text: string): ChecksumEntry[] {
  const out: ChecksumEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length !== 2) continue;
    const [sha, file] = fields as [string, string];
    if (/^[0-9a-fA-F]{64}$/.test(sha)) out.push({ sha256: sha.toLowerCase(), file: file.replace(/^\*/, '') });
  }
  return out;
}
