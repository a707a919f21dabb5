/**
 * The ledger's overhead on whole builds, through bin/kiln: the same build with the
 * ledger (the default: ledger file with fsynced records, the start-of-build leftover
 * count, a recorded private TMPDIR) and without it (KILN_NO_LEDGER=1, a switch for this
 * bench only), interleaved round by round. Two builds: the build-null bench's 50 null
 * sources (2 shell-local + manifest each) and the docker bench's template (busybox,
 * shell + file provisioners, commit, docker-tag, docker-push to a local registry).
 * Prints each side's median (min–max) of wall time and of CPU time (kiln and its
 * children: less sensitive to a loaded host than wall time), and the per-round ratios.
 * BENCH_RUNS sets the rounds (default 10 null, 5 docker).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBusyboxImage, startDockerEngine } from '../test/support/docker.js';
import { startRegistry } from '../test/support/registry.js';
import { nullBuildTemplate } from './build-null.js';
import { dockerBenchTemplate } from './docker.js';
import { describeTimes, loadLine, median, ratio, sampleOnce, type Command, type Sample } from './timing.js';

const KILN = process.env['KILN_BIN'] ?? path.join(import.meta.dirname, '..', 'bin', 'kiln');
const rounds = (fallback: number): number => Math.max(3, Number(process.env['BENCH_RUNS'] ?? fallback));

/** Wall and CPU times (kiln and the children it waited for) of both sides, interleaved after a warm-up round. */
function compare(what: string, dir: string, runs: number): void {
  const env = { XDG_STATE_HOME: path.join(dir, 'state'), PACKER_NO_COLOR: '1' };
  const sides: readonly Command[] = [
    { label: 'with ledger', argv: [KILN, 'build', '.'], cwd: dir, env },
    { label: 'KILN_NO_LEDGER=1', argv: [KILN, 'build', '.'], cwd: dir, env: { ...env, KILN_NO_LEDGER: '1' } },
  ];
  for (const c of sides) sampleOnce(c);
  const samples: Sample[][] = [[], []];
  for (let i = 0; i < runs; i++) sides.forEach((c, j) => samples[j]?.push(sampleOnce(c)));
  const [w = [], wo = []] = samples;
  console.log(`${what}; ${runs} rounds; ${loadLine()}`);
  for (const [kind, pick] of [['wall', (s: Sample) => s.wall], ['cpu', (s: Sample) => s.cpu]] as const) {
    const a = w.map(pick);
    const b = wo.map(pick);
    const r = ratio(a, b);
    console.log(`  ${kind}: ${describeTimes('with ledger', a)}; ${describeTimes('KILN_NO_LEDGER=1', b)}`);
    console.log(`  ${kind} with/without: median ${r.median.toFixed(3)} (min ${r.min.toFixed(3)}, max ${r.max.toFixed(3)}); difference of medians ${(median(a) - median(b)).toFixed(1)} ms`);
  }
}

export async function benchLedgerBuilds(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-ledger-builds-'));
  try {
    const nullDir = path.join(root, 'null');
    mkdirSync(nullDir);
    writeFileSync(path.join(nullDir, 'build.pkr.hcl'), nullBuildTemplate(50));
    compare('50 null sources × (2 shell-local + manifest)', nullDir, rounds(10));

    const engine = await startDockerEngine();
    const registry = await startRegistry();
    const saved = process.env['DOCKER_HOST'];
    try {
      const image = await ensureBusyboxImage(engine);
      process.env['DOCKER_HOST'] = engine.host;
      const dockerDir = path.join(root, 'docker');
      mkdirSync(dockerDir);
      writeFileSync(path.join(dockerDir, 'build.pkr.hcl'), dockerBenchTemplate(image, `${registry.address}/bench/ledger`));
      writeFileSync(path.join(dockerDir, 'payload.txt'), 'x'.repeat(64 * 1024));
      compare('docker bench template (commit, tag, push)', dockerDir, rounds(5));
    } finally {
      if (saved === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = saved;
      await registry.stop();
      await engine.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
