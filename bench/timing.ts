/**
 * Shared helpers for kiln's benchmarks: interleaved runs of several commands and
 * median ratios with their spread. Timing lives here, never in tests.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

export interface Command {
  readonly label: string;
  readonly argv: readonly string[];
  readonly cwd?: string;
  /** Extra environment variables for the command. */
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes that count as success (default: 0 only). */
  readonly okCodes?: readonly number[];
}

/** One run's wall time and the CPU time (user + system) of the process and the children it waited for, in ms. */
export interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

/**
 * `node -e 0` with NODE_EXTRA_CA_CERTS empty (Node then skips it), when the variable is
 * set: Node loads that file before any JavaScript (~40 ms here) and bin/kiln defers it to
 * kiln's first TLS connection (bin/extra-ca.cjs), so this is the floor kiln starts from.
 * Undefined when the variable is not set (plain `node -e 0` is that floor).
 */
export function nodeFloorWithoutExtraCa(cwd?: string): Command | undefined {
  if (!process.env['NODE_EXTRA_CA_CERTS']) return undefined;
  return { label: 'node -e 0, NODE_EXTRA_CA_CERTS empty', argv: [process.execPath, '-e', '0'], ...(cwd !== undefined ? { cwd } : {}), env: { NODE_EXTRA_CA_CERTS: '' } };
}

/** Runs `cmd` once and returns its wall time in milliseconds; throws if it fails. */
export function timeOnce(cmd: Command): number {
  return sampleOnce(cmd).wall;
}

/** Runs `cmd` once and returns its wall and CPU time; throws if it fails. */
export function sampleOnce(cmd: Command): Sample {
  const [file, ...args] = cmd.argv;
  if (file === undefined) throw new Error(`${cmd.label}: empty command`);
  const cpu0 = childrenCpuMs();
  const start = process.hrtime.bigint();
  const r = spawnSync(file, args, { cwd: cmd.cwd, env: { ...process.env, ...cmd.env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const ok = cmd.okCodes ?? [0];
  if (r.error || r.status === null || !ok.includes(r.status)) {
    throw new Error(`${cmd.label} failed (exit ${String(r.status)}): ${r.error?.message ?? r.stderr.slice(0, 500)}`);
  }
  return { wall, cpu: childrenCpuMs() - cpu0 };
}

/**
 * CPU time of this process's waited-for children so far (Linux /proc cutime + cstime,
 * 10 ms ticks; 0 elsewhere). The difference around a spawnSync is that run's CPU.
 */
function childrenCpuMs(): number {
  let stat: string;
  try {
    stat = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return 0;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of stat(5), counted after the command name's closing parenthesis.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** The host's 1/5/15-minute load averages, to print beside every figure. */
export function loadLine(): string {
  return `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
}

/** Runs the commands in turn, `runs` rounds (after one warm-up round), and returns each one's times. */
export function interleave(commands: readonly Command[], runs: number): Map<string, number[]> {
  const samples = interleaveSamples(commands, runs);
  return new Map([...samples].map(([label, xs]) => [label, xs.map((x) => x.wall)]));
}

/** As {@link interleave}, with each run's CPU time too. */
export function interleaveSamples(commands: readonly Command[], runs: number): Map<string, Sample[]> {
  const samples = new Map<string, Sample[]>(commands.map((c) => [c.label, []]));
  for (const c of commands) sampleOnce(c);
  for (let i = 0; i < runs; i++) {
    for (const c of commands) samples.get(c.label)?.push(sampleOnce(c));
  }
  return samples;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Ratio of per-round times a/b: median and min–max over the rounds. */
export function ratio(a: readonly number[], b: readonly number[]): { median: number; min: number; max: number; n: number } {
  const rs = a.map((x, i) => x / (b[i] as number));
  return { median: median(rs), min: Math.min(...rs), max: Math.max(...rs), n: rs.length };
}

export function describeTimes(label: string, xs: readonly number[]): string {
  return `${label}: median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}, n=${xs.length})`;
}
