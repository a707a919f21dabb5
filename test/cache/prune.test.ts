/** `kiln cache prune`'s choice and removal over a real store folder (entries written by the store itself). */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CacheEntry } from '../../src/core/cache/entry.js';
import { openLease } from '../../src/core/cache/locks.js';
import { listUnnamedLayers } from '../../src/core/cache/prune-layers.js';
import { applyPrune, entryBytes, parseAge, parseSize, planPrune } from '../../src/core/cache/prune.js';
import { StepStore } from '../../src/core/cache/store.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'kiln-cache-prune-'));
after(() => rmSync(root, { recursive: true, force: true }));

const k = (c: string) => c.repeat(64);

/** A chain base → a → b → c plus a branch a → d; sizes 100 each; `d` used last, `a` first. */
function fill(dir: string): StepStore {
  const store = new StepStore(dir);
  const chain: [string, string, number][] = [
    ['a', '0', 1],
    ['b', 'a', 2],
    ['c', 'b', 3],
    ['d', 'a', 2],
  ];
  mkdirSync(path.join(dir, 'layers'), { recursive: true });
  chain.forEach(([key, parent, index], i) => {
    const entry: CacheEntry = { v: 1, key: k(key), parent: k(parent), build: 'b', index, component: 'shell', inputs: [], snapshot: { builderType: 'qemu', id: `${k(key)}.qcow2`, size: 100 }, created: new Date(0).toISOString() };
    assert.equal(store.publish(entry), 'published');
    writeFileSync(path.join(dir, 'layers', `${k(key)}.qcow2`), 'layer');
    const t = new Date(Date.UTC(2026, 0, 1 + i));
    utimesSync(store.entryFile(k(key)), t, t);
  });
  return store;
}

describe('cache prune', () => {
  it('under a size cap removes least recently used first, each with its descendants', async () => {
    const dir = path.join(root, 'cap');
    const store = fill(dir);
    const plan = planPrune(store.list().entries, new Set(), { maxBytes: 250 });
    // `a` is oldest: it goes, and b, c, d (its descendants) with it.
    assert.deepEqual(plan.remove.map((e) => e.entry.key[0]).sort(), ['a', 'b', 'c', 'd']);
    assert.deepEqual(await applyPrune(store, plan, async () => undefined), []);
    assert.equal(store.list().entries.length, 0);
    assert.equal(existsSync(path.join(dir, 'layers', `${k('c')}.qcow2`)), false);
  });

  it('never removes an entry a running build leases, nor its ancestors', () => {
    const dir = path.join(root, 'lease');
    const store = fill(dir);
    const lease = openLease(dir, [k('c')]);
    try {
      const plan = planPrune(store.list().entries, new Set([k('c')]), { all: true });
      assert.deepEqual(plan.remove.map((e) => e.entry.key[0]), ['d']);
      assert.deepEqual(plan.leased.map((e) => e.entry.key[0]).sort(), ['a', 'b', 'c']);
    } finally {
      lease.release();
    }
  });

  it('by age removes what was not used for longer', () => {
    const store = fill(path.join(root, 'age'));
    const plan = planPrune(store.list().entries, new Set(), { olderThanMs: 2.5 * 86_400_000, now: new Date(Date.UTC(2026, 0, 5)) });
    // b (Jan 2) and a (Jan 1) are older than 2.5 days; c goes with b, d with a.
    assert.deepEqual(plan.remove.map((e) => e.entry.key[0]).sort(), ['a', 'b', 'c', 'd']);
    const none = planPrune(store.list().entries, new Set(), { olderThanMs: 30 * 86_400_000, now: new Date(Date.UTC(2026, 0, 5)) });
    assert.equal(none.remove.length, 0);
  });

  it('accounts and removes layers no entry names (a qemu base layer), never one a build leases or an entry needs', async () => {
    const dir = path.join(root, 'base');
    const store = fill(dir);
    const layers = path.join(dir, 'layers');
    const old = new Date(Date.UTC(2025, 11, 1));
    writeFileSync(path.join(layers, `${k('0')}.qcow2`), 'x'.repeat(300)); // the base of a, b, c, d
    writeFileSync(path.join(layers, `${k('e')}.qcow2`), 'x'.repeat(50)); // a base no entry uses
    writeFileSync(path.join(layers, `${k('f')}.qcow2`), 'x'.repeat(70)); // a base a running build leases
    for (const c of ['0', 'e', 'f']) utimesSync(path.join(layers, `${k(c)}.qcow2`), old, old);
    const entries = store.list().entries;
    const unnamed = listUnnamedLayers(dir, entries);
    assert.deepEqual(unnamed.map((l) => l.key[0]).sort(), ['0', 'e', 'f']);
    // By age (10 days on Jan 5): no entry goes, so the base stays (a needs it), though as old as e, which goes.
    const aged = planPrune(entries, new Set([k('f')]), { olderThanMs: 10 * 86_400_000, now: new Date(Date.UTC(2026, 0, 5)) }, unnamed);
    assert.deepEqual([aged.remove.length, aged.layers.map((l) => l.key[0])], [0, ['e']]);
    assert.equal(aged.totalBytes, 400 + 300 + 50 + 70);
    // -all: every entry, so the base too; f stays (leased).
    const all = planPrune(entries, new Set([k('f')]), { all: true }, unnamed);
    assert.deepEqual(all.layers.map((l) => l.key[0]).sort(), ['0', 'e']);
    assert.equal(all.freedBytes, 400 + 300 + 50);
    assert.deepEqual(await applyPrune(store, all, async () => undefined), []);
    assert.deepEqual(readdirSync(layers), [`${k('f')}.qcow2`]);
  });

  it("counts a step's RAM state and capture (layers/<key>.* beside its snapshot) towards its size and -max-size, and removes them with it", async () => {
    const dir = path.join(root, 'companions');
    const store = fill(dir);
    const layers = path.join(dir, 'layers');
    writeFileSync(path.join(layers, `${k('c')}.vmstate.zst`), 'r'.repeat(300));
    writeFileSync(path.join(layers, `${k('c')}.capture.qcow2`), 'c'.repeat(200));
    const entries = store.list().entries;
    assert.deepEqual(entries.map((e) => [e.entry.key[0], entryBytes(e)]).sort(), [['a', 100], ['b', 100], ['c', 600], ['d', 100]]);
    assert.deepEqual(listUnnamedLayers(dir, entries), [], "an entry's companions are not unnamed layers");
    // 900 bytes in all: a 450-byte cap is exceeded (the snapshots alone, 400, are under it).
    const plan = planPrune(entries, new Set(), { maxBytes: 450 });
    assert.equal(plan.totalBytes, 900);
    assert.deepEqual(plan.remove.map((e) => e.entry.key[0]).sort(), ['a', 'b', 'c', 'd']);
    assert.equal(plan.freedBytes, 900);
    assert.deepEqual(await applyPrune(store, plan, async () => undefined), []);
    assert.deepEqual(readdirSync(layers), []);
    assert.equal(planPrune(fill(path.join(root, 'companions-under')).list().entries, new Set(), { maxBytes: 450 }).remove.length, 0);
  });

  it('parses sizes and ages', () => {
    assert.equal(parseSize('10GiB'), 10 * 1024 ** 3);
    assert.equal(parseSize('500MB'), 500 * 1024 ** 2);
    assert.equal(parseSize('4096'), 4096);
    assert.equal(parseSize('ten'), undefined);
    assert.equal(parseAge('1d12h'), 36 * 3_600_000);
    assert.equal(parseAge('7x'), undefined);
  });
});
