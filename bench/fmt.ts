/**
 * `fmt -check`: kiln against Debian's packer 1.6.6 (`apt-get install packer`) on the
 * same files, interleaved, in two workloads:
 * - corpus: the 72 corpus files. Packer 1.6.6's fmt takes one path and has no
 *   -recursive, so it runs once per leaf folder and its times are summed; kiln runs
 *   once with -recursive (and, for reference, once per folder like Packer).
 * - 5 MB: one generated file of corpus blocks (the `.pkr.hcl` files repeated: blocks
 *   may repeat, top-level attributes may not, so var files are left out).
 * Exit codes are checked: 3 where a file differs from fmt-expected, else 0.
 * Target: median ratio kiln/packer ≤ 1.0.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '../test/support/shared.js';
import type { Command } from './timing.js';
import { describeTimes, median, ratio, timeOnce } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const kilnBin = path.join(root, 'bin', 'kiln');
const runs = Number(process.env['BENCH_RUNS'] ?? 7);
const PACKER = process.env['PACKER_BIN'] ?? 'packer';

/** A workload: named groups of commands whose times are summed per round. */
type Workload = ReadonlyMap<string, readonly Command[]>;

function hclFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.hcl')).sort();
}

/** Leaf folders holding HCL files, relative to `dir`. */
function leafFolders(dir: string): string[] {
  return [...new Set(hclFiles(dir).map((f) => path.dirname(f)))].sort();
}

/** Exit code of `fmt -check` on `folder`: 3 when one of its files differs from fmt-expected. */
function expectedCode(templates: string, folder: string): number {
  const expected = sharedPath('corpus', 'fmt-expected');
  const files = readdirSync(path.join(templates, folder)).filter((f) => f.endsWith('.hcl'));
  const differs = files.some((f) => readFileSync(path.join(templates, folder, f), 'utf8') !== readFileSync(path.join(expected, folder, f), 'utf8'));
  return differs ? 3 : 0;
}

function generateBigFile(file: string, templates: string): number {
  const parts = hclFiles(templates).filter((f) => f.endsWith('.pkr.hcl')).map((f) => readFileSync(path.join(templates, f), 'utf8'));
  const chunk = `${parts.join('\n')}\n`;
  let text = '';
  while (Buffer.byteLength(text) < 5_000_000) text += chunk;
  writeFileSync(file, text);
  return Buffer.byteLength(text);
}

/** Runs every group's commands in turn, `runs` rounds after a warm-up, and sums each group per round. */
function interleaveGroups(workload: Workload): Map<string, number[]> {
  const times = new Map<string, number[]>([...workload.keys()].map((k) => [k, []]));
  for (const cmds of workload.values()) for (const c of cmds) timeOnce(c);
  for (let i = 0; i < runs; i++) {
    for (const [label, cmds] of workload) {
      let total = 0;
      for (const c of cmds) total += timeOnce(c);
      times.get(label)?.push(total);
    }
  }
  return times;
}

function report(title: string, times: Map<string, number[]>, kilnLabel: string, packerLabel: string, bytes: number): void {
  console.log(`### ${title} (${(bytes / 1e6).toFixed(2)} MB)`);
  for (const [label, xs] of times) {
    const mbs = bytes / 1e6 / (median(xs) / 1000);
    console.log(`${describeTimes(label, xs)}; ${mbs.toFixed(2)} MB/s`);
  }
  const r = ratio(times.get(kilnLabel) ?? [], times.get(packerLabel) ?? []);
  console.log(`${title} ratio kiln/packer: median ${r.median.toFixed(2)} (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)}); target ≤ 1.00`);
}

function packerVersion(): string {
  const r = spawnSync(PACKER, ['version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`fmt bench needs Debian's packer (apt-get install -y packer): ${r.error?.message ?? r.stderr}`);
  return r.stdout.trim();
}

export function benchFmt(): void {
  console.log(`packer: ${packerVersion()}; rounds: ${runs}`);
  const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-bench-fmt-'));
  try {
    const templates = path.join(tmp, 'templates');
    cpSync(sharedPath('corpus', 'templates'), templates, { recursive: true });
    const corpusBytes = hclFiles(templates).reduce((n, f) => n + readFileSync(path.join(templates, f)).length, 0);
    const folders = leafFolders(templates);
    const perFolder = (label: string, argv0: readonly string[]): Command[] =>
      folders.map((f) => ({ label: `${label} ${f}`, argv: [...argv0, 'fmt', '-check', f], cwd: templates, okCodes: [expectedCode(templates, f)] }));
    const corpus: Workload = new Map([
      ['kiln fmt -check -recursive', [{ label: 'kiln', argv: [kilnBin, 'fmt', '-check', '-recursive', '.'], cwd: templates, okCodes: [3] }]],
      [`packer fmt -check ×${folders.length} folders`, perFolder('packer', [PACKER])],
      [`kiln fmt -check ×${folders.length} folders`, perFolder('kiln', [kilnBin])],
    ]);
    report('corpus', interleaveGroups(corpus), 'kiln fmt -check -recursive', `packer fmt -check ×${folders.length} folders`, corpusBytes);

    const big = path.join(tmp, 'big.pkr.hcl');
    const bigBytes = generateBigFile(big, templates);
    const single: Workload = new Map([
      ['kiln fmt -check', [{ label: 'kiln big', argv: [kilnBin, 'fmt', '-check', big], okCodes: [3] }]],
      ['packer fmt -check', [{ label: 'packer big', argv: [PACKER, 'fmt', '-check', big], okCodes: [3] }]],
    ]);
    report('5 MB file', interleaveGroups(single), 'kiln fmt -check', 'packer fmt -check', bigBytes);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
