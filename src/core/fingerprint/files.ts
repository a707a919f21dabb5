/**
 * Content digests of the local files and folders a component reads. Never mtimes,
 * owners or inode numbers: touching a file or checking it out again keeps its digest;
 * changing a byte, a mode bit, a name or a link target changes it. A `DigestCache`
 * (`stat-cache.ts`) lets an unchanged file skip its re-read: the stat only decides
 * whether to read again, it never enters a digest.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import type { IgnoredTest } from './kilnignore.js';
import { kilnignoreFor } from './kilnignore.js';

/** Remembers file digests by their stats (see `statCache`). */
export interface DigestCache {
  /** The sha256 (hex) of `file` when it was read with exactly these stats; undefined otherwise. */
  get(file: string, st: Stats): string | undefined;
  set(file: string, st: Stats, sha256: string): void;
}

/** Files hashed at once in a folder: enough to overlap reads, few enough for a shared disk. */
const PARALLEL = 8;

/**
 * The digest of what is at `file` (absolute), following a symbolic link at the top:
 * - a file: `sha256:<hex of its content>`;
 * - a folder: `tree:<hex>`, sha256 over its sorted lines `d <rel> <mode>`,
 *   `f <rel> <mode> <sha256>` and `l <rel> <target>` (links inside are not followed);
 * - nothing there: `missing`; anything else (a socket, a device): `special`;
 *   unreadable: `unreadable: <reason>`.
 * Modes are the permission bits in octal. A folder's digest leaves out what its
 * `.kilnignore` files say (`kilnignore.ts`): the folder's own, and `templateDir`'s when
 * given and the folder lies inside it.
 */
export async function digestPath(file: string, cache?: DigestCache, templateDir?: string): Promise<string> {
  try {
    const st = await stat(file);
    if (st.isFile()) return `sha256:${await digestFile(file, st, cache)}`;
    if (st.isDirectory()) return `tree:${await digestTree(file, cache, kilnignoreFor(file, templateDir))}`;
    return 'special';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    return `unreadable: ${code ?? (e as Error).message}`;
  }
}

async function digestFile(file: string, st: Stats, cache: DigestCache | undefined): Promise<string> {
  const known = cache?.get(file, st);
  if (known !== undefined) return known;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const sha = hash.digest('hex');
  cache?.set(file, st, sha);
  return sha;
}

/** One thing in a hashed set of files (a folder's walk, a glob's matches): its path as shown in the digest, on disk, and its stats. */
export interface DigestEntry {
  readonly shown: string;
  readonly full: string;
  readonly st: Stats;
}

/**
 * The sha256 (hex) over the sorted lines of `entries` (sorted by `shown`), as a folder's
 * digest makes them: `d <shown> <mode>`, `f <shown> <mode> <sha256>`, `l <shown> <target>`,
 * `s <shown>` (anything else). Files are read a few at a time.
 */
async function digestEntries(entries: readonly DigestEntry[], cache?: DigestCache): Promise<string> {
  const lines: string[] = [];
  const files: { line: number; e: DigestEntry; prefix: string }[] = [];
  for (const e of entries) {
    const mode = (e.st.mode & 0o7777).toString(8);
    if (e.st.isSymbolicLink()) lines.push(`l ${e.shown} ${await readlink(e.full)}`);
    else if (e.st.isDirectory()) lines.push(`d ${e.shown} ${mode}`);
    else if (e.st.isFile()) {
      files.push({ line: lines.length, e, prefix: `f ${e.shown} ${mode} ` });
      lines.push('');
    } else lines.push(`s ${e.shown}`);
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const f = files[next++];
      if (f) lines[f.line] = `${f.prefix}${await digestFile(f.e.full, f.e.st, cache)}`;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, files.length) }, worker));
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

async function digestTree(root: string, cache: DigestCache | undefined, ignored: IgnoredTest | undefined): Promise<string> {
  const entries: DigestEntry[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    const names = (await readdir(dir)).sort();
    const stats = await Promise.all(names.map((name) => lstat(path.join(dir, name))));
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const st = stats[i] as Stats;
      const full = path.join(dir, name);
      const shown = rel === '' ? name : `${rel}/${name}`;
      if (ignored?.(full, st.isDirectory())) continue;
      entries.push({ shown, full, st });
      if (st.isDirectory()) await walk(full, shown);
    }
  };
  await walk(root, '');
  return digestEntries(entries, cache);
}
