/**
 * A temporary folder recorded in the ledger before it exists: the name is chosen
 * first (`prefix` + random hex), recorded as an intent, then made with `mkdir` (which
 * fails rather than reuse a folder that exists). mkdtemp cannot be used: its name is
 * only known once the folder exists, too late for a crash in between.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from '../../support/random.js';
import type { Ledger, LedgerHandle } from './ledger.js';

/** A folder made by `makeRecordedTempDir`; `remove` deletes it and marks the record done. */
export interface RecordedDir {
  readonly path: string;
  readonly handle: LedgerHandle;
  remove(): Promise<void>;
}

/** Makes `parent/<prefix><random>` (mode 0700), recorded in `ledger` first; rejects as mkdir does. */
export async function makeRecordedTempDir(ledger: Ledger, parent: string, prefix: string): Promise<RecordedDir> {
  for (;;) {
    const dir = path.join(parent, `${prefix}${randomBytes(6).toString('hex')}`);
    const handle = ledger.intent({ kind: 'path', path: dir });
    try {
      await mkdir(dir, { mode: 0o700 });
    } catch (err) {
      handle.done();
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    return {
      path: dir,
      handle,
      async remove() {
        await rm(dir, { recursive: true, force: true, maxRetries: 3 });
        handle.done();
      },
    };
  }
}
