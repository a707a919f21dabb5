/** The ledger of temporary resources: record (ledger.ts), read (record.ts, runs.ts), sweep (sweep.ts). */
export { ledgerDir, memoryLedger, openRunLedger, stateDir, type Ledger, type LedgerCounts, type LedgerHandle } from './ledger.js';
export { describeResource, parseLedger, type LedgerContents, type LedgerEntry, type MachineMark, type Resource } from './record.js';
export { claimRun, countLeftovers, listRuns, releaseRun, takeOverRecords, type RunRecord } from './runs.js';
export { removeResource, type SweepOutcome } from './sweep.js';
export { makeRecordedTempDir, type RecordedDir } from './temp-dir.js';
export { killedWithParent } from './parent-death.js';
