/**
 * The files of `layers/` that no entry names (prune.ts's second half): a qemu build's
 * base layer (`<base key>.qcow2`, the source imported once, parent of its first step)
 * and a layer a killed build froze but never published. `prune` accounts for them and
 * removes one once no remaining entry needs it (as its own snapshot or as the parent of
 * one), when no running build leases it, and when the policy says so: `-all`; unused
 * (modified) for longer than `-older-than`; every entry it served is being removed; or
 * the cache is still over `-max-size` after the entries (least recently used first).
 */
import { rmSync } from 'node:fs';
import type { PrunePolicy } from './prune.js';
import { layerFiles, type ListedEntry } from './store.js';

/** A group of `layers/<key>.*` files without an entry of that key. */
export interface UnnamedLayer {
  readonly key: string;
  readonly files: readonly string[];
  readonly bytes: number;
  /** The newest modification time among its files. */
  readonly lastUsed: Date;
}

/** The unnamed layer groups of the cache at `dir`, given its entries. */
export function listUnnamedLayers(dir: string, entries: readonly ListedEntry[]): UnnamedLayer[] {
  const named = new Set(entries.map((e) => e.entry.key));
  return [...layerFiles(dir)]
    .filter(([key]) => !named.has(key))
    .map(([key, files]) => ({ key, files: files.map((f) => f.path), bytes: files.reduce((n, f) => n + f.bytes, 0), lastUsed: new Date(Math.max(...files.map((f) => f.mtimeMs))) }));
}

/**
 * Which unnamed layers go, once `removed` entries go and `kept` stay; `overBy`: bytes the
 * cache is still over `-max-size` after the entries (0 when under or no cap).
 */
export function planUnnamed(
  layers: readonly UnnamedLayer[],
  kept: readonly ListedEntry[],
  removed: readonly ListedEntry[],
  leased: ReadonlySet<string>,
  policy: PrunePolicy,
  overBy: number,
): UnnamedLayer[] {
  const needed = new Set([...leased, ...kept.map((e) => e.entry.parent)]);
  const orphaned = new Set(removed.map((e) => e.entry.parent));
  const now = (policy.now ?? new Date()).getTime();
  const go: UnnamedLayer[] = [];
  let over = overBy;
  for (const l of [...layers].sort((a, b) => a.lastUsed.getTime() - b.lastUsed.getTime())) {
    if (needed.has(l.key)) continue;
    const old = policy.olderThanMs !== undefined && now - l.lastUsed.getTime() > policy.olderThanMs;
    if (policy.all === true || old || orphaned.has(l.key) || over > 0) {
      go.push(l);
      over -= l.bytes;
    }
  }
  return go;
}

/** Removes `layer`'s files unless a running build leased its key meanwhile; a problem line, or undefined. */
export function removeUnnamed(layer: UnnamedLayer, leased: ReadonlySet<string>): string | undefined {
  if (leased.has(layer.key)) return `${layer.key.slice(0, 12)}: a build started using it; left`;
  for (const f of layer.files) rmSync(f, { force: true });
  return undefined;
}
