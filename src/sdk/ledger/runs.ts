/**
 * The ledgers in the state folder and whether their run is over: what `kiln gc` sweeps
 * and what `kiln build` counts at start. Reading is cheap (a readdir and small files,
 * no docker calls) and never throws.
 *
 * Two `kiln gc` at once never sweep the same run: a gc claims a dead run's ledger by
 * renaming `<run>.jsonl` to `<run>.jsonl.gc.<pid>.<start>` (rename is atomic: of two
 * claims only one succeeds), sweeps it, then removes it or gives it back. A claim whose
 * gc died is taken over the same way, by renaming it again.
 */
import { appendFileSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { processStartTime, sameProcessAlive } from './process-identity.js';
import { formatLine, parseLedger, type LedgerContents } from './record.js';

/** One ledger file read back, with whether the run that wrote it still runs. */
export interface RunRecord extends LedgerContents {
  readonly file: string;
  /** The run's id (the file name without its suffixes). */
  readonly runId: string;
  /** The writing process runs still: its resources are not gc's to touch. */
  readonly alive: boolean;
  /** The pid of a live `kiln gc` sweeping this run now: not another gc's to touch. */
  readonly claimedBy?: number;
}

const CLAIMED = /^(.+)\.jsonl\.gc\.(\d+)\.(\d*)$/;

/** Every ledger in `dir` except `ownRunId`'s, oldest first; none when the folder does not exist. */
export function listRuns(dir: string, ownRunId?: string): RunRecord[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const runs: RunRecord[] = [];
  for (const name of names) {
    const claim = CLAIMED.exec(name);
    const runId = claim?.[1] ?? (name.endsWith('.jsonl') ? name.slice(0, -'.jsonl'.length) : undefined);
    if (runId === undefined || runId === ownRunId) continue;
    const file = path.join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // removed or claimed meanwhile by its run or a gc
    }
    const contents = parseLedger(text);
    const h = contents.header;
    // The header is written and fsynced with the first record: a file without one is corrupt, its writer unknown.
    const alive = h !== undefined && sameProcessAlive(h.pid, h.start, h.boot);
    const gcPid = claim ? Number(claim[2]) : undefined;
    const claimedBy = claim && gcPid !== undefined && sameProcessAlive(gcPid, claim[3] || undefined, undefined) ? gcPid : undefined;
    runs.push({ ...contents, file, runId, alive, ...(claimedBy !== undefined ? { claimedBy } : {}) });
  }
  return runs;
}

/**
 * Claims a dead run's ledger for this process (see above): the claimed file's path, or
 * undefined when another gc claimed it first (or the file went).
 */
export function claimRun(run: RunRecord): string | undefined {
  const claimed = path.join(path.dirname(run.file), `${run.runId}.jsonl.gc.${process.pid}.${processStartTime(process.pid) ?? ''}`);
  try {
    renameSync(run.file, claimed);
    return claimed;
  } catch {
    return undefined;
  }
}

/** Gives a claimed ledger back under its run's name (something in it is left for a later gc). */
export function releaseRun(claimed: string, run: RunRecord): void {
  try {
    renameSync(claimed, path.join(path.dirname(claimed), `${run.runId}.jsonl`));
  } catch {
    // Gone meanwhile: nothing to give back.
  }
}

/** Resources that dead runs left, nobody kept on purpose and no live gc is removing (the start-of-build hint). */
export function countLeftovers(dir: string, ownRunId?: string): number {
  return listRuns(dir, ownRunId)
    .filter((r) => !r.alive && r.claimedBy === undefined)
    .reduce((sum, r) => sum + r.entries.filter((e) => e.state === 'pending').length, 0);
}

/**
 * Takes records `ns` of a dead run over (another run adopted what they name and records
 * it in its own ledger, `kiln build -resume`): claims the run's ledger as a gc would,
 * marks them done, then removes the ledger when nothing in it is pending or kept, else
 * gives it back. False when the ledger could not be claimed (a gc or another run has it).
 */
export function takeOverRecords(run: RunRecord, ns: readonly number[]): boolean {
  const claimed = claimRun(run);
  if (claimed === undefined) return false;
  try {
    appendFileSync(claimed, ns.map((n) => formatLine({ t: 'done', n })).join(''));
    const left = parseLedger(readFileSync(claimed, 'utf8')).entries.filter((e) => e.state !== 'done');
    if (left.length === 0) {
      rmSync(claimed, { force: true });
      return true;
    }
  } catch {
    // Unwritable: the records stay as they were; gc finds the adopted resources gone or kept.
  }
  releaseRun(claimed, run);
  return true;
}
