/**
 * The step cache engine of one build. The builder meets it as `BuildContext.cache`
 * (`start`: where to create the machine from); the provision hook as `StepCacheHooks`
 * (which provisioners to skip, and recording after each one that ran).
 *
 * - `start` keys the base and each provisioner up to the first barrier, finds the
 *   longest prefix whose entries exist AND whose snapshots the builder confirms, and
 *   answers with that `ResumePoint`. If another build holds the lock of the first step
 *   to run, it waits for that build to publish it, then looks again: two builds of one
 *   template share work.
 * - After each cacheable step that ran, the hook asks the builder for a snapshot under
 *   the step's key, then publishes the entry (last, atomically; see store.ts).
 * - An entry older than its step's TTL (`-cache-ttl`, the side file's `ttl`) is a miss;
 *   with writing on, it and the entries chained below it are dropped first, so the step's
 *   new result (and a qemu layer's children) is recorded afresh, never over a stale chain.
 * - Steps found only in the `-cache-from` registry get local entries once the builder has
 *   started from them, so the next build hits without the registry.
 * - Cache trouble (corrupt entry, failed snapshot, disk full) is a warning and a miss,
 *   never a failed build.
 */
import type { BuildCache, CacheBase, CacheStart, MachineSnapshots, ResumePoint, SnapshotRef, StepCacheRecord } from '../../sdk/component.js';
import type { Ui } from '../../sdk/ui.js';
import { sleep } from '../../support/sleep.js';
import type { StepCacheEvent, StepCacheStatus } from '../ui/events.js';
import type { CacheEntry } from './entry.js';
import type { KeyedStep, StepKeyer } from './keyer.js';
import { openLease, tryLockStep, type Lease, type StepLock } from './locks.js';
import { shortKey } from './paths.js';
import type { StepStore } from './store.js';
import { expiredReason, type FlagTtl } from './ttl.js';

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

