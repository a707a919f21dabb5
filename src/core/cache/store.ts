/**
 * The step cache's local store of entries (`<dir>/entries/<ab>/<key>.json`). An entry
 * is written to a private temp file beside its place, fsynced, then hard-linked to its
 * name — published last, atomically, first writer wins — and the folder fsynced. A
 * process killed at any moment leaves either no entry or a whole one; a stray temp file
 * is swept later. A file that does not parse is a miss with a reason, never a crash.
 * The store is best-effort: I/O failures are reported as values, not thrown.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import path from 'node:path';
import { isKey, parseEntry, type CacheEntry } from './entry.js';

export type EntryRead =
  | { readonly kind: 'hit'; readonly entry: CacheEntry }
  | { readonly kind: 'missing' }
  | { readonly kind: 'corrupt'; readonly reason: string };

/**
 * A listed entry. Its file's modification time is when it was last used: the content
 * never changes after publishing (the JSON holds the creation time), and access times
 * are no use (relatime bumps them on any read, `kiln cache ls`'s too).
 */
export interface ListedEntry {
  readonly entry: CacheEntry;
  readonly file: string;
  /** The entry file's size. */
  readonly bytes: number;
  /**
   * The bytes of the other files of `layers/` named by its key (`<key>.*`) than its
   * snapshot's own: a qemu layer's RAM state and capture. They go with the entry.
   */
  readonly companionBytes: number;
  readonly lastUsed: Date;
}

export class StepStore {
  constructor(readonly dir: string) {}

  /** Where `key`'s entry is published. */
  entryFile(key: string): string {
    return path.join(this.dir, 'entries', key.slice(0, 2), `${key}.json`);
  }

  read(key: string): EntryRead {
    let text: string;
    try {
      text = readFileSync(this.entryFile(key), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'corrupt', reason: (err as Error).message };
    }
    const parsed = parseEntry(text, key);
    return typeof parsed === 'string' ? { kind: 'corrupt', reason: parsed } : { kind: 'hit', entry: parsed };
  }

  /**
   * Publishes `entry`: 'published', 'exists' (another writer won with the same snapshot,
   * or one as valid), 'replaced' (the entry there was unreadable or named a snapshot other
   * than `entry`'s — one its builder no longer has: swapped atomically by rename), or an
   * error message (disk full, permissions).
   */
  publish(entry: CacheEntry): 'published' | 'exists' | 'replaced' | { readonly error: string } {
    const final = this.entryFile(entry.key);
    const folder = path.dirname(final);
    const tmp = path.join(folder, `.${entry.key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      mkdirSync(folder, { recursive: true });
      const fd = openSync(tmp, 'wx', 0o644);
      try {
        writeSync(fd, `${JSON.stringify(entry, null, 2)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      let outcome: 'published' | 'replaced' = 'published';
      try {
        linkSync(tmp, final);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const there = this.read(entry.key);
        if (there.kind === 'hit' && there.entry.snapshot.id === entry.snapshot.id) return 'exists';
        renameSync(tmp, final);
        outcome = 'replaced';
      }
      syncFolder(folder);
      return outcome;
    } catch (err) {
      return { error: (err as Error).message };
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  /** Removes `key`'s entry (a corrupt one, or `prune`). */
  remove(key: string): void {
    rmSync(this.entryFile(key), { force: true });
  }

  /** Removes `key`'s entry and every entry chained below it, on every branch (an expired step). */
  removeWithDescendants(key: string): void {
    const children = new Map<string, string[]>();
    for (const e of this.list().entries) children.set(e.entry.parent, [...(children.get(e.entry.parent) ?? []), e.entry.key]);
    const stack = [key];
    for (let k = stack.pop(); k !== undefined; k = stack.pop()) {
      this.remove(k);
      stack.push(...(children.get(k) ?? []));
    }
  }

  /** Marks `key` used now (its file's modification time), for `prune`'s least-recently-used order. */
  touch(key: string): void {
    try {
      const now = new Date();
      utimesSync(this.entryFile(key), now, now);
    } catch {
      // Best-effort: a lost touch only makes prune's order less exact.
    }
  }

  /** Every valid entry, and the corrupt files (by path, with the reason). */
  list(): { readonly entries: ListedEntry[]; readonly corrupt: { readonly file: string; readonly reason: string }[] } {
    const entries: ListedEntry[] = [];
    const corrupt: { file: string; reason: string }[] = [];
    const layers = layerFiles(this.dir);
    const root = path.join(this.dir, 'entries');
    for (const sub of safeReaddir(root)) {
      for (const name of safeReaddir(path.join(root, sub))) {
        const file = path.join(root, sub, name);
        const key = name.replace(/\.json$/, '');
        if (!name.endsWith('.json') || !isKey(key)) continue;
        const r = this.read(key);
        if (r.kind === 'corrupt') corrupt.push({ file, reason: r.reason });
        if (r.kind !== 'hit') continue;
        try {
          const st = statSync(file);
          const companionBytes = (layers.get(key) ?? []).reduce((n, f) => (f.name === r.entry.snapshot.id ? n : n + f.bytes), 0);
          entries.push({ entry: r.entry, file, bytes: st.size, companionBytes, lastUsed: st.mtime });
        } catch {
          // Removed meanwhile.
        }
      }
    }
    return { entries, corrupt };
  }
}

/** A file of the cache's `layers/` folder named by a key. */
export interface LayerFile {
  /** Its name, `<key>.<ext>` (`<key>.qcow2`, `<key>.vmstate.zst`). */
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

/** The files of `<dir>/layers` named `<key>.*` (temp files aside), by key. */
export function layerFiles(dir: string): Map<string, LayerFile[]> {
  const folder = path.join(dir, 'layers');
  const byKey = new Map<string, LayerFile[]>();
  for (const name of safeReaddir(folder)) {
    const key = name.slice(0, 64);
    if (!isKey(key) || name[64] !== '.' || name.endsWith('.tmp')) continue;
    const file = path.join(folder, name);
    try {
      const st = statSync(file);
      byKey.set(key, [...(byKey.get(key) ?? []), { name, path: file, bytes: st.size, mtimeMs: st.mtimeMs }]);
    } catch {
      // Removed meanwhile.
    }
  }
  return byKey;
}

/** A folder's names; none when it does not exist. */
export function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Makes a new name in `folder` survive a crash. */
export function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
