/**
 * Fingerprints of a prepared build: its base (the builder), each provisioner chained
 * from the one before, each post-processor chain from the last provisioner, and the
 * whole build's key over all of them. Nothing is contacted: the source is keyed by its
 * configured reference unless the caller gives its identity (`KeyExtras.source`).
 */
import type { PreparedBuild } from '../prepare.js';
import type { Fingerprint, FingerprintContext, KeyExtras } from './fingerprint.js';
import { chainKey, fingerprintSpec } from './fingerprint.js';
import { volatileUses } from './volatile.js';

/** A whole build's fingerprint, for `kiln plan` and `-metadata-file`. */
export interface BuildFingerprint {
  /** The build's name (`docker.app`). */
  readonly build: string;
  /** The key of the whole build: base, provisioners and post-processors. */
  readonly key: string;
  readonly base: Fingerprint;
  /** One per provisioner, in order, each chained from the one before (the first from the base). */
  readonly steps: readonly Fingerprint[];
  /** One list per post-processor chain, each chained from the last step. */
  readonly postProcessors: readonly (readonly Fingerprint[])[];
  /** Every volatile expression of the build's components. */
  readonly volatile: readonly string[];
  /** The first barrier of the chain (base or provisioner), if any. */
  readonly barrier?: string;
}

/** Options of `fingerprintBuild`. */
export interface BuildKeyOptions {
  /** The builder's source identity (see `KeyExtras.source`). */
  readonly source?: string;
  /** The user's bust value; enters the base, so every key of the build changes with it. */
  readonly bust?: string;
}

/** The base fingerprint of `build`: its builder's config, source identity and bust value. */
export function fingerprintBase(build: PreparedBuild, ctx: FingerprintContext, extras: KeyExtras = {}): Promise<Fingerprint> {
  const spec = build.spec.builder;
  const volatile = extras.volatile ?? volatileUses(spec);
  return fingerprintSpec('builder', spec, build.builder.schema, undefined, null, ctx, { ...extras, volatile });
}

/** The fingerprint of `build`'s provisioner number `index` (0-based), chained from `parent`. */
export function fingerprintProvisioner(build: PreparedBuild, index: number, parent: string, ctx: FingerprintContext, extras: KeyExtras = {}): Promise<Fingerprint> {
  const p = build.provisioners[index];
  if (!p) throw new RangeError(`build ${build.spec.name} has no provisioner ${index}`);
  const volatile = extras.volatile ?? volatileUses(p.spec);
  return fingerprintSpec('provisioner', p.spec, p.definition.schema, build.generatedKeys, parent, ctx, { ...extras, volatile });
}

/** Every fingerprint of `build`, and the whole build's key. */
export async function fingerprintBuild(build: PreparedBuild, ctx: FingerprintContext, options: BuildKeyOptions = {}): Promise<BuildFingerprint> {
  const base = await fingerprintBase(build, ctx, {
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...(options.bust !== undefined ? { bust: options.bust } : {}),
  });
  const steps: Fingerprint[] = [];
  let parent = base.key;
  for (let i = 0; i < build.provisioners.length; i++) {
    const f = await fingerprintProvisioner(build, i, parent, ctx);
    steps.push(f);
    parent = f.key;
  }
  const chains: Fingerprint[][] = [];
  for (const chain of build.postProcessors) {
    const out: Fingerprint[] = [];
    let at = parent;
    for (const pp of chain) {
      const f = await fingerprintSpec('post-processor', pp.spec, pp.definition.schema, build.generatedKeys, at, ctx, { volatile: volatileUses(pp.spec) });
      out.push(f);
      at = f.key;
    }
    chains.push(out);
  }
  const all = [base, ...steps, ...chains.flat()];
  const barrier = [base, ...steps].find((f) => f.barrier !== undefined)?.barrier;
  return {
    build: build.spec.name,
    key: chainKey('build', parent, chains.map((c) => c.map((f) => f.key))),
    base,
    steps,
    postProcessors: chains,
    volatile: [...new Set(all.flatMap((f) => f.volatile))],
    ...(barrier !== undefined ? { barrier } : {}),
  };
}
