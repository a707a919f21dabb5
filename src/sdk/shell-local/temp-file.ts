/**
 * Temporary files named as Packer names them (sdk `tmp.File`): `<prefix><digits>` in
 * `PACKER_TMP_DIR` or the system temp folder, created exclusively.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from '../../support/random.js';

export function tempDir(): string {
  return process.env['PACKER_TMP_DIR'] || os.tmpdir();
}

/** Creates a new file holding `contents` in `dir` (default `tempDir()`) and resolves with its path. The caller removes it. */
export async function createTempFile(prefix: string, contents: string | Buffer, mode = 0o600, dir = tempDir()): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const file = path.join(dir, `${prefix}${1_000_000_000 + (randomBytes(4).readUInt32BE(0) % 3_294_967_295)}`);
    try {
      await writeFile(file, contents, { flag: 'wx', mode });
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 100) throw err;
    }
  }
}
