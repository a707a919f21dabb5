/**
 * The step cache engine of one build. The builder meets it as `BuildContext.cache`
 * (`start`: where to create the machine from); the provision hook as `StepCacheHooks`
 * (which provisioners to skip, and recording after each one that ran).
 *
 * - `start` keys the base and each provisioner up to the first barrier (chain.ts), finds
 *   the longest prefix whose entries exist AND whose snapshots the builder confirms, and
 *   answers with that `ResumePoint` (lookup.ts). If another build holds the lock of the
 *   first step to run, it waits for that build to publish it, then looks again: two
 *   builds of one template share work.
 * - After each cacheable step that ran, the builder snapshots the machine under the
 *   step's key and the entry is published (last, atomically; recorder.ts, store.ts).
 * - An entry older than its step's TTL (`-cache-ttl`, the side file's `ttl`) is a miss;
 *   with writing on, it and the entries chained below it are dropped first, so the step's
 *   new result (and a qemu layer's children) is recorded afresh, never over a stale chain.
 * - Steps found only in the `-cache-from` registry get local entries once the builder has
 *   started from them, so the next build hits without the registry.
 * - Going on in a machine a failed `-on-error=abort` run kept (`CacheBase.live`), the
 *   steps that ran in it are not looked up; the rest run and are recorded as usual.
 * - Each step's verdict is an event and a report (step-report.ts).
 * - Cache trouble (corrupt entry, failed snapshot, disk full) is a warning and a miss,
 *   never a failed build.
 */
import type { BuildCache, CacheBase, CacheStart, MachineSnapshots, StepCacheRecord } from '../../sdk/component.js';
import type { Ui } from '../../sdk/ui.js';
import { keyChain, type KeyedChain } from './chain.js';
import type { StepKeyer } from './keyer.js';
import type { StepLock } from './locks.js';
import { findResumePoint, lockFirstToRun, type Found, type LookupContext } from './lookup.js';
import { StepRecorder } from './recorder.js';
import { StepReporter, type Emit } from './step-report.js';
import type { StepStore } from './store.js';
import type { FlagTtl } from './ttl.js';

/** The cache flags of a run. */
export interface CacheSettings {
  readonly dir: string;
  /** False with `-cache=read`: look up, never record. */
  readonly write: boolean;
  /** `-resume`: say so when nothing was recorded to resume from. */
  readonly resume: boolean;
  readonly from?: string;
  readonly to?: string;
  /** `-cache-ram`: builders keep RAM states with their snapshots (qemu). */
  readonly ramState?: boolean;
  /** `-cache-ttl`: entries older than this are a miss. */
  readonly ttl?: FlagTtl;
  /** How often to look again while another build holds a step's lock (ms). */
  readonly pollMs?: number;
  /** The clock for TTLs (ms since the epoch); tests give a fake one. */
  readonly now?: () => number;
}

/** One step's outcome, for the manifest. */
export type StepReport = StepCacheRecord;

/** What the provision hook calls (see provision-hook.ts). */
export interface StepCacheHooks {
  /** Provisioning begins; resolves how many provisioners to skip (the resumed prefix). */
  begin(machine: MachineSnapshots | undefined): number;
  /** Provisioner `i` (0-based) is about to run. */
  before(i: number): void;
  /** Provisioner `i` succeeded (`continued`: it failed, and continue_on_error went on): record it. */
  after(i: number, machine: MachineSnapshots | undefined, continued: boolean, signal: AbortSignal): Promise<void>;
  /** Provisioning ended (success, failure or cancellation): release locks and the lease. */
  end(): void;
}

export interface BuildIdentity {
  readonly name: string;
  readonly builderType: string;
  /** Provisioner types in order. */
  readonly provisioners: readonly string[];
}

/** What `start` settled, for the hooks. */
interface Started {
  readonly answer: CacheStart;
  readonly chain: KeyedChain;
  readonly found: Found;
  /** Provisioners to skip: the resumed prefix, or those that ran in the kept machine. */
  readonly skip: number;
  /** `CacheBase.live`'s machine (`container d77ef64b2654`): the skipped steps ran in it, not from the cache. */
  readonly live?: string;
  readonly recorder: StepRecorder;
}

export class BuildStepCache implements BuildCache, StepCacheHooks {
  readonly layers: string;
  readonly remote: { readonly from?: string; readonly to?: string };
  readonly ramState: boolean;
  readonly write: boolean;
  readonly #settings: CacheSettings;
  readonly #build: BuildIdentity;
  readonly #store: StepStore;
  readonly #keyer: StepKeyer;
  readonly #ui: Ui;
  readonly #report: StepReporter;
  #started: Started | undefined;

  constructor(settings: CacheSettings, build: BuildIdentity, store: StepStore, keyer: StepKeyer, ui: Ui, emit: Emit) {
    this.#settings = settings;
    this.#build = build;
    this.#store = store;
    this.#keyer = keyer;
    this.#ui = ui;
    this.#report = new StepReporter(build, emit);
    this.layers = `${settings.dir}/layers`;
    this.ramState = settings.ramState === true;
    this.write = settings.write;
    this.remote = { ...(settings.from !== undefined ? { from: settings.from } : {}), ...(settings.to !== undefined ? { to: settings.to } : {}) };
  }

