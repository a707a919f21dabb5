/**
 * The ledger's overhead on a build: what every `kiln build` adds (the run's ledger, its
 * private TMPDIR recorded, made, removed; the file closed and removed: 4 fsynced records
 * and a folder fsync), and what a docker build adds on top (its temp folder and container
 * recorded: 4 more records), timed in process, 50 runs each, against the same folder work
 * without a ledger (mkdtemp + rm). The 50 null builds of bench build-null each pay the
 * first figure once per `kiln build` (not per source).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openRunLedger } from '../src/sdk/ledger/ledger.js';
import { makeRecordedTempDir } from '../src/sdk/ledger/temp-dir.js';
import { loadLine, median } from './timing.js';

const RUNS = 50;

async function timeMs(f: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  return times;
}

export async function benchLedger(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'kiln-bench-ledger-'));
  const ledgers = path.join(root, 'state', 'runs');
  try {
    const without = await timeMs(async () => rm(await mkdtemp(path.join(root, 'kiln-run-')), { recursive: true }));
    const run = await timeMs(async () => {
      const ledger = openRunLedger(ledgers);
      const dir = await makeRecordedTempDir(ledger, root, 'kiln-run-');
      await dir.remove();
      ledger.close();
    });
    const docker = await timeMs(async () => {
      const ledger = openRunLedger(ledgers);
      const dir = await makeRecordedTempDir(ledger, root, 'kiln-run-');
      const build = ledger.scope();
      const tmp = await makeRecordedTempDir(build, dir.path, 'kiln-docker-');
      const container = build.intent({ kind: 'container', name: `kiln-${ledger.runId}-0` });
      container.identify('0'.repeat(64));
      container.done();
      await tmp.remove();
      await dir.remove();
      ledger.close();
    });
    const fmt = (xs: number[]): string => `${median(xs).toFixed(2)} ms (min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)})`;
    console.log(`load: ${loadLine()}`);
    console.log(`temp folder without a ledger (mkdtemp + rm):     ${fmt(without)}`);
    console.log(`kiln build's ledger + private TMPDIR:            ${fmt(run)}`);
    console.log(`the same + a docker build's temp dir, container: ${fmt(docker)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
