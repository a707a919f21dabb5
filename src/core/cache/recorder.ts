/**
 * The recording side of one build's step cache: after each cacheable step that ran,
 * the builder's snapshot under the step's key, then the entry, published last (see
 * store.ts). It holds the step locks (one per step this build computes, so another build
 * waits for it instead of computing it too) and the lease on every key the build uses
 * (so `kiln cache prune` leaves them), until `end`.
 *
 * Recording stops for the rest of the build, with one line saying why, when a snapshot
 * fails or a step failed under `continue_on_error`; a failure to publish loses only that
 * entry. Cache trouble is a warning, never a failed build.
 */
import type { MachineSnapshots, SnapshotRef } from '../../sdk/component.js';
import type { Ui } from '../../sdk/ui.js';
import { entryOf, type KeyedChain } from './chain.js';
import { openLease, tryLockStep, type Lease, type StepLock } from './locks.js';
import type { StepReporter } from './step-report.js';
import type { StepStore } from './store.js';

/** What a recorder needs of the build and the run. */
export interface RecorderContext {
  /** The cache folder (locks and leases). */
  readonly dir: string;
  /** The build's name, recorded in each entry. */
  readonly build: string;
  readonly chain: KeyedChain;
  readonly store: StepStore;
  readonly ui: Ui;
  readonly report: StepReporter;
  /** ms since the epoch, each entry's creation time. */
  readonly now: () => number;
}

/** Records one build's steps; chain indexes are 0-based provisioner positions. */
export class StepRecorder {
  readonly #ctx: RecorderContext;
  #on: boolean;
  readonly #locks = new Map<number, StepLock>();
  #lease: Lease | undefined;

  /**
   * `on`: whether to record at all. `leased`: the keys the build starts from (the base
   * and its resumed prefix). `first`: the lock of the first step to run, taken while
   * looking up.
   */
  constructor(ctx: RecorderContext, on: boolean, leased: readonly string[], first?: { readonly index: number; readonly lock: StepLock }) {
    this.#ctx = ctx;
    this.#on = on;
    if (first) this.#locks.set(first.index, first.lock);
    this.#lease = openLease(ctx.dir, leased);
  }

  /** Whether later steps are still recorded. */
  get on(): boolean {
    return this.#on;
  }

  /** Records nothing more (the builder has no machine to snapshot). */
  stop(): void {
    this.#on = false;
  }

  /** Step `i` is about to run: takes its lock, unless another build holds it (then says so and leaves the recording to that build). */
  claim(i: number): void {
    const step = this.#ctx.chain.steps[i];
    if (!step || !this.#on || this.#locks.has(i)) return;
    const lock = tryLockStep(this.#ctx.dir, step.key);
    if ('heldBy' in lock) {
      if (lock.heldBy > 0) this.#ctx.ui.say(`Another build (pid ${lock.heldBy}) is recording step ${i + 1} too: this one will not record it.`);
      return;
    }
    this.#locks.set(i, lock);
  }

  /**
   * Step `i` ended in `machine` (`continued`: it failed, and continue_on_error went on):
   * snapshots and publishes it when this build holds its lock, reports it `recorded`, and
   * releases the lock after taking the next step's.
   */
  async record(i: number, machine: MachineSnapshots | undefined, continued: boolean, signal: AbortSignal): Promise<void> {
    const step = this.#ctx.chain.steps[i];
    const lock = this.#locks.get(i);
    this.#locks.delete(i);
    try {
      if (!step || !machine || !this.#on || !lock) return;
      if (continued) {
        this.#on = false;
        this.#ctx.ui.say(`Step ${i + 1} failed and continue_on_error went on: no later step is recorded.`);
        return;
      }
      const t0 = performance.now();
      const snap = await machine.snapshot(step.key, signal);
      if (snap.kind === 'error') {
        this.#on = false;
        // A snapshot a Ctrl-C cut short is not a problem to report: the build is ending anyway.
        if (!signal.aborted) this.#ctx.ui.error(`Warning: could not save the machine after step ${i + 1}: ${snap.error.message}; later steps are not recorded`);
        return;
      }
      const published = this.#ctx.store.publish(entryOf(this.#ctx.chain, this.#ctx.build, i, snap.value, this.#ctx.now()));
      if (typeof published === 'object') {
        this.#ctx.ui.error(`Warning: could not record step ${i + 1} in the cache: ${published.error}`);
        return;
      }
      this.#lease?.add([step.key]);
      this.#ctx.report.recorded(i + 1, step.key, ((performance.now() - t0) / 1000).toFixed(2));
      // The next step's lock before this one's goes: a build waiting on this one then
      // resumes here and waits again, instead of racing this build for the next step.
      this.#lockAhead(i + 1);
    } finally {
      lock?.release();
    }
  }

  /**
   * Records local entries for the steps below `skip` that the builder started from out of
   * the `-cache-from` registry (`remote`: chain index → ref), so the next build hits them
   * without the registry.
   */
  recordPulled(remote: ReadonlyMap<number, SnapshotRef>, skip: number): void {
    if (remote.size === 0) return;
    let recorded = 0;
    for (const [i, ref] of [...remote].sort((a, b) => a[0] - b[0])) {
      if (i >= skip) break;
      const published = this.#ctx.store.publish(entryOf(this.#ctx.chain, this.#ctx.build, i, ref, this.#ctx.now()));
      if (typeof published === 'object') {
        this.#ctx.ui.error(`Warning: could not record step ${i + 1}, pulled from the cache registry, in the local cache: ${published.error}`);
        return;
      }
      recorded++;
    }
    if (recorded > 0) this.#ctx.ui.say(`Recorded ${recorded} step${recorded === 1 ? '' : 's'} found in the cache registry in the local step cache.`);
  }

  /** Provisioning ended (success, failure or cancellation): releases the locks and the lease. */
  end(): void {
    for (const lock of this.#locks.values()) lock.release();
    this.#locks.clear();
    this.#lease?.release();
    this.#lease = undefined;
  }

  #lockAhead(i: number): void {
    const next = this.#ctx.chain.steps[i];
    if (!next || this.#locks.has(i)) return;
    const lock = tryLockStep(this.#ctx.dir, next.key);
    if (!('heldBy' in lock)) this.#locks.set(i, lock);
  }
}
