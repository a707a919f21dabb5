/**
 * `kiln gc [-dry-run] [-kept]`: sweeps what runs that are gone left behind, from their
 * ledgers (sdk/ledger). For each ledger whose process is not alive (pid gone or reused,
 * or another boot): each pending resource is removed (kept ones too with `-kept`) and
 * printed with the action; what cannot be removed keeps its record, named with the
 * reason; the ledger goes once nothing is left in it. A ledger that is corrupt is
 * reported and only its readable records are used; one without a header (its writer
 * unknown) is never acted on. Records are undone last first (a VM process before the
 * folder holding its disk), as cleanup would have. Two gc at once do not race: each
 * claims a run's ledger before sweeping it (sdk/ledger/runs.ts) and leaves runs another
 * live gc claimed. Exit 0 when nothing failed, else 1.
 */
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { claimRun, describeResource, ledgerDir, listRuns, releaseRun, removeResource, type LedgerEntry, type RunRecord } from '../sdk/ledger/index.js';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';

export async function run(ctx: CommandContext): Promise<number> {
  const dryRun = ctx.flags.values.get('dry-run') === true;
  const withKept = ctx.flags.values.get('kept') === true;
  const dir = ledgerDir(ctx.env);
  let failed = 0;
  let found = 0;
  for (const runRecord of listRuns(dir)) {
    const name = runRecord.runId;
    if (runRecord.alive) {
      ctx.stdout(`run ${name}: still running (pid ${runRecord.header?.pid ?? '?'}); left alone\n`);
      continue;
    }
    if (runRecord.claimedBy !== undefined) {
      ctx.stdout(`run ${name}: another kiln gc (pid ${runRecord.claimedBy}) is removing what it left; left alone\n`);
      continue;
    }
    for (const p of runRecord.problems) ctx.stderr(`run ${name}: ledger ${runRecord.file}: ${p}\n`);
    if (runRecord.header === undefined) {
      ctx.stderr(`run ${name}: the ledger's writer cannot be identified; nothing done (remove ${runRecord.file} by hand once sure)\n`);
      failed++;
      continue;
    }
    const claimed = dryRun ? runRecord.file : claimRun(runRecord);
    if (claimed === undefined) {
      ctx.stdout(`run ${name}: another kiln gc took it first; left alone\n`);
      continue;
    }
    const result = await sweepRun(ctx, name, { ...runRecord, file: claimed }, dryRun, withKept);
    if (!dryRun && result.ledger === 'keep') releaseRun(claimed, runRecord);
    found += result.found;
    failed += result.failed;
  }
  if (found === 0 && failed === 0) ctx.stdout('Nothing to remove.\n');
  return failed > 0 ? EXIT.error : EXIT.ok;
}

async function sweepRun(ctx: CommandContext, name: string, runRecord: RunRecord, dryRun: boolean, withKept: boolean): Promise<{ found: number; failed: number; ledger: 'removed' | 'keep' }> {
  let found = 0;
  let failed = 0;
  let remaining = 0;
  for (const e of [...runRecord.entries].reverse()) {
    if (e.state === 'done') continue;
    const what = describeResource(e.resource, e.id, e.socket);
    if (e.state === 'kept' && !withKept) {
      const resumable = e.mark !== undefined ? `; build ${e.mark.build} stopped in it after step ${e.mark.steps.length}: kiln build -resume goes on there` : '';
      ctx.stdout(`run ${name}: ${what}: kept on purpose; left (kiln gc -kept removes it)${resumable}\n`);
      remaining++;
      continue;
    }
    found++;
    if (dryRun) {
      ctx.stdout(`run ${name}: ${what}: would remove\n`);
      continue;
    }
    const outcome = await removeResource(e);
    if (outcome.kind === 'failed') {
      ctx.stdout(`run ${name}: ${what}: NOT removed: ${outcome.reason}\n`);
      failed++;
      remaining++;
      continue;
    }
    ctx.stdout(`run ${name}: ${what}: ${outcome.kind === 'removed' ? 'removed' : 'already gone'}\n`);
    markDone(runRecord.file, e);
  }
  // A record the ledger could not read in the middle may name something: keep the file to look at.
  const unreadable = runRecord.problems.some((p) => !p.includes('truncated record'));
  if (!dryRun && remaining === 0) {
    if (unreadable) {
      ctx.stderr(`run ${name}: ledger kept because some records could not be read: ${path.join(path.dirname(runRecord.file), `${name}.jsonl`)}\n`);
      failed++;
    } else {
      rmSync(runRecord.file, { force: true });
      ctx.stdout(`run ${name}: ledger removed\n`);
      return { found, failed, ledger: 'removed' };
    }
  }
  return { found, failed, ledger: 'keep' };
}

/** Appends the `done` record (after a newline: the tail may be a cut-off line), so a gc interrupted halfway does not redo (or forget) anything. */
function markDone(file: string, e: LedgerEntry): void {
  try {
    appendFileSync(file, `\n${JSON.stringify({ t: 'done', n: e.n })}\n`);
  } catch {
    // The ledger is removed after the sweep anyway; a later gc finds the resource gone.
  }
}
