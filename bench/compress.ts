/**
 * `compress`: a 1 GiB disk-image-like file to `.gz` at the default level. `kiln build`
 * against Debian's packer 1.6.6 (`apt-get install packer`) `build` of the same JSON
 * template: the null builder, `artifice` pointing at the file and `compress`
 * (keep_input_artifact, so the file survives). Interleaved rounds; wall and CPU time
 * (user + system, the process and its children) of each; both outputs checked with
 * `gzip -t` and their sizes compared. Target: median wall ratio kiln/packer ≤ 1.0 with
 * kiln's output at most 5% larger than packer's. KILN_BASE_BIN=<other checkout>/bin/kiln
 * adds that kiln to the rounds (before/after figures from one run);
 * BENCH_COMPRESS_FILE=<file> compresses that file instead (real data);
 * BENCH_COMPRESS_FORMAT=tar.gz or zip writes that archive of the file instead of a .gz
 * (checked with gzip -t or unzip -t). Each tool's
 * parallelism (CPU / wall: 2.0 keeps both cores of the development machine busy) is
 * printed too. BENCH_RT=1 runs every timed command under `chrt -r 10` (root only):
 * real-time priority gives the runs the cores ahead of everything else on a shared
 * machine (the kernel still leaves other processes 5%), a stand-in for a quiet one;
 * BENCH_HI=1 is the stand-in that keeps the ordinary scheduler (see RT below).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchFile } from './compress-data.js';
import type { Command, Sample } from './timing.js';
import { describeTimes, loadLine, median, ratio, sampleOnce } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env['BENCH_RUNS'] ?? 5);
const PACKER = process.env['PACKER_BIN'] ?? 'packer';
/**
 * BENCH_RT=1: real-time priority. BENCH_HI=1: each run in a session of its own (so its
 * own autogroup) at nice -20, the autogroup too: the ordinary (CFS) scheduler, with its
 * wake-up placement and load balancing, but the runs ahead of other sessions' work. RT
 * balances threads across CPUs differently (push/pull) and hid compress's idle core.
 */
const RT = process.env['BENCH_RT'] === '1' ? ['chrt', '-r', '10'] : process.env['BENCH_HI'] === '1' ? ['setsid', '-w', 'bash', '-c', 'echo -20 > /proc/$$/autogroup && exec nice -n -20 "$@"', 'hi'] : [];

export function benchCompress(): void {
  const dir = path.join(tmpdir(), 'kiln-bench');
  mkdirSync(dir, { recursive: true });
  // BENCH_COMPRESS_FILE: another input (real data) instead of the generated 1 GiB.
  const file = process.env['BENCH_COMPRESS_FILE'] ?? path.join(dir, 'artifact-1g.img');
  if (!process.env['BENCH_COMPRESS_FILE']) ensureBenchFile(file, 1 << 30);
  const env = { PACKER_NO_COLOR: '1', CHECKPOINT_DISABLE: '1' };
  const format = process.env['BENCH_COMPRESS_FORMAT'] ?? 'gz';
  if (!['gz', 'tar.gz', 'zip'].includes(format)) throw new Error(`BENCH_COMPRESS_FORMAT: gz, tar.gz or zip, not ${format}`);
  const command = (tool: string, argv0: string): { cmd: Command; out: string } => {
    const out = path.join(dir, `${tool}.${format}`);
    const template = path.join(dir, `compress-${tool}.json`);
    const pp = [{ type: 'artifice', files: [file] }, { type: 'compress', output: out, keep_input_artifact: true }];
    writeFileSync(template, JSON.stringify({ builders: [{ type: 'null', communicator: 'none' }], 'post-processors': [pp] }));
    return { cmd: { label: `${tool} build`, argv: [...RT, argv0, 'build', '-color=false', template], cwd: dir, env }, out };
  };
  const kiln = command('kiln', path.join(root, 'bin', 'kiln'));
  const packer = command('packer', PACKER);
  const base = process.env['KILN_BASE_BIN'];
  const tools = new Map([['kiln', kiln], ['packer', packer], ...(base ? [['kiln-base', command('kiln-base', base)] as const] : [])]);
  const samples = new Map([...tools.keys()].map((t) => [t, [] as Sample[]]));
  for (const t of tools.values()) sampleOnce(t.cmd);
  console.log(`format: ${format}`);
  console.log(`before: ${loadLine()}${RT[0] === 'chrt' ? ' (runs at real-time priority: BENCH_RT=1)' : RT.length > 0 ? ' (runs in their own autogroup at nice -20: BENCH_HI=1)' : ''}`);
  for (let i = 0; i < runs; i++) for (const [name, t] of tools) samples.get(name)?.push(sampleOnce(t.cmd));
  console.log(`after: ${loadLine()}`);
  const packerSize = statSync(packer.out).size;
  for (const [name, t] of tools) {
    if (format === 'zip') execFileSync('unzip', ['-tq', t.out]);
    else execFileSync('gzip', ['-t', t.out]);
    const size = statSync(t.out).size;
    console.log(`size: ${name} ${size} bytes (/packer ${(size / packerSize).toFixed(3)}, limit 1.05; input ${statSync(file).size})`);
  }
  for (const [name, xs] of samples) {
    console.log(describeTimes(`${name} build wall`, xs.map((s) => s.wall)));
    console.log(describeTimes(`${name} build cpu`, xs.map((s) => s.cpu)));
    const used = xs.map((s) => s.cpu / s.wall);
    console.log(`${name} parallelism (cpu/wall): median ${median(used).toFixed(2)} (min ${Math.min(...used).toFixed(2)}, max ${Math.max(...used).toFixed(2)})`);
  }
  const packerSamples = samples.get('packer') ?? [];
  for (const [name, xs] of samples) {
    if (name === 'packer') continue;
    for (const what of ['wall', 'cpu'] as const) {
      const r = ratio(
        xs.map((s) => s[what]),
        packerSamples.map((s) => s[what]),
      );
      console.log(`compress ${what} ratio ${name}/packer: median ${r.median.toFixed(2)} (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)}, n=${runs})${what === 'wall' && name === 'kiln' ? ' — target ≤ 1.0' : ''}`);
    }
  }
}
