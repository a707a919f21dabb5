/**
 * Packer's `UnixReader`: every line of an uploaded script ends in `\n` — a `\r` before
 * it is dropped, and a last line without a newline gets one.
 */
export function toUnixLines(data: Buffer): Buffer {
  if (data.length === 0) return data;
  const parts: Buffer[] = [];
  let start = 0;
  while (start < data.length) {
    let nl = data.indexOf(0x0a, start);
    const end = nl < 0 ? data.length : nl;
    const lineEnd = end > start && data[end - 1] === 0x0d ? end - 1 : end;
    parts.push(data.subarray(start, lineEnd), Buffer.from('\n'));
    if (nl < 0) nl = data.length;
    start = nl + 1;
  }
  return Buffer.concat(parts);
}
