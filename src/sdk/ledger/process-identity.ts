/**
 * Telling whether a process that wrote a ledger still runs: its pid is alive, it
 * started at the recorded time (a pid reused by another program is not it), and the
 * machine has not rebooted since. Linux /proc; elsewhere only the pid is checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from '../../support/random.js';

/** Clock ticks since boot at which `pid` started (field 22 of /proc/PID/stat); undefined when unknown. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** This boot's id; undefined off Linux. */
export function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** `pid` exists (a zombie or another user's process counts). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's command line, arguments joined by spaces; undefined when it is gone or unreadable. */
export function processCommandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/** The process's environment entries (`NAME=value`); undefined when it is gone or unreadable. */
export function processEnviron(pid: number): readonly string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
}

/** `pid` runs (alive and not a zombie waiting for its parent to reap it). */
export function pidRunning(pid: number): boolean {
  if (!pidAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return pidAlive(pid);
  }
}

/**
 * Whether `pid` is the process a record names: its command line contains `match` and,
 * when `env` is given (an entry kiln set when spawning it), its environment holds it.
 * A pid reused by another program fails the check.
 */
export function isRecordedProcess(pid: number, match: string, env?: string): boolean {
  if (processCommandLine(pid)?.includes(match) !== true) return false;
  return env === undefined || processEnviron(pid)?.includes(env) === true;
}

/** Whether the process recorded as (`pid`, `start`, `boot`) still runs. */
export function sameProcessAlive(pid: number, start: string | undefined, boot: string | undefined): boolean {
  const nowBoot = bootId();
  if (boot !== undefined && nowBoot !== undefined && boot !== nowBoot) return false;
  if (!pidAlive(pid)) return false;
  if (start === undefined) return true;
  const current = processStartTime(pid);
  return current === undefined || current === start;
}

/** The environment variable whose unique value marks a process kiln spawned (`kiln gc` checks it). */
export const LEDGER_MARK_VAR = 'KILN_LEDGER_MARK';

/** A fresh mark: `entry` (`KILN_LEDGER_MARK=<16 hex>`) for a record's `env`, `value` for the child's environment. */
export function newLedgerMark(): { readonly entry: string; readonly value: string } {
  const value = randomBytes(8).toString('hex');
  return { entry: `${LEDGER_MARK_VAR}=${value}`, value };
}

/** The pids of every running process but this one (zombies excepted), from /proc; empty off Linux. */
export function runningPids(): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  return names.map(Number).filter((pid) => pid !== process.pid && pidRunning(pid));
}

/**
 * Every running process (not this one) whose environment holds `env`: a spawned program
 * and whatever it started, as long as they kept the environment. Empty off Linux.
 */
export function processesWithEnv(env: string): number[] {
  return runningPids().filter((pid) => processEnviron(pid)?.includes(env) === true);
}
