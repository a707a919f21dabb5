/**
 * Content digests of the local files and folders a component reads. Never mtimes,
 * owners or inode numbers: touching a file or checking it out again keeps its digest;
 * changing a byte, a mode bit, a name or a link target changes it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The digest of what is at `file` (absolute), following a symbolic link at the top:
 * - a file: `sha256:<hex of its content>`;
 * - a folder: `tree:<hex>`, sha256 over its sorted lines `d <rel> <mode>`,
 *   `f <rel> <mode> <sha256>` and `l <rel> <target>` (links inside are not followed);
 * - nothing there: `missing`; anything else (a socket, a device): `special`;
 *   unreadable: `unreadable: <reason>`.
 * Modes are the permission bits in octal.
 */
export async function digestPath(file: string): Promise<string> {
  try {
    const st = await stat(file);
    if (st.isFile()) return `sha256:${await digestFile(file)}`;
    if (st.isDirectory()) return `tree:${await digestTree(file)}`;
    return 'special';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    return `unreadable: ${code ?? (e as Error).message}`;
  }
}

async function digestFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function digestTree(root: string): Promise<string> {
  const lines: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = (await readdir(dir)).sort();
    for (const name of entries) {
      const full = path.join(dir, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = await lstat(full);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) lines.push(`l ${r} ${await readlink(full)}`);
      else if (st.isDirectory()) {
        lines.push(`d ${r} ${mode}`);
        await walk(full, r);
      } else if (st.isFile()) lines.push(`f ${r} ${mode} ${await digestFile(full)}`);
      else lines.push(`s ${r}`);
    }
  };
  await walk(root, '');
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
