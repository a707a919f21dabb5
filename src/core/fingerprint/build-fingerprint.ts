/**
 * Fingerprints of a prepared build: its base (the builder), each provisioner chained
 * from the one before, each post-processor chain from the last provisioner, and the
 * whole build's key over all of them. Nothing is contacted: the source is keyed by its
 * configured reference unless the caller gives its identity (`KeyExtras.source`).
 */
import * as cty from '../../hcl/cty/index.js';
import type { ComponentSchema } from '../../sdk/schema/spec.js';
import { RuntimeSpec } from '../../sdk/schema/spec.js';
import type { ComponentSpec } from '../../template/model.js';
import type { PreparedBuild } from '../prepare.js';
import type { Fingerprint, FingerprintContext, KeyExtras } from './fingerprint.js';
import { chainKey, fingerprintComponent, fingerprintSpec } from './fingerprint.js';
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
  const bust = extras.bust ?? ctx.bust;
  const side = ctx.side?.get(build.spec.name)?.base;
  return fingerprintSpec('builder', spec, build.builder.schema, undefined, null, ctx, { ...extras, volatile, ...(bust !== undefined ? { bust } : {}), ...(side ? { side } : {}) });
}

/** The fingerprint of `build`'s provisioner number `index` (0-based), chained from `parent`. */
export function fingerprintProvisioner(build: PreparedBuild, index: number, parent: string, ctx: FingerprintContext, extras: KeyExtras = {}): Promise<Fingerprint> {
  const p = build.provisioners[index];
  if (!p) throw new RangeError(`build ${build.spec.name} has no provisioner ${index}`);
  const volatile = extras.volatile ?? volatileUses(p.spec);
  const side = ctx.side?.get(build.spec.name)?.steps[index];
  return fingerprintSpec('provisioner', p.spec, p.definition.schema, build.generatedKeys, parent, ctx, { ...extras, volatile, ...(side ? { side } : {}) });
}

/** A component of a build to key: its spec and, when its component is installed, its schema. */
export interface KeyablePart {
  readonly kind: 'builder' | 'provisioner' | 'post-processor';
  readonly spec: ComponentSpec;
  /** Undefined when no installed component has this type: its raw config is keyed (`ComponentSpec.raw`). */
  readonly schema?: ComponentSchema;
}

/** A build as `fingerprintParts` keys it: a prepared build, or `kiln plan`'s view of one whose plugins may be missing. */
export interface KeyableBuild {
  readonly name: string;
  readonly builder: KeyablePart;
  /** The builder's generated-data keys (empty when its plugin is missing). */
  readonly generatedKeys: readonly string[];
  readonly provisioners: readonly KeyablePart[];
  readonly postProcessors: readonly (readonly KeyablePart[])[];
}

/** `build` as a KeyableBuild. */
export function keyableBuild(build: PreparedBuild): KeyableBuild {
  return {
    name: build.spec.name,
    builder: { kind: 'builder', spec: build.spec.builder, schema: build.builder.schema },
    generatedKeys: build.generatedKeys,
    provisioners: build.provisioners.map((p) => ({ kind: 'provisioner', spec: p.spec, schema: p.definition.schema })),
    postProcessors: build.postProcessors.map((c) => c.map((p) => ({ kind: 'post-processor', spec: p.spec, schema: p.definition.schema }))),
  };
}

/** Every fingerprint of `build`, and the whole build's key. */
export function fingerprintBuild(build: PreparedBuild, ctx: FingerprintContext, options: BuildKeyOptions = {}): Promise<BuildFingerprint> {
  return fingerprintParts(keyableBuild(build), ctx, options);
}

const NO_SCHEMA = new RuntimeSpec({ kind: 'object', attributes: {} });

function keyPart(part: KeyablePart, keys: readonly string[] | undefined, parent: string | null, ctx: FingerprintContext, extras: KeyExtras = {}): Promise<Fingerprint> {
  const volatile = extras.volatile ?? volatileUses(part.spec);
  if (part.schema) return fingerprintSpec(part.kind, part.spec, part.schema, keys, parent, ctx, { ...extras, volatile });
  const value = part.spec.raw?.(keys ? { keys } : undefined) ?? cty.emptyObjectVal;
  return fingerprintComponent({ kind: part.kind, type: part.spec.type, schema: NO_SCHEMA, value }, parent, ctx, { ...extras, volatile });
}

/** Every fingerprint of a KeyableBuild, and the whole build's key. */
export async function fingerprintParts(build: KeyableBuild, ctx: FingerprintContext, options: BuildKeyOptions = {}): Promise<BuildFingerprint> {
  const side = ctx.side?.get(build.name);
  const base = await keyPart(build.builder, undefined, null, ctx, {
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...((options.bust ?? ctx.bust) !== undefined ? { bust: options.bust ?? ctx.bust } : {}),
    ...(side ? { side: side.base } : {}),
  });
  const steps: Fingerprint[] = [];
  let parent = base.key;
  for (const [i, p] of build.provisioners.entries()) {
    const stepSide = side?.steps[i];
    const f = await keyPart(p, build.generatedKeys, parent, ctx, stepSide ? { side: stepSide } : {});
    steps.push(f);
    parent = f.key;
  }
  const chains: Fingerprint[][] = [];
  for (const chain of build.postProcessors) {
    const out: Fingerprint[] = [];
    let at = parent;
    for (const pp of chain) {
      const f = await keyPart(pp, build.generatedKeys, at, ctx);
      out.push(f);
      at = f.key;
    }
    chains.push(out);
  }
  const all = [base, ...steps, ...chains.flat()];
  const barrier = [base, ...steps].find((f) => f.barrier !== undefined)?.barrier;
  return {
    build: build.name,
    key: chainKey('build', parent, chains.map((c) => c.map((f) => f.key))),
    base,
    steps,
    postProcessors: chains,
    volatile: [...new Set(all.flatMap((f) => f.volatile))],
    ...(barrier !== undefined ? { barrier } : {}),
  };
}
