/**
 * Start-up cost: `kiln version` against a bare `node -e 0`, interleaved (at least 20 rounds),
 * wall and CPU time (user+sys; /proc's 10 ms ticks, so read it over many rounds).
 * Target: median wall ratio ≤ 1.3.
 *
 * CPU also at 1 ms resolution (bash's `times` after each run: the children's user and
 * system time from wait4, in the same interleaved rounds), since /proc's 10 ms ticks are
 * a sixth of a 60 ms run.
 *
 * When NODE_EXTRA_CA_CERTS is set (this project's machines set it), Node reads the file and
 * builds its whole root store before any JavaScript (~40 ms here), and bin/kiln defers that
 * to kiln's first TLS connection (bin/extra-ca.cjs): `node -e 0` then costs more than `kiln
 * version`, so the rounds also time `node -e 0` with the variable empty (Node skips it), the
 * floor kiln is compared with in the last ratio line.
 *
 * Also shown, without a target: `kiln validate` and `kiln fmt -check` of
 * examples/hello (the fixed cost every template command pays), and how many
 * JavaScript files each command loads (from NODE_DEBUG=module, which logs every
 * CommonJS file — dist/ is CommonJS — and a one-line `--import` hook for ES modules).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeTimes, interleaveSamples, loadLine, nodeFloorWithoutExtraCa, ratio } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Math.max(20, Number(process.env['BENCH_RUNS'] ?? 20));
const kiln = path.join(root, 'bin', 'kiln');
const hello = path.join(root, 'examples', 'hello');

export function benchStartup(): void {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-startup-'));
  try {
    const extraCa = process.env['NODE_EXTRA_CA_CERTS'] ?? '';
    const floor = nodeFloorWithoutExtraCa();
    console.log(`before: ${loadLine()}; NODE_EXTRA_CA_CERTS ${extraCa === '' ? 'not set' : `= ${extraCa}`}`);
    const samples = interleaveSamples(
      [
        { label: 'kiln version', argv: [kiln, 'version'] },
        { label: 'node -e 0', argv: [process.execPath, '-e', '0'] },
        ...(floor ? [floor] : []),
        { label: 'kiln validate examples/hello', argv: [kiln, 'validate', hello], cwd },
        { label: 'kiln fmt -check examples/hello', argv: [kiln, 'fmt', '-check', hello], cwd },
      ],
      runs,
    );
    const fine = cpuByTimes(
      [
        ['kiln version', [kiln, 'version']],
        ['node -e 0', [process.execPath, '-e', '0']],
      ],
      runs,
      cwd,
    );
    console.log(`after: ${loadLine()}`);
    for (const [label, xs] of samples) {
      console.log(describeTimes(`${label} wall`, xs.map((x) => x.wall)));
      console.log(describeTimes(`${label} cpu`, xs.map((x) => x.cpu)));
    }
    const kilnRuns = samples.get('kiln version') ?? [];
    const nodeRuns = samples.get('node -e 0') ?? [];
    for (const what of ['wall', 'cpu'] as const) {
      const r = ratio(kilnRuns.map((x) => x[what]), nodeRuns.map((x) => x[what]));
      console.log(`startup ${what} ratio kiln/node: median ${r.median.toFixed(2)} (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)}, n=${r.n})${what === 'wall' ? '; target ≤ 1.30' : ''}`);
    }
    const bare = floor && samples.get(floor.label);
    if (floor && bare) {
      const r = ratio(kilnRuns.map((x) => x.wall), bare.map((x) => x.wall));
      console.log(`startup wall ratio kiln/(${floor.label}): median ${r.median.toFixed(2)} (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)}, n=${r.n})`);
    }
    const k = fine.get('kiln version') ?? [];
    const n = fine.get('node -e 0') ?? [];
    console.log(describeTimes('kiln version cpu (1 ms, bash times)', k));
    console.log(describeTimes('node -e 0 cpu (1 ms, bash times)', n));
    const r = ratio(k, n);
    console.log(`startup cpu ratio kiln/node (1 ms resolution): median ${r.median.toFixed(3)} (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)}, n=${r.n})`);
    for (const args of [['version'], ['validate', hello], ['fmt', '-check', hello]]) {
      const { dist, total } = modulesLoaded(args, cwd);
      console.log(`modules loaded by kiln ${args[0]}: ${dist} files of dist/, ${total} JavaScript files in all`);
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/**
 * CPU time (user + system, ms) of each command, `runs` interleaved rounds, read from bash's
 * `times` (its children's wait4 usage, printed to the millisecond) after the command ran.
 */
function cpuByTimes(commands: readonly (readonly [string, readonly string[]])[], runs: number, cwd: string): Map<string, number[]> {
  const out = new Map<string, number[]>(commands.map(([label]) => [label, []]));
  for (let round = 0; round < runs; round++) {
    for (const [label, argv] of commands) {
      const r = spawnSync('bash', ['-c', '"$@" >/dev/null 2>&1 || exit 1; times', 'cpu', ...argv], { cwd, encoding: 'utf8' });
      // Second line: the children's user and system time, e.g. "0m0.052s 0m0.011s".
      const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(r.stdout.split('\n')[1] ?? '');
      if (r.status !== 0 || !m) throw new Error(`${label}: failed or no times output: ${r.stdout}${r.stderr}`);
      out.get(label)?.push((Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000);
    }
  }
  return out;
}

/** Files one run of kiln loads: those of dist/ and all JavaScript files. */
function modulesLoaded(args: readonly string[], cwd: string): { dist: number; total: number } {
  const log = path.join(cwd, 'loaded.log');
  const hook = path.join(cwd, 'hook.mjs');
  writeFileSync(
    hook,
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }
`,
  );
  const register = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(pathToFileURL(hook).href)});`;
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', register, kiln, ...args], { cwd, env: { ...process.env, NODE_DEBUG: 'module' }, encoding: 'utf8' });
  const loaded = readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file:'));
  // NODE_DEBUG=module logs each CommonJS file it loads; the hook saw the ES ones.
  const files = new Set(loaded.map((u) => fileURLToPath(u)));
  for (const m of r.stderr.matchAll(/^MODULE \d+: load "([^"]+)"/gm)) if (m[1]?.startsWith('/')) files.add(m[1]);
  const dist = path.join(root, 'dist') + path.sep;
  return { dist: [...files].filter((f) => f.startsWith(dist)).length, total: files.size };
}
