/** Go's `encoding/pem.Decode`, as much as `rsadecrypt` needs: the first block, its headers and bytes. */

export interface PemBlock {
  readonly type: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly bytes: Buffer;
}

const BEGIN = /-----BEGIN ([^\r\n-]*)-----\r?\n/;

/** The first well-formed PEM block in `text`, or undefined when there is none. */
export function decodePem(text: string): PemBlock | undefined {
  let rest = text;
  for (;;) {
    const m = BEGIN.exec(rest);
    if (m === null) return undefined;
    const type = m[1]!;
    const after = rest.slice(m.index + m[0].length);
    const block = blockBody(type, after);
    if (block !== undefined) return block;
    rest = after;
  }
}

function blockBody(type: string, text: string): PemBlock | undefined {
  const end = text.indexOf(`-----END ${type}-----`);
  if (end < 0) return undefined;
  const lines = text.slice(0, end).split(/\r?\n/);
  const headers = new Map<string, string>();
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon < 0) break;
    headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const body = lines.slice(i).join('').replace(/[ \t]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) return undefined;
  return { type, headers, bytes: Buffer.from(body, 'base64') };
}
