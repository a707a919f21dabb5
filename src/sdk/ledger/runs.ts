/**
 * The ledgers in the state folder and whether their run is over: what `kiln gc` sweeps
 * and what `kiln build` counts at start. Reading is cheap (a readdir and small files,
 * no docker calls) and never throws.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sameProcessAlive } from './process-identity.js';
import { parseLedger, type LedgerContents } from './record.js';

/** One ledger file read back, with whether the run that wrote it still runs. */
export interface RunRecord extends LedgerContents {
  readonly file: string;
  /** The writing process runs still: its resources are not gc's to touch. */
  readonly alive: boolean;
}

/** Every ledger in `dir` except `ownRunId`'s, oldest first; none when the folder does not exist. */
export function listRuns(dir: string, ownRunId?: string): RunRecord[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort();
  } catch {
    return [];
  }
  const runs: RunRecord[] = [];
  for (const name of names) {
    if (ownRunId !== undefined && name === `${ownRunId}.jsonl`) continue;
    const file = path.join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // removed meanwhile by its run or another gc
    }
    const contents = parseLedger(text);
    const h = contents.header;
    // The header is written and fsynced with the first record: a file without one is corrupt, its writer unknown.
    const alive = h !== undefined && sameProcessAlive(h.pid, h.start, h.boot);
    runs.push({ ...contents, file, alive });
  }
  return runs;
}

/** Resources that dead runs left and nobody kept on purpose (the start-of-build hint). */
export function countLeftovers(dir: string, ownRunId?: string): number {
  return listRuns(dir, ownRunId)
    .filter((r) => !r.alive)
    .reduce((sum, r) => sum + r.entries.filter((e) => e.state === 'pending').length, 0);
}
