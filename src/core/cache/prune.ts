/**
 * Choosing what `kiln cache prune` removes. Entries go least recently used first while
 * the cache is over its size cap, or when unused for longer than an age; an entry that
 * goes takes its descendants with it (a qemu layer backs its children; a docker step
 * image is worthless without its parent's entry). An entry a running build leases, or an
 * ancestor of one, never goes. Removal is entry first (so no build trusts a half-removed
 * step), then its snapshot data.
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { SnapshotRef } from '../../sdk/component.js';
import { pidAlive } from '../../sdk/ledger/process-identity.js';
import type { CacheEntry } from './entry.js';
import { leasedKeys } from './locks.js';
import { planUnnamed, removeUnnamed, type UnnamedLayer } from './prune-layers.js';
import { safeReaddir, type ListedEntry, type StepStore } from './store.js';

export interface PrunePolicy {
  /** Remove everything not leased. */
  readonly all?: boolean;
  /** Keep the total size (snapshots, their companions, unnamed layers) at or under this many bytes. */
  readonly maxBytes?: number;
  /** Remove entries not used for this many milliseconds. */
  readonly olderThanMs?: number;
  readonly now?: Date;
}

export interface PrunePlan {
  readonly remove: readonly ListedEntry[];
  /** Files of `layers/` no entry names that go too (qemu base layers; prune-layers.ts). */
  readonly layers: readonly UnnamedLayer[];
  /** Entries the policy chose but a running build uses. */
  readonly leased: readonly ListedEntry[];
  readonly totalBytes: number;
  readonly freedBytes: number;
}

/** The size an entry accounts for: its snapshot's (else its file's), and its companions' (a RAM state, a capture). */
export function entryBytes(e: ListedEntry): number {
  return (e.entry.snapshot.size ?? e.bytes) + e.companionBytes;
}

/** What `policy` removes from `entries` and `unnamed` (`listUnnamedLayers`), given the keys running builds lease. */
export function planPrune(entries: readonly ListedEntry[], leased: ReadonlySet<string>, policy: PrunePolicy, unnamed: readonly UnnamedLayer[] = []): PrunePlan {
  const byKey = new Map(entries.map((e) => [e.entry.key, e]));
  const children = new Map<string, ListedEntry[]>();
  for (const e of entries) children.set(e.entry.parent, [...(children.get(e.entry.parent) ?? []), e]);
  // Leased keys and their ancestors stay.
  const keep = new Set<string>();
  for (const k of leased) {
    for (let at: CacheEntry | undefined = byKey.get(k)?.entry; at && !keep.has(at.key); at = byKey.get(at.parent)?.entry) keep.add(at.key);
  }
  const chosen = new Set<string>();
  const blocked = new Set<string>();
  const take = (e: ListedEntry): void => {
    const stack = [e];
    while (stack.length > 0) {
      const x = stack.pop() as ListedEntry;
      if (chosen.has(x.entry.key)) continue;
      if (keep.has(x.entry.key)) {
        blocked.add(x.entry.key);
        continue;
      }
      chosen.add(x.entry.key);
      stack.push(...(children.get(x.entry.key) ?? []));
    }
  };
  const now = (policy.now ?? new Date()).getTime();
  const lru = [...entries].sort((a, b) => a.lastUsed.getTime() - b.lastUsed.getTime());
  for (const e of lru) {
    if (policy.all || (policy.olderThanMs !== undefined && now - e.lastUsed.getTime() > policy.olderThanMs)) take(e);
  }
  const unnamedBytes = unnamed.reduce((n, l) => n + l.bytes, 0);
  const totalBytes = entries.reduce((n, e) => n + entryBytes(e), 0) + unnamedBytes;
  const size = (): number => entries.filter((e) => !chosen.has(e.entry.key)).reduce((n, e) => n + entryBytes(e), 0) + unnamedBytes;
  if (policy.maxBytes !== undefined) {
    for (const e of lru) {
      if (size() <= policy.maxBytes) break;
      take(e);
    }
  }
  const remove = lru.filter((e) => chosen.has(e.entry.key));
  // Children before parents: a qemu layer is never left without its backing file.
  remove.sort((a, b) => b.entry.index - a.entry.index);
  const overBy = policy.maxBytes === undefined ? 0 : size() - policy.maxBytes;
  const layers = planUnnamed(unnamed, entries.filter((e) => !chosen.has(e.entry.key)), remove, leased, policy, overBy);
  const freedBytes = remove.reduce((n, e) => n + entryBytes(e), 0) + layers.reduce((n, l) => n + l.bytes, 0);
  return { remove, layers, leased: entries.filter((e) => blocked.has(e.entry.key)), totalBytes, freedBytes };
}

