/**
 * `checksum`: sha256 of a 1 GiB file, kiln's checksum post-processor against
 * `openssl dgst -sha256`, interleaved. kiln is timed two ways: the post-processor run
 * in a process of its own (bench/compress-run.ts, Node and tsx start-up included) and
 * its hashing call in this process. Digests are compared with sha256sum's.
 * Target: median ratio kiln/openssl ≤ 1.2.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashFile } from '../src/plugins/post-processors/checksum/index.js';
import { ensureBenchFile } from './compress-data.js';
import type { Command } from './timing.js';
import { describeTimes, ratio, timeOnce } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env['BENCH_RUNS'] ?? 5);

export async function benchChecksum(): Promise<void> {
  const dir = path.join(tmpdir(), 'kiln-bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'artifact-1g.img');
  ensureBenchFile(file, 1 << 30);
  const out = path.join(dir, 'kiln.sha256');
  const kiln: Command = { label: 'kiln (process)', argv: [process.execPath, '--import', 'tsx', path.join(root, 'bench', 'compress-run.ts'), 'checksum', file, out, 'sha256'], cwd: root };
  const openssl: Command = { label: 'openssl dgst -sha256', argv: ['openssl', 'dgst', '-sha256', file] };
  const inProcess = async (): Promise<number> => {
    const start = process.hrtime.bigint();
    const r = await hashFile(file, ['sha256']);
    if (r.kind === 'error') throw r.error;
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  const times = { process: [] as number[], call: [] as number[], openssl: [] as number[] };
  timeOnce(kiln);
  timeOnce(openssl);
  await inProcess();
  for (let i = 0; i < runs; i++) {
    rmSync(out, { force: true });
    times.process.push(timeOnce(kiln));
    times.call.push(await inProcess());
    times.openssl.push(timeOnce(openssl));
  }
  const expected = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
  const got = readFileSync(out, 'utf8').split('\t')[0];
  if (got !== expected) throw new Error(`checksum: kiln wrote ${got}, sha256sum says ${expected}`);
  console.log(describeTimes(kiln.label, times.process));
  console.log(describeTimes('kiln (in-process hashFile)', times.call));
  console.log(describeTimes(openssl.label, times.openssl));
  for (const [label, xs] of [
    ['process', times.process],
    ['in-process', times.call],
  ] as const) {
    const r = ratio(xs, times.openssl);
    console.log(`ratio kiln ${label}/openssl: median ${r.median.toFixed(2)} (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)}) — target ≤ 1.2`);
  }
}
