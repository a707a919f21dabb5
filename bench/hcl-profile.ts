/**
 * A quick harness for profiling kiln's HCL library on the 5 MB validate workload
 * (`bench/hcl-validate.ts` builds the file): scan, parse, and parse+evaluate, each the
 * best of N runs, as CPU time (user+system of this process, GC threads included) and
 * wall time. CPU time is steadier than wall time on a loaded host; compare builds by
 * alternating runs. Not registered in `bench/run.ts`: it has no target, it is a tool.
 *
 * Run: `N=5 node --import tsx bench/hcl-profile.ts [parse]` (with `--cpu-prof` or
 * `--trace-gc` before `--import` to see where the time goes). HCL_PROFILE_FILE reuses
 * a generated file across runs.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseNativeFile } from '../src/hcl/syntax/body-file.js';
import { lexConfig } from '../src/hcl/syntax/lex.js';
import { generateFile, libraryValidate } from './hcl-validate.js';

const file = process.env['HCL_PROFILE_FILE'] ?? path.join(mkdtempSync(path.join(tmpdir(), 'kiln-hcl-profile-')), 'big.pkr.hcl');
if (!existsSync(file)) generateFile(file);
const src = readFileSync(file, 'utf8');
const mb = Buffer.byteLength(src) / 1e6;
const withEvaluation = process.argv[2] !== 'parse';
const runs = Number(process.env['N'] ?? 3);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Best CPU and wall milliseconds of `f` over the runs. */
function best(f: () => unknown): { cpu: number; wall: number } {
  let cpu = Infinity;
  let wall = Infinity;
  for (let i = 0; i < runs; i++) {
    const c = cpuMs();
    const t = performance.now();
    f();
    wall = Math.min(wall, performance.now() - t);
    cpu = Math.min(cpu, cpuMs() - c);
  }
  return { cpu, wall };
}

function show(label: string, r: { cpu: number; wall: number }): string {
  return `${label} cpu ${r.cpu.toFixed(0)} ms (${((mb / r.cpu) * 1000).toFixed(1)} MB/s), wall ${r.wall.toFixed(0)} ms (${((mb / r.wall) * 1000).toFixed(1)} MB/s)`;
}

console.log(`${file}: ${mb.toFixed(2)} MB, best of ${runs}`);
console.log(show('scan', best(() => lexConfig(src, file))));
console.log(show('parse', best(() => parseNativeFile(src, file))));
if (withEvaluation) console.log(show('parse+evaluate', best(() => libraryValidate(src, file))));
