/**
 * What the step cache says about each step of a build: one `step-cache` event per
 * verdict (the human line `[2/5] shell: CACHED 41e4fbdff2dc`, `-machine-readable`'s
 * `cache` line, the JSON stream's event), and each provisioner's last status, which the
 * manifest records and a failed build's hint reads.
 */
import type { StepCacheRecord } from '../../sdk/component.js';
import type { StepCacheEvent, StepCacheStatus } from '../ui/events.js';
import type { Barrier } from './chain.js';
import { shortKey } from './paths.js';

/** The parts of a build the reports name. */
export interface ReportedBuild {
  readonly builderType: string;
  /** Provisioner types in order. */
  readonly provisioners: readonly string[];
}

/** Sends one verdict (the build and target are the caller's). */
export type Emit = (e: Omit<StepCacheEvent, 'kind' | 'build' | 'target'>) => void;

/** The verdicts of one build's steps. Indexes are 1-based provisioner positions, 0 the base. */
export class StepReporter {
  readonly #build: ReportedBuild;
  readonly #emit: Emit;
  readonly #reports = new Map<number, StepCacheRecord>();

  constructor(build: ReportedBuild, emit: Emit) {
    this.#build = build;
    this.#emit = emit;
  }

  /** Step `index` is skipped: its entry was found (`CACHED <short key>`). */
  hit(index: number, key: string): void {
    this.#event(index, 'hit', key, undefined, `CACHED ${shortKey(key)}`);
  }

  /**
   * Step `index` ran in `where` (`container d77ef64b2654`), the machine a failed run kept
   * and this build goes on in, so it is skipped: `resumed`, not a cache hit (the cache may
   * not hold it, and the failure hint does not count it).
   */
  resumed(index: number, key: string, where: string): void {
    const reason = `ran in the kept ${where}`;
    this.#event(index, 'resumed', key, reason, `RESUMED (${reason})`);
  }

  /** Step `index` runs: `reason` says why the cache did not have it. */
  miss(index: number, key: string, reason: string): void {
    this.#event(index, 'miss', key, reason, `miss: ${reason}`);
  }

  /** Step `index` ran and its entry was published, `secs` after it ended. */
  recorded(index: number, key: string, secs: string): void {
    this.#event(index, 'recorded', key, undefined, `recorded ${shortKey(key)} (${secs} s)`);
  }

  /** Nothing of the build is cached: `reason` says why (index 0, the base). */
  uncacheable(reason: string): void {
    this.#event(0, 'uncacheable', '', reason, `not cached: ${reason}`);
  }

  /** Caching stops at `barrier`: said once, at the base or at the barrier's step. */
  barrier(b: Barrier): void {
    if (b.index < 0) this.uncacheable(`${b.reason}: every step runs`);
    else {
      const reason = `${b.reason}: steps ${b.index + 1}–${this.#build.provisioners.length} run without the cache`;
      this.#event(b.index + 1, 'uncacheable', '', reason, `not cached: ${reason}`);
    }
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

  /** Every provisioner's last status, in order (for the manifest). */
  reports(): StepCacheRecord[] {
    return [...this.#reports.values()].sort((a, b) => a.index - b.index);
  }

  #event(index: number, status: StepCacheStatus, key: string, reason: string | undefined, word: string): void {
    const total = this.#build.provisioners.length;
    const t = index === 0 ? this.#build.builderType : (this.#build.provisioners[index - 1] ?? '');
    const where = index === 0 ? '[base]' : `[${index}/${total}]`;
    if (index > 0) this.#reports.set(index, { index, type: t, key, status });
    this.#emit({ index, type: t, status, key, ...(reason !== undefined ? { reason } : {}), text: `${where} ${t}: ${word}` });
  }
}
