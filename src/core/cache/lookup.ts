/**
 * Where a build resumes from: the longest prefix of its chain whose entries exist, are
 * not expired and whose snapshots the builder confirms, extended by `-cache-from`'s
 * registry; and, when the build records, the lock of the first step it will run,
 * waiting while another build holds it (two builds of one template share work).
 */
import type { CacheBase, ResumePoint, SnapshotRef } from '../../sdk/component.js';
import type { Ui } from '../../sdk/ui.js';
import { sleep } from '../../support/sleep.js';
import type { KeyedChain } from './chain.js';
import type { CacheEntry } from './entry.js';
import type { KeyedStep } from './keyer.js';
import { tryLockStep, type StepLock } from './locks.js';
import { shortKey } from './paths.js';
import type { StepStore } from './store.js';
import { expiredReason, type FlagTtl } from './ttl.js';

/** What a lookup needs: the chain, the store and the run's settings. */
export interface LookupContext {
  readonly chain: KeyedChain;
  readonly store: StepStore;
  readonly ui: Ui;
  /** The cache folder (for step locks). */
  readonly dir: string;
  /** `-cache-from`: also ask the builder for snapshots by key past the local prefix. */
  readonly from?: string;
  readonly ttl?: FlagTtl;
  /** How often to look again while another build holds a step's lock (ms; 250 by default). */
  readonly pollMs?: number;
  /** ms since the epoch. */
  readonly now: () => number;
}

/** The outcome of a lookup. */
export interface Found {
  /** Where to start; undefined: from the base. */
  readonly resume?: ResumePoint;
  /** Why the first step past `resume` misses (`not in the cache`, `expired: …`). */
  readonly missReason: string;
  /** The chain index of the first step whose entry expired, if one did. */
  readonly expiredAt?: number;
  /** Steps only the `-cache-from` registry answered for: chain index → its ref. */
  readonly remote: ReadonlyMap<number, SnapshotRef>;
}

/**
 * The deepest step whose entry exists and whose snapshot the builder confirms (then
 * extended from the registry). A corrupt entry is warned about, removed and a miss.
 */
export async function findResumePoint(ctx: LookupContext, base: CacheBase, signal: AbortSignal): Promise<Found> {
  const found: CacheEntry[] = [];
  let missReason = 'not in the cache';
  let expiredAt: number | undefined;
  const now = ctx.now();
  for (const [i, step] of ctx.chain.steps.entries()) {
    const r = ctx.store.read(step.key);
    if (r.kind === 'corrupt') {
      ctx.ui.error(`Warning: the cache entry ${shortKey(step.key)} is unreadable (${r.reason}); treating it as a miss`);
      ctx.store.remove(step.key);
      missReason = 'its cache entry was corrupt';
    }
    if (r.kind !== 'hit') break;
    const expired = expiredReason(r.entry.created, step.ttl, ctx.ttl, now);
    if (expired !== undefined) {
      missReason = expired;
      expiredAt = i;
      break;
    }
    found.push(r.entry);
  }
  const local = { missReason, ...(expiredAt !== undefined ? { expiredAt } : {}) };
  for (let j = found.length - 1; j >= 0; j--) {
    const entry = found[j] as CacheEntry;
    const ref = await base.lookup(entry.key, entry.snapshot, signal);
    if (ref) return extendRemote(ctx, base, { ...local, resume: { snapshot: ref, provisioners: j + 1, key: entry.key }, remote: new Map() }, signal);
    local.missReason = 'its snapshot is gone';
  }
  return extendRemote(ctx, base, { ...local, remote: new Map() }, signal);
}

/** With `-cache-from`, asks the builder for snapshots by key past the local prefix. */
async function extendRemote(ctx: LookupContext, base: CacheBase, local: Found, signal: AbortSignal): Promise<Found> {
  // A registry image has no recorded time: past an expired local entry, the step runs.
  if (ctx.from === undefined || local.expiredAt !== undefined) return local;
  let resume = local.resume;
  const remote = new Map<number, SnapshotRef>();
  for (let i = resume?.provisioners ?? 0; i < ctx.chain.steps.length; i++) {
    const key = (ctx.chain.steps[i] as KeyedStep).key;
    const ref = await base.lookup(key, undefined, signal);
    if (!ref) break;
    remote.set(i, ref);
    resume = { snapshot: ref, provisioners: i + 1, key };
  }
  return { ...local, ...(resume ? { resume } : {}), remote };
}

/**
 * Takes the lock of the first step to run after `found`; while another live build holds
 * it, says so once per step, waits and looks again (that build may publish it). Returns
 * the last lookup, with the lock when one was taken (none when cancelled, when the chain
 * is resumed past its end, or when locks cannot be taken here).
 */
export async function lockFirstToRun(ctx: LookupContext, base: CacheBase, found: Found, signal: AbortSignal): Promise<{ readonly found: Found; readonly lock?: StepLock }> {
  let last = found;
  let said = '';
  for (;;) {
    const next = last.resume?.provisioners ?? 0;
    const step = ctx.chain.steps[next];
    if (!step || signal.aborted) return { found: last };
    const lock = tryLockStep(ctx.dir, step.key);
    if (!('heldBy' in lock)) return { found: last, lock };
    if (lock.heldBy < 0) return { found: last }; // The lock cannot be taken: run without it.
    if (said !== step.key) ctx.ui.say(`Waiting for another build (pid ${lock.heldBy}) that is running step ${next + 1} (${step.component}) ${shortKey(step.key)}...`);
    said = step.key;
    if (!(await sleep(ctx.pollMs ?? 250, signal))) return { found: last };
    last = await findResumePoint(ctx, base, signal);
  }
}
