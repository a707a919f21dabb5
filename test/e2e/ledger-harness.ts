/**
 * Helpers for the ledger tests and `npm run stress`: runs bin/kiln in its own process
 * group (as a terminal would: Ctrl-C reaches kiln and its children), interrupts it at a
 * chosen moment, and checks what a run left: containers named by kiln, ledger files,
 * entries in kiln's private TMPDIR, processes of its group.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/shared.js';

/** The seeded generator of the HCL fuzzer (mulberry32): the same seed draws the same delays. */
export { rng as seeded } from '../../src/hcl/syntax/fuzz-harness.js';

export const KILN_BIN = path.join(REPO_ROOT, 'bin', 'kiln');

export interface KilnRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
}

export interface StartedKiln {
  readonly pid: number;
  readonly done: Promise<KilnRun>;
  /** Output so far. */
  output(): string;
}

/** Starts `kiln ...args` as the leader of a new process group. */
export function startKiln(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): StartedKiln {
  const child = spawn(KILN_BIN, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const done = new Promise<KilnRun>((resolve) => child.once('close', (status, signal) => resolve({ status, signal, out })));
  if (child.pid === undefined) throw new Error('kiln did not start');
  return { pid: child.pid, done, output: () => out };
}

/** Sends `sig` to the whole group (what a terminal's Ctrl-C does); ignores a group that is gone. */
export function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // already exited
  }
}

/**
 * Sends `sig` to the run's group `delay` ms after the builds started (the first step's
 * line, `==> <build>: ...`; kiln listens for signals by then), so the
 * delay lands in the build, not in node's start-up (up to a second on a loaded host).
 * Resolves to whether the signal was sent (false when the run ended first).
 */
export async function signalDuringBuild(run: StartedKiln, sig: NodeJS.Signals, delay: number): Promise<boolean> {
  if (!(await waitForOutput(run, /==> \S+: /, 120_000))) return false;
  await pause(delay);
  signalGroup(run.pid, sig);
  return true;
}

/** Resolves once `text` appears in the run's output (or the run ends). */
export async function waitForOutput(run: StartedKiln, text: RegExp, timeoutMs = 60_000): Promise<boolean> {
  let ended = false;
  void run.done.then(() => (ended = true));
  for (let t = 0; t < timeoutMs; t += 50) {
    if (text.test(run.output())) return true;
    if (ended) return false;
    await pause(50);
  }
  return false;
}

/** Whether any process of group `pgid` still runs, after waiting up to `ms` for it to empty. */
export async function groupLeft(pgid: number, ms = 10_000): Promise<boolean> {
  for (let t = 0; t < ms; t += 100) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return false;
    }
    await pause(100);
  }
  return true;
}

/** Containers whose name starts with `kiln-`, after waiting up to `ms` for the engine's `--rm`. */
export async function kilnContainers(env: NodeJS.ProcessEnv, ms = 15_000): Promise<string[]> {
  let names: string[] = [];
  for (let t = 0; t <= ms; t += 200) {
    const r = spawnSync('docker', ['ps', '-a', '--filter', 'name=^/?kiln-', '--format', '{{.Names}}'], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`docker ps failed: ${r.stderr}`);
    names = r.stdout.split('\n').filter((n) => n !== '');
    if (names.length === 0) return names;
    await pause(200);
  }
  return names;
}

/** Running processes (zombies excepted) whose command line contains `text`: `pid args` each. */
export function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const p of entries('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const args = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ');
      if (args.includes(text)) found.push(`${p} ${args.slice(0, 200)}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** The entries of a folder (none when it does not exist). */
export function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A private state folder and TMPDIR under `root`, and the environment that points kiln at them. */
export function privateEnv(root: string, base: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; state: string; ledgers: string; tmp: string } {
  const state = path.join(root, 'state');
  const tmp = path.join(root, 'tmp');
  mkdirSync(state, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  return { env: { ...base, XDG_STATE_HOME: state, TMPDIR: tmp, PACKER_NO_COLOR: '1' }, state, ledgers: path.join(state, 'kiln', 'runs'), tmp };
}

/** A delay over a build of `buildMs`, biased to the first second: 60 % in [0, 1000) ms. */
export function drawDelay(random: () => number, buildMs: number): number {
  return Math.round(random() < 0.6 ? random() * 1000 : 1000 + random() * Math.max(0, buildMs - 1000));
}

export function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Did the run get as far as finishing its builds? */
export function finished(out: string): boolean {
  return /Builds finished/.test(out);
}