  async start(base: CacheBase, signal: AbortSignal): Promise<CacheStart> {
    if (this.#started) return this.#started.answer;
    const s = this.#settings;
    const steps = this.#build.provisioners.length;
    const chain = await keyChain(this.#keyer, base.identity, steps, this.#ui);
    const now = (): number => s.now?.() ?? Date.now();
    const lookup: LookupContext = { chain, store: this.#store, ui: this.#ui, dir: s.dir, now, ...(s.from !== undefined ? { from: s.from } : {}), ...(s.ttl ? { ttl: s.ttl } : {}), ...(s.pollMs !== undefined ? { pollMs: s.pollMs } : {}) };
    const live = base.live;
    let found: Found = { missReason: live ? `runs in the kept ${live.where}` : 'not in the cache', remote: new Map() };
    let first: { readonly index: number; readonly lock: StepLock } | undefined;
    if (!live) {
      found = await findResumePoint(lookup, base, signal);
      if (s.write) {
        const locked = await lockFirstToRun(lookup, base, found, signal);
        found = locked.found;
        if (locked.lock) first = { index: found.resume?.provisioners ?? 0, lock: locked.lock };
      }
      // An expired entry is recorded afresh; what was chained below it goes first (a qemu layer's children).
      const expired = found.expiredAt !== undefined ? chain.steps[found.expiredAt] : undefined;
      if (s.write && expired) this.#store.removeWithDescendants(expired.key);
    }
    const skip = live?.provisioners ?? found.resume?.provisioners ?? 0;
    const record = s.write && chain.steps.length > skip && (!live || this.#reachable(chain, skip, live.where));
    const recorder = new StepRecorder({ dir: s.dir, build: this.#build.name, chain, store: this.#store, ui: this.#ui, report: this.#report, now }, record, [chain.baseKey, ...chain.steps.slice(0, skip).map((step) => step.key)], first);
    if (s.resume && skip === 0 && !live) {
      this.#ui.say(`No cached steps of ${this.#build.name} to resume from: running every step${s.write ? ' (recording them)' : ''}.`);
    }
    const answer: CacheStart = { baseKey: chain.baseKey, ...(found.resume ? { resume: found.resume } : {}), steps, record };
    this.#started = { answer, chain, found, skip, recorder, ...(live ? { live: live.where } : {}) };
    return answer;
  }

  /**
   * Whether entries recorded after the `skip` steps that ran in the kept machine `where`
   * could be found: only when the cache holds those steps (a lookup walks the chain from
   * step 1). Otherwise says once that the rest is not recorded.
   */
  #reachable(chain: KeyedChain, skip: number, where: string): boolean {
    if (chain.steps.slice(0, skip).every((step) => this.#store.read(step.key).kind === 'hit')) return true;
    const total = this.#build.provisioners.length;
    const rest = skip + 1 === total ? `step ${total}: a later build could not start from it` : `steps ${skip + 1}–${total}: a later build could not start from them`;
    const ran = skip === 1 ? 'step 1 (it ran' : `steps 1–${skip} (they ran`;
    this.#ui.say(`Not recording ${rest}, as the step cache does not hold ${ran} in the kept ${where}).`);
    return false;
  }

  begin(machine: MachineSnapshots | undefined): number {
    if (this.#build.provisioners.length === 0) return 0;
    const st = this.#started;
    if (!st) {
      this.#report.uncacheable(`the ${this.#build.builderType} builder cannot snapshot its machine: every step runs`);
      return 0;
    }
    // Resumed past every step, a builder has no machine to offer: nothing is left to record.
    if (!machine) st.recorder.stop();
    if (this.#settings.write) st.recorder.recordPulled(st.found.remote, st.skip);
    for (let i = 0; i < st.skip; i++) {
      const step = st.chain.steps[i];
      if (st.live !== undefined) {
        this.#report.resumed(i + 1, step?.key ?? '', st.live);
        continue;
      }
      if (!step) break;
      this.#store.touch(step.key);
      this.#report.hit(i + 1, step.key);
    }
    if (st.chain.barrier && st.chain.barrier.index < 0) this.#report.barrier(st.chain.barrier);
    return st.skip;
  }

  before(i: number): void {
    const st = this.#started;
    if (!st) return;
    if (st.chain.barrier?.index === i) this.#report.barrier(st.chain.barrier);
    const step = st.chain.steps[i];
    if (!step) return;
    this.#report.miss(i + 1, step.key, i === st.skip ? st.found.missReason : 'an earlier step ran');
    st.recorder.claim(i);
  }

  async after(i: number, machine: MachineSnapshots | undefined, continued: boolean, signal: AbortSignal): Promise<void> {
    await this.#started?.recorder.record(i, machine, continued, signal);
  }

  end(): void {
    this.#started?.recorder.end();
  }

  /** After a failed build: which leading steps the cache holds, and how to go on (see `StepReporter.failureHint`). */
  failureHint(): string | undefined {
    return this.#report.failureHint();
  }

  /** Every step's last status, in order (for the manifest). */
  reports(): StepReport[] {
    return this.#report.reports();
  }
}
