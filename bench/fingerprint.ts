/**
 * Keying a folder input (an Ansible roles tree, an uploaded site): the tree digest of
 * 5,000 files / ~150 MB, in process, cold (no stat cache), warm in process (the stat
 * cache in memory), and warm from a new stat cache instance loaded from its file (a
 * later `kiln build -cache`). The reference's target: ≤ 50 ms warm for 5k files on an
 * idle machine. Files are made older than the stat cache's 2 s racy window first.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { digestPath } from '../src/core/fingerprint/files.js';
import { statCache } from '../src/core/fingerprint/stat-cache.js';
import { loadLine, median } from './timing.js';

const ROUNDS = Number(process.env['BENCH_RUNS'] ?? 5);

async function timeMs(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

export async function benchFingerprint(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'kiln-bench-fp-'));
  try {
    const tree = path.join(root, 'tree');
    const past = new Date(Date.now() - 60_000);
    for (let d = 0; d < 50; d++) {
      mkdirSync(path.join(tree, `d${d}`), { recursive: true });
      for (let f = 0; f < 100; f++) {
        const file = path.join(tree, `d${d}`, `f${f}`);
        writeFileSync(file, randomBytes(((d * 100 + f) * 7919) % 60_000 + 100));
        utimesSync(file, past, past);
      }
    }
    // ctime cannot be set back: wait out the racy window once.
    await new Promise((r) => setTimeout(r, 2100));
    const file = path.join(root, 'stat-cache.json');
    const cold: number[] = [];
    const warm: number[] = [];
    const loaded: number[] = [];
    const mem = statCache(file);
    await digestPath(tree, mem);
    mem.save();
    for (let i = 0; i < ROUNDS; i++) {
      cold.push(await timeMs(() => digestPath(tree)));
      warm.push(await timeMs(() => digestPath(tree, mem)));
      loaded.push(await timeMs(() => digestPath(tree, statCache(file, { readOnly: true }))));
    }
    const fmt = (xs: number[]): string => `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
    console.log(`tree of 5,000 files: cold ${fmt(cold)}; warm ${fmt(warm)}; new process's stat cache ${fmt(loaded)}; ${ROUNDS} rounds, ${loadLine()}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
