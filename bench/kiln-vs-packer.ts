/**
 * The build benchmarks' common run: one template built by kiln and by Debian's packer
 * 1.6.6, each in its own folder, interleaved, and the median ratio kiln/packer.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeTimes, interleave, ratio } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BuildComparison {
  /** A scratch folder; the tools work in its `kiln` and `packer` subfolders. */
  readonly dir: string;
  /** The template's file name, given to `build` last. */
  readonly file: string;
  /** The template's text for a tool's folder. */
  readonly template: (toolDir: string) => string;
  /** `build` options before `-color=false`, e.g. `-force`. */
  readonly flags?: readonly string[];
  /** What was built, the start of the ratio line. */
  readonly what: string;
  /** The ratio the benchmark aims for, e.g. `≤ 0.8`. */
  readonly target: string;
  /** Extra environment for kiln only (e.g. a plugin folder). */
  readonly kilnEnv?: Readonly<Record<string, string>>;
}

/**
 * Writes the template for both tools, runs `kiln build` and `packer build` interleaved
 * (BENCH_RUNS rounds, default 5, no colour, no checkpoint calls) and prints each one's
 * times and the ratio line. Throws when a build fails.
 */
export function compareBuilds(c: BuildComparison): void {
  for (const tool of ['kiln', 'packer']) {
    mkdirSync(path.join(c.dir, tool));
    writeFileSync(path.join(c.dir, tool, c.file), c.template(path.join(c.dir, tool)));
  }
  const runs = Number(process.env['BENCH_RUNS'] ?? 5);
  const env = { PACKER_NO_COLOR: '1', CHECKPOINT_DISABLE: '1' };
  const args = ['build', ...(c.flags ?? []), '-color=false', c.file];
  const times = interleave(
    [
      { label: 'kiln build', argv: [path.join(root, 'bin', 'kiln'), ...args], cwd: path.join(c.dir, 'kiln'), env: { ...env, ...c.kilnEnv } },
      { label: 'packer 1.6.6 build', argv: ['packer', ...args], cwd: path.join(c.dir, 'packer'), env },
    ],
    runs,
  );
  const kiln = times.get('kiln build') ?? [];
  const packer = times.get('packer 1.6.6 build') ?? [];
  console.log(describeTimes('kiln build', kiln));
  console.log(describeTimes('packer 1.6.6 build', packer));
  const r = ratio(kiln, packer);
  console.log(`${c.what}: ratio kiln/packer median ${r.median.toFixed(3)} (min ${r.min.toFixed(3)}, max ${r.max.toFixed(3)}); target ${c.target}`);
}
