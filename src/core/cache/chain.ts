/**
 * A build's chain of step keys, as the step cache engine uses it: the base (the
 * builder's config and source) and each provisioner chained from the one before, up to
 * the first barrier, the step kiln cannot replay safely. Past the barrier no step is
 * keyed, looked up or recorded. Also how a link of the chain becomes a cache entry.
 */
import type { SnapshotRef } from '../../sdk/component.js';
import type { Ui } from '../../sdk/ui.js';
import type { CacheEntry } from './entry.js';
import type { KeyedStep, StepKeyer } from './keyer.js';

/** Where caching stops and why; `index` is the provisioner (0-based), -1 for the base. */
export interface Barrier {
  readonly index: number;
  readonly reason: string;
}

/** The keys of one build, from its base to the step before its first barrier. */
export interface KeyedChain {
  readonly baseKey: string;
  /** What the first step's entry records of the base (for `kiln cache explain`). */
  readonly baseRecord: NonNullable<CacheEntry['base']>;
  /** The cacheable provisioners, in order: `steps[i]` is provisioner `i`. */
  readonly steps: readonly KeyedStep[];
  readonly barrier?: Barrier;
}

/**
 * Keys the base from the builder's source `identity`, then provisioners `0..count-1`
 * until one is a barrier. A step that uses a volatile expression (`timestamp()`) is
 * keyed all the same, and `ui` is warned, naming the expression: it can never hit.
 */
export async function keyChain(keyer: StepKeyer, identity: string, count: number, ui: Ui): Promise<KeyedChain> {
  const base = await keyer.base(identity);
  const baseRecord = { identity, inputs: base.inputs };
  if (base.barrier !== undefined) return { baseKey: base.key, baseRecord, steps: [], barrier: { index: -1, reason: base.barrier } };
  const steps: KeyedStep[] = [];
  let parent = base.key;
  for (let i = 0; i < count; i++) {
    const fp = await keyer.step(i, parent);
    if (fp.barrier !== undefined) return { baseKey: base.key, baseRecord, steps, barrier: { index: i, reason: fp.barrier } };
    for (const v of fp.volatile) ui.error(`Warning: step ${i + 1} (${fp.component}) can never hit the cache: it uses ${v}`);
    steps.push(fp);
    parent = fp.key;
  }
  return { baseKey: base.key, baseRecord, steps };
}

/**
 * The cache entry of provisioner `i` of `chain` (0-based) in build `build`, whose
 * machine was saved as `snapshot` at `now` (ms since the epoch). The first step's entry
 * also records the base it chains from.
 */
export function entryOf(chain: KeyedChain, build: string, i: number, snapshot: SnapshotRef, now: number): CacheEntry {
  const step = chain.steps[i] as KeyedStep;
  return {
    v: 1,
    key: step.key,
    parent: i === 0 ? chain.baseKey : (chain.steps[i - 1] as KeyedStep).key,
    build,
    index: i + 1,
    component: step.component,
    inputs: step.inputs,
    snapshot,
    created: new Date(now).toISOString(),
    ...(i === 0 ? { base: chain.baseRecord } : {}),
  };
}