/**
 * Removes a snapshot's data outside the cache folder (a docker image) for the entry of
 * `key`; the folder's own files go by key. Resolves with a problem, or undefined.
 */
export type SnapshotRemover = (ref: SnapshotRef, key: string) => Promise<string | undefined>;

/**
 * Carries out `plan` in `store`: per entry, re-checks it is not leased now, removes the
 * entry, then its files in `layers/` named by its key, then `removeSnapshot`'s part.
 * Resolves with the problems met (one line each).
 */
export async function applyPrune(store: StepStore, plan: PrunePlan, removeSnapshot: SnapshotRemover): Promise<string[]> {
  const problems: string[] = [];
  const layers = path.join(store.dir, 'layers');
  for (const e of plan.remove) {
    if (leasedKeys(store.dir).has(e.entry.key)) {
      problems.push(`${e.entry.key.slice(0, 12)}: a build started using it; left`);
      continue;
    }
    store.remove(e.entry.key);
    for (const name of safeReaddir(layers)) if (name.startsWith(`${e.entry.key}.`)) rmSync(path.join(layers, name), { force: true });
    const problem = await removeSnapshot(e.entry.snapshot, e.entry.key);
    if (problem !== undefined) problems.push(`${e.entry.key.slice(0, 12)}: ${problem}`);
  }
  for (const l of plan.layers) {
    const problem = removeUnnamed(l, leasedKeys(store.dir));
    if (problem !== undefined) problems.push(problem);
  }
  sweepTemps(store.dir);
  return problems;
}

/** Removes temp files a killed writer left (`entries/*\/.*.tmp`, `locks/.*.tmp`). */
function sweepTemps(dir: string): void {
  const folders = [path.join(dir, 'locks'), ...safeReaddir(path.join(dir, 'entries')).map((s) => path.join(dir, 'entries', s))];
  for (const f of folders) {
    let names: string[];
    try {
      names = readdirSync(f);
    } catch {
      continue;
    }
    for (const n of names) {
      const m = /^\.[0-9a-f]{64}\.(\d+)\.[0-9a-f]+\.tmp$/.exec(n);
      if (m && !pidAlive(Number(m[1]))) rmSync(path.join(f, n), { force: true });
    }
  }
}

/** Parses `10GiB`, `500MB`, `2g`, `1048576` into bytes; undefined when it is none of these. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?)b?\s*$/i.exec(text);
  if (!m) return undefined;
  const power = ' kmgt'.indexOf((m[2] ?? '').toLowerCase() || ' ');
  const base = m[3] !== '' || (m[2] ?? '') !== '' ? 1024 : 1;
  return Math.round(Number(m[1]) * base ** power);
}

/** Parses `7d`, `12h`, `30m`, `45s` (combinable: `1d12h`) into milliseconds. */
export function parseAge(text: string): number | undefined {
  if (!/^(\d+[dhms])+$/.test(text)) return undefined;
  const unit: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };
  let ms = 0;
  for (const [, n, u] of text.matchAll(/(\d+)([dhms])/g)) ms += Number(n) * (unit[u as string] ?? 0);
  return ms;
}
