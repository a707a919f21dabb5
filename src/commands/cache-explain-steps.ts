/**
 * `kiln cache explain`'s analysis of one prepared build against the step cache's
 * entries, without the builder: no image is pulled or read, no machine started.
 *
 * The base key needs the source's identity (docker diff IDs, a disk's sha256), which
 * only the builder reads. The first step's entry records the identity it was keyed
 * with (`CacheEntry.base`): explain keys the base again with it, so a change in the
 * builder's config shows as a base miss with its diff; a change of the source's
 * content itself shows only in `kiln build` (explain says so). Then each provisioner is
 * keyed as the engine keys it, up to the first barrier: hit when its entry exists, else
 * the inputs that differ from the nearest entry for the same build and step.
 */
import type { CacheEntry } from '../core/cache/entry.js';
import { fingerprintBase, fingerprintProvisioner } from '../core/fingerprint/build-fingerprint.js';
import { diffInputs } from '../core/fingerprint/diff.js';
import type { FingerprintContext } from '../core/fingerprint/fingerprint.js';
import type { PreparedBuild } from '../core/prepare.js';
import { expiredReason, type FlagTtl } from '../core/cache/ttl.js';

export interface ExplainedStep {
  /** `base` or the 1-based provisioner position. */
  readonly index: number | 'base';
  readonly component: string;
  /** Undefined when it cannot be computed (nothing recorded to key the base with). */
  readonly key?: string;
  readonly status: 'hit' | 'miss' | 'uncacheable';
  /** Why it missed or cannot be cached; for a base hit, what was taken as recorded. */
  readonly reasons: readonly string[];
}

/** The age check of `explainBuild`: `-cache-ttl` and the clock. */
export interface ExplainTtl {
  readonly ttl?: FlagTtl;
  readonly now: number;
}

/**
 * Explains `build` against `entries` (every entry of the cache); `exists` tells whether
 * a key's entry is there; an entry older than its TTL (`age`) is a miss, as in kiln build.
 */
export async function explainBuild(build: PreparedBuild, ctx: FingerprintContext, entries: readonly CacheEntry[], exists: (key: string) => boolean, age: ExplainTtl = { now: Date.now() }): Promise<ExplainedStep[]> {
  const byKey = new Map(entries.map((e) => [e.key, e]));
  const name = build.spec.name;
  const mine = entries.filter((e) => e.build === name).sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
  const out: ExplainedStep[] = [];
  const builderType = build.spec.builder.type;
  const firsts = mine.filter((e) => e.index === 1);
  let parent: string | undefined;
  let stopped: string | undefined;

  let matched = false;
  for (const e of firsts) {
    if (!e.base) continue;
    const fp = await fingerprintBase(build, ctx, { source: e.base.identity });
    if (fp.barrier !== undefined) stopped = fp.barrier;
    if (fp.key !== e.parent) continue;
    parent = fp.key;
    matched = true;
    out.push({ index: 'base', component: builderType, key: fp.key, status: 'hit', reasons: [`source as recorded on ${e.created} (${e.base.identity}); kiln build reads it again`] });
    break;
  }
  if (!matched) {
    const latest = firsts.find((e) => e.base !== undefined);
    if (latest?.base) {
      const fp = await fingerprintBase(build, ctx, { source: latest.base.identity });
      if (fp.barrier !== undefined) stopped = fp.barrier;
      parent = fp.key;
      const diff = diffInputs(latest.base.inputs, fp.inputs);
      out.push({ index: 'base', component: builderType, key: fp.key, status: 'miss', reasons: diff.length > 0 ? diff : ['the builder or its cache-schema version changed'] });
    } else {
      const fp = await fingerprintBase(build, ctx, { source: '(not read)' });
      if (fp.barrier !== undefined) stopped = fp.barrier;
      const reasons = stopped !== undefined ? [stopped] : [firsts.length > 0 ? 'its entries do not record the base' : 'nothing recorded for this build yet (kiln build -cache records it)'];
      out.push({ index: 'base', component: builderType, status: stopped !== undefined ? 'uncacheable' : 'miss', reasons });
    }
  }
  if (stopped !== undefined && out[0]?.status !== 'uncacheable') out[0] = { ...(out[0] as ExplainedStep), status: 'uncacheable', reasons: [stopped] };

  let missed = false;
  for (let i = 0; i < build.provisioners.length; i++) {
    const component = build.provisioners[i]?.spec.type ?? '';
    if (stopped !== undefined) {
      out.push({ index: i + 1, component, status: 'uncacheable', reasons: [`caching stopped before: ${stopped}`] });
      continue;
    }
    if (parent === undefined) {
      out.push({ index: i + 1, component, status: 'miss', reasons: ['the base is not known'] });
      continue;
    }
    const fp = await fingerprintProvisioner(build, i, parent, ctx);
    if (fp.barrier !== undefined) {
      stopped = fp.barrier;
      out.push({ index: i + 1, component, key: fp.key, status: 'uncacheable', reasons: [fp.barrier] });
      continue;
    }
    const volatile = fp.volatile.map((v) => `uses ${v}: a new value every run`);
    const recorded = byKey.get(fp.key);
    const expired = recorded ? expiredReason(recorded.created, fp.ttl, age.ttl, age.now) : undefined;
    if (expired !== undefined) {
      out.push({ index: i + 1, component, key: fp.key, status: 'miss', reasons: [expired, ...volatile] });
      missed = true;
    } else if (exists(fp.key)) {
      out.push({ index: i + 1, component, key: fp.key, status: missed ? 'miss' : 'hit', reasons: missed ? ['an earlier step runs (its entry is there: kiln build records it again)', ...volatile] : volatile });
    } else {
      const same = mine.filter((e) => e.index === i + 1);
      const nearest = same.find((e) => e.parent === parent) ?? same[0];
      const reasons: string[] = [];
      if (!nearest) reasons.push(missed ? 'an earlier step changed (and this step was never recorded)' : 'never recorded');
      else {
        if (nearest.component !== component) reasons.push(`component: ${nearest.component} → ${component}`);
        else reasons.push(...diffInputs(nearest.inputs, fp.inputs));
        if (nearest.parent !== parent) reasons.push('an earlier step changed');
        if (reasons.length === 0) reasons.push('the component\'s cache-schema version or the bust value changed');
      }
      out.push({ index: i + 1, component, key: fp.key, status: 'miss', reasons: [...reasons, ...volatile] });
      missed = true;
    }
    parent = fp.key;
  }
  return out;
}