type Emit = (e: Omit<StepCacheEvent, 'kind' | 'build' | 'target'>) => void;

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
  readonly #emit: Emit;
  #started: CacheStart | undefined;
  #baseKey = '';
  /** What the first step's entry records of the base (for `kiln cache explain`). */
  #baseRecord: CacheEntry['base'];
  #chain: KeyedStep[] = [];
  /** `index`: the provisioner (0-based) where caching stops; -1 for the base. */
  #barrier: { readonly index: number; readonly reason: string } | undefined;
  #skip = 0;
  #recording = false;
  #firstMissReason = 'not in the cache';
  /** `CacheBase.live`'s machine: the skipped steps ran in it, not from the cache. */
  #live: string | undefined;
  /** The chain index of the first step whose entry expired, if one did. */
  #expiredAt: number | undefined;
  /** Steps the `-cache-from` registry answered for past the local prefix: chain index → its ref. */
  #remote = new Map<number, SnapshotRef>();
  readonly #locks = new Map<number, StepLock>();
  #lease: Lease | undefined;
  readonly #reports = new Map<number, StepReport>();

  constructor(settings: CacheSettings, build: BuildIdentity, store: StepStore, keyer: StepKeyer, ui: Ui, emit: Emit) {
    this.#settings = settings;
    this.#build = build;
    this.#store = store;
    this.#keyer = keyer;
    this.#ui = ui;
    this.#emit = emit;
    this.layers = `${settings.dir}/layers`;
    this.ramState = settings.ramState === true;
    this.write = settings.write;
    this.remote = { ...(settings.from !== undefined ? { from: settings.from } : {}), ...(settings.to !== undefined ? { to: settings.to } : {}) };
  }

  async start(base: CacheBase, signal: AbortSignal): Promise<CacheStart> {
    if (this.#started) return this.#started;
    const steps = this.#build.provisioners.length;
    const baseFp = await this.#keyer.base(base.identity);
    this.#baseKey = baseFp.key;
    this.#baseRecord = { identity: base.identity, inputs: baseFp.inputs };
    if (baseFp.barrier !== undefined) this.#barrier = { index: -1, reason: baseFp.barrier };
    let parent = baseFp.key;
    for (let i = 0; i < steps && this.#barrier === undefined; i++) {
      const fp = await this.#keyer.step(i, parent);
      if (fp.barrier !== undefined) {
        this.#barrier = { index: i, reason: fp.barrier };
        break;
      }
      for (const v of fp.volatile) this.#ui.error(`Warning: step ${i + 1} (${fp.component}) can never hit the cache: it uses ${v}`);
      this.#chain.push(fp);
      parent = fp.key;
    }
    // Going on in a live machine a failed run kept: its steps are not looked up.
    const live = base.live;
    let resume = live ? undefined : await this.#find(base, signal);
    if (this.#settings.write && !live) resume = await this.#lockNext(base, resume, signal);
    // An expired entry is recorded afresh; what was chained below it goes first (a qemu layer's children).
    const expired = this.#expiredAt !== undefined ? this.#chain[this.#expiredAt] : undefined;
    if (this.#settings.write && !live && expired) this.#store.removeWithDescendants(expired.key);
    this.#skip = live?.provisioners ?? resume?.provisioners ?? 0;
    if (live) {
      this.#live = live.where;
      this.#firstMissReason = `runs in the kept ${live.where}`;
    }
    this.#recording = this.#settings.write && this.#chain.length > this.#skip;
    this.#lease = openLease(this.#settings.dir, [this.#baseKey, ...this.#chain.slice(0, this.#skip).map((s) => s.key)]);
    if (this.#settings.resume && this.#skip === 0 && !live) {
      this.#ui.say(`No cached steps of ${this.#build.name} to resume from: running every step${this.#settings.write ? ' (recording them)' : ''}.`);
    }
    this.#started = { baseKey: this.#baseKey, ...(resume ? { resume } : {}), steps, record: this.#recording };
    return this.#started;
  }

  /** The deepest step whose entry exists and whose snapshot the builder confirms. */
  async #find(base: CacheBase, signal: AbortSignal): Promise<ResumePoint | undefined> {
    const found: CacheEntry[] = [];
    this.#firstMissReason = 'not in the cache';
    this.#expiredAt = undefined;
    const now = this.#settings.now?.() ?? Date.now();
    for (const [i, step] of this.#chain.entries()) {
      const r = this.#store.read(step.key);
      if (r.kind === 'corrupt') {
        this.#ui.error(`Warning: the cache entry ${shortKey(step.key)} is unreadable (${r.reason}); treating it as a miss`);
        this.#store.remove(step.key);
        this.#firstMissReason = 'its cache entry was corrupt';
      }
      if (r.kind !== 'hit') break;
      const expired = expiredReason(r.entry.created, step.ttl, this.#settings.ttl, now);
      if (expired !== undefined) {
        this.#firstMissReason = expired;
        this.#expiredAt = i;
        break;
      }
      found.push(r.entry);
    }
    for (let j = found.length - 1; j >= 0; j--) {
      const entry = found[j] as CacheEntry;
      const ref = await base.lookup(entry.key, entry.snapshot, signal);
      if (ref) return this.#extendRemote(base, { snapshot: ref, provisioners: j + 1, key: entry.key }, signal);
      this.#firstMissReason = 'its snapshot is gone';
    }
    return this.#extendRemote(base, undefined, signal);
  }

  /** With `-cache-from`, asks the builder for snapshots by key past the local prefix. */
  async #extendRemote(base: CacheBase, local: ResumePoint | undefined, signal: AbortSignal): Promise<ResumePoint | undefined> {
    this.#remote.clear();
    // A registry image has no recorded time: past an expired local entry, the step runs.
    if (this.#settings.from === undefined || this.#expiredAt !== undefined) return local;
    let best = local;
    for (let i = local?.provisioners ?? 0; i < this.#chain.length; i++) {
      const key = (this.#chain[i] as KeyedStep).key;
      const ref = await base.lookup(key, undefined, signal);
      if (!ref) break;
      this.#remote.set(i, ref);
      best = { snapshot: ref, provisioners: i + 1, key };
    }
    return best;
  }

  /** Records local entries for the steps the builder started from out of the `-cache-from` registry. */
  #recordPulled(): void {
    if (!this.#settings.write || this.#remote.size === 0) return;
    let recorded = 0;
    for (const [i, ref] of [...this.#remote].sort((a, b) => a[0] - b[0])) {
      if (i >= this.#skip) break;
      const step = this.#chain[i] as KeyedStep;
      const published = this.#store.publish(this.#entryOf(i, step, ref));
      if (typeof published === 'object') {
        this.#ui.error(`Warning: could not record step ${i + 1}, pulled from the cache registry, in the local cache: ${published.error}`);
        return;
      }
      recorded++;
    }
    if (recorded > 0) this.#ui.say(`Recorded ${recorded} step${recorded === 1 ? '' : 's'} found in the cache registry in the local step cache.`);
  }

  #entryOf(i: number, step: KeyedStep, snapshot: SnapshotRef): CacheEntry {
    return {
      v: 1,
      key: step.key,
      parent: i === 0 ? this.#baseKey : (this.#chain[i - 1] as KeyedStep).key,
      build: this.#build.name,
      index: i + 1,
      component: step.component,
      inputs: step.inputs,
      snapshot,
      created: new Date(this.#settings.now?.() ?? Date.now()).toISOString(),
      ...(i === 0 && this.#baseRecord ? { base: this.#baseRecord } : {}),
    };
  }

  /** Takes the lock of the first step to run; while another build holds it, waits and looks again. */
  async #lockNext(base: CacheBase, found: ResumePoint | undefined, signal: AbortSignal): Promise<ResumePoint | undefined> {
    let resume = found;
    let said = '';
    for (;;) {
      const next = resume?.provisioners ?? 0;
      const step = this.#chain[next];
      if (!step || signal.aborted) return resume;
      const lock = tryLockStep(this.#settings.dir, step.key);
      if (!('heldBy' in lock)) {
        this.#locks.set(next, lock);
        return resume;
      }
      if (lock.heldBy < 0) return resume; // The lock cannot be taken: run without it.
      if (said !== step.key) this.#ui.say(`Waiting for another build (pid ${lock.heldBy}) that is running step ${next + 1} (${step.component}) ${shortKey(step.key)}...`);
      said = step.key;
      if (!(await sleep(this.#settings.pollMs ?? 250, signal))) return resume;
      resume = await this.#find(base, signal);
    }
  }

  begin(machine: MachineSnapshots | undefined): number {
    const total = this.#build.provisioners.length;
    if (total === 0) return 0;
    if (!this.#started) {
      this.#recording = false;
      this.#event(0, 'uncacheable', '', `the ${this.#build.builderType} builder cannot snapshot its machine: every step runs`);
      return 0;
    }
    // Resumed past every step, a builder has no machine to offer: nothing is left to record.
    if (!machine) this.#recording = false;
    this.#recordPulled();
    for (let i = 0; i < this.#skip; i++) {
      const step = this.#chain[i];
      if (this.#live !== undefined) {
        this.#event(i + 1, 'hit', step?.key ?? '', undefined, `ran in the kept ${this.#live}`);
        continue;
      }
      if (!step) break;
      this.#store.touch(step.key);
      this.#event(i + 1, 'hit', step.key);
    }
    if (this.#barrier && this.#barrier.index < 0) this.#barrierEvent();
    return this.#skip;
  }

  before(i: number): void {
    if (this.#barrier?.index === i) this.#barrierEvent();
    const step = this.#chain[i];
    if (!step) return;
    const reason = i === this.#skip ? this.#firstMissReason : 'an earlier step ran';
    this.#event(i + 1, 'miss', step.key, reason);
    if (!this.#recording || this.#locks.has(i)) return;
    const lock = tryLockStep(this.#settings.dir, step.key);
    if ('heldBy' in lock) {
      if (lock.heldBy > 0) this.#ui.say(`Another build (pid ${lock.heldBy}) is recording step ${i + 1} too: this one will not record it.`);
      return;
    }
    this.#locks.set(i, lock);
  }

  async after(i: number, machine: MachineSnapshots | undefined, continued: boolean, signal: AbortSignal): Promise<void> {
    const step = this.#chain[i];
    const lock = this.#locks.get(i);
    this.#locks.delete(i);
    try {
      if (!step || !machine || !this.#recording || !lock) return;
      if (continued) {
        this.#recording = false;
        this.#ui.say(`Step ${i + 1} failed and continue_on_error went on: no later step is recorded.`);
        return;
      }
      const t0 = performance.now();
      const snap = await machine.snapshot(step.key, signal);
      if (snap.kind === 'error') {
        this.#recording = false;
        // A snapshot a Ctrl-C cut short is not a problem to report: the build is ending anyway.
        if (!signal.aborted) this.#ui.error(`Warning: could not save the machine after step ${i + 1}: ${snap.error.message}; later steps are not recorded`);
        return;
      }
      const published = this.#store.publish(this.#entryOf(i, step, snap.value));
      if (typeof published === 'object') {
        this.#ui.error(`Warning: could not record step ${i + 1} in the cache: ${published.error}`);
        return;
      }
      this.#lease?.add([step.key]);
      const secs = ((performance.now() - t0) / 1000).toFixed(2);
      this.#event(i + 1, 'recorded', step.key, undefined, `recorded ${shortKey(step.key)} (${secs} s)`);
      // The next step's lock before this one's goes: a build waiting on this one then
      // resumes here and waits again, instead of racing this build for the next step.
      this.#lockAhead(i + 1);
    } finally {
      lock?.release();
    }
  }

  #lockAhead(i: number): void {
    const next = this.#chain[i];
    if (!next || this.#locks.has(i)) return;
    const lock = tryLockStep(this.#settings.dir, next.key);
    if (!('heldBy' in lock)) this.#locks.set(i, lock);
  }

  end(): void {
    for (const lock of this.#locks.values()) lock.release();
    this.#locks.clear();
    this.#lease?.release();
    this.#lease = undefined;
  }

  /**
   * After a failed build: which leading steps the cache holds, and how to go on from
   * there (`Steps 1–3 are in the step cache: fix the failing step and run ...`);
   * undefined when it holds none of them.
   */
  failureHint(): string | undefined {
    let saved = 0;
    for (let i = 1; this.#reports.get(i)?.status === 'hit' || this.#reports.get(i)?.status === 'recorded'; i++) saved = i;
    if (saved === 0) return undefined;
    const steps = saved === 1 ? 'Step 1 is' : `Steps 1–${saved} are`;
    return `${steps} in the step cache: fix the failing step and run kiln build -resume (or -cache) to go on from step ${saved + 1}.`;
  }

  /** Every step's last status, in order (for the manifest). */
  reports(): StepReport[] {
    return [...this.#reports.values()].sort((a, b) => a.index - b.index);
  }

  #barrierEvent(): void {
    const b = this.#barrier;
    if (!b) return;
    if (b.index < 0) this.#event(0, 'uncacheable', '', `${b.reason}: every step runs`);
    else this.#event(b.index + 1, 'uncacheable', '', `${b.reason}: steps ${b.index + 1}–${this.#build.provisioners.length} run without the cache`);
  }

  #event(index: number, status: StepCacheStatus, key: string, reason?: string, text?: string): void {
    const total = this.#build.provisioners.length;
    const t = index === 0 ? this.#build.builderType : (this.#build.provisioners[index - 1] ?? '');
    const where = index === 0 ? '[base]' : `[${index}/${total}]`;
    const word = text !== undefined ? text : status === 'hit' ? `CACHED ${shortKey(key)}` : status === 'miss' ? `miss: ${reason ?? ''}` : status === 'uncacheable' ? `not cached: ${reason ?? ''}` : '';
    if (index > 0) this.#reports.set(index, { index, type: t, key, status });
    this.#emit({ index, type: t, status, key, ...(reason !== undefined ? { reason } : {}), text: `${where} ${t}: ${word}` });
  }
}
