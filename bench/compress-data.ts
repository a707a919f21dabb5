/**
 * The artifact the checksum and compress benchmarks work on: a deterministic file that
 * looks like a disk image to a compressor — runs of zeros, text-like data and
 * incompressible data in 1 MiB segments — generated once and reused.
 */
import { createCipheriv } from 'node:crypto';
import { existsSync, openSync, closeSync, statSync, writeSync, renameSync } from 'node:fs';

const SEGMENT = 1 << 20;
const WORDS = 'packer kiln build image disk sector kernel module config user root etc var lib usr share doc locale zone apt dpkg systemd unit service network address'.split(' ');

/** Creates `file` of `size` bytes unless a file of that size is already there. */
export function ensureBenchFile(file: string, size: number): void {
  if (existsSync(file) && statSync(file).size === size) return;
  const tmp = `${file}.part`;
  const fd = openSync(tmp, 'w');
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16, 0));
  const zeros = Buffer.alloc(SEGMENT);
  try {
    for (let off = 0, i = 0; off < size; off += SEGMENT, i++) {
      const len = Math.min(SEGMENT, size - off);
      const noise = cipher.update(zeros);
      const kind = i % 10;
      let seg: Buffer;
      if (kind < 4) seg = zeros;
      else if (kind < 8) seg = text(noise);
      else seg = noise;
      writeSync(fd, seg, 0, len);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Words picked by the noise bytes: compresses about 3:1, like logs and config files. */
function text(noise: Buffer): Buffer {
  const out = Buffer.allocUnsafe(SEGMENT);
  let o = 0;
  for (let i = 0; o < SEGMENT; i++) {
    const w = WORDS[(noise[i % noise.length] as number) % WORDS.length] as string;
    o += out.write(i % 12 === 11 ? `${w}\n` : `${w} `, o);
  }
  return out;
}
