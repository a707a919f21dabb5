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
 *
 * `small` parses runner-images' Ubuntu templates (9 files, 70 KB: the small validate
 * case, whose cost is cold code) 15 times and prints the first pass and the median of
 * the others. Run it with V8's optimizing tiers off to count what the interpreter does,
 * a figure that stays put on a loaded host where a cold run's CPU time does not:
 * `node --no-opt --no-sparkplug --single-threaded --import tsx bench/hcl-profile.ts small`.
 *
 * `heap` parses the 5 MB file once and prints the heap the tree holds after a full GC
 * (the heap in use with the tree alive minus the heap before parsing) and the parse's
 * CPU time: `node --expose-gc --import tsx bench/hcl-profile.ts heap` (add `--trace-gc`
 * to see each collection the parse caused).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseNativeFile } from '../src/hcl/syntax/body-file.js';
import { lexConfig } from '../src/hcl/syntax/lex.js';
import { sharedPath } from '../test/support/shared.js';
import { generateFile, libraryValidate } from './hcl-validate.js';

if (process.argv[2] === 'small') {
  smallFiles();
  process.exit(0);
}

/** The `small` mode: parse the 9 runner-images files, 15 passes; CPU ms of the first and median of the rest. */
function smallFiles(): void {
  const dir = sharedPath('corpus', 'templates', 'runner-images-ubuntu', 'images', 'ubuntu', 'templates');
  const texts = readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f), 'utf8')] as const);
  const passes: number[] = [];
  for (let pass = 0; pass < 15; pass++) {
    const c = cpuMs();
    for (const [f, t] of texts) parseNativeFile(t, f);
    passes.push(cpuMs() - c);
  }
  const rest = passes.slice(1).sort((a, b) => a - b);
  console.log(`${dir}: ${texts.length} files, parse CPU first pass ${passes[0]?.toFixed(1)} ms, then median ${rest[rest.length >> 1]?.toFixed(1)} ms (min ${rest[0]?.toFixed(1)}) over 14 passes`);
}

/** The `heap` mode: MB the parsed tree of the 5 MB file holds after a full GC, and the parse's CPU ms. */
function retainedHeap(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('heap mode needs node --expose-gc');
  const src = readFileSync(file, 'utf8');
  gc();
  const before = process.memoryUsage().heapUsed;
  const c = cpuMs();
  const t = performance.now();
  const parsed = parseNativeFile(src, file);
  const wall = performance.now() - t;
  const cpu = cpuMs() - c;
  gc();
  const held = process.memoryUsage().heapUsed - before;
  console.log(`${file}: tree holds ${(held / 1e6).toFixed(1)} MB after a full GC; parse cpu ${cpu.toFixed(0)} ms, wall ${wall.toFixed(0)} ms (${parsed.diagnostics.length} diagnostics)`);
}

const file = process.env['HCL_PROFILE_FILE'] ?? path.join(mkdtempSync(path.join(tmpdir(), 'kiln-hcl-profile-')), 'big.pkr.hcl');
if (!existsSync(file)) generateFile(file);
if (process.argv[2] === 'heap') {
  retainedHeap();
  process.exit(0);
}
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
