/**
 * `kiln plan`'s view of each build: the components it names, each decoded and prepared
 * as `kiln build` prepares it (`decodeAndPrepare`, the same call core's prepare makes)
 * when its component is available, or listed as needing its plugin when not; and the
 * whole build's fingerprint (`core/fingerprint`), computed without contacting anything.
 */
import type { Diagnostic } from '../hcl/diagnostic.js';
import type { BuildFingerprint, KeyableBuild, KeyablePart } from '../core/fingerprint/build-fingerprint.js';
import { fingerprintParts } from '../core/fingerprint/build-fingerprint.js';
import type { FingerprintContext } from '../core/fingerprint/fingerprint.js';
import { decodeAndPrepare } from '../core/prepare.js';
import type { Requirement } from '../external/registry.js';
import { fromPlugin } from '../external/registry.js';
import type { ComponentRegistry, PackerConfig } from '../sdk/component.js';
import { isRuntimeSpec } from '../sdk/schema/spec.js';
import type { BuildSpec, ComponentSpec } from '../template/model.js';

type PartKind = KeyablePart['kind'];

/** Where a component comes from. */
export type ComponentOrigin =
  | { readonly kind: 'builtin' }
  /** An installed plugin; `plugin` is its required_plugins name when the template names it. */
  | { readonly kind: 'plugin'; readonly plugin?: Requirement }
  /** No installed component has this type: `plugin` is the required_plugins entry that would provide it, when there is one. */
  | { readonly kind: 'missing'; readonly plugin?: Requirement };

/** One component of a planned build. */
export interface PlannedComponent {
  readonly kind: PartKind;
  readonly type: string;
  /** The provisioner's or post-processor's name, when it has one. */
  readonly name?: string;
  readonly origin: ComponentOrigin;
}

export interface PlannedBuild {
  readonly name: string;
  /** `source.<type>.<name>` as the build block refers to it. */
  readonly source: string;
  readonly builder: PlannedComponent;
  readonly provisioners: readonly PlannedComponent[];
  readonly postProcessors: readonly (readonly PlannedComponent[])[];
  readonly fingerprint: BuildFingerprint;
}

export interface PlanResult {
  readonly builds: PlannedBuild[];
  readonly diagnostics: Diagnostic[];
  /** Sensitive strings the components' decode found: mask them in all output. */
  readonly secrets: string[];
}

/**
 * Plans `builds`: prepares every available component (its diagnostics are the plan's),
 * and fingerprints each build with `ctx` (whose `sensitive` the caller completes with
 * `secrets` as they are found: pass a mutable array).
 */
export async function planBuilds(
  builds: readonly BuildSpec[],
  registry: ComponentRegistry,
  requirements: readonly Requirement[],
  packerFor: (b: BuildSpec) => PackerConfig,
  ctx: FingerprintContext,
): Promise<PlanResult> {
  const out: PlannedBuild[] = [];
  const diagnostics: Diagnostic[] = [];
  const secrets: string[] = [];
  const signal = new AbortController().signal;
  for (const build of builds) {
    const packer = packerFor(build);
    let generatedKeys: readonly string[] = [];
    const part = async (kind: PartKind, spec: ComponentSpec, name?: string): Promise<{ keyable: KeyablePart; planned: PlannedComponent }> => {
      const plugin = requirements.find((r) => fromPlugin(r.name, spec.type));
      const definition = registry.has(kind, spec.type) ? await registry.load(kind, spec.type) : undefined;
      const named = name !== undefined && name !== '' ? { name } : {};
      if (definition?.kind !== kind) {
        return { keyable: { kind, spec }, planned: { kind, type: spec.type, ...named, origin: { kind: 'missing', ...(plugin ? { plugin } : {}) } } };
      }
      const r = await decodeAndPrepare(definition, spec, packer, signal, kind === 'builder' ? undefined : { keys: generatedKeys });
      diagnostics.push(...r.diagnostics);
      secrets.push(...r.secrets);
      if (kind === 'builder' && r.ok) generatedKeys = r.generatedData;
      const origin: ComponentOrigin = isRuntimeSpec(definition.schema) ? { kind: 'plugin', ...(plugin ? { plugin } : {}) } : { kind: 'builtin' };
      return { keyable: { kind, spec, schema: definition.schema }, planned: { kind, type: spec.type, ...named, origin } };
    };
    const builder = await part('builder', build.builder);
    const provisioners = [];
    for (const p of build.provisioners) provisioners.push(await part('provisioner', p, p.name));
    const chains = [];
    for (const chain of build.postProcessors) {
      const c = [];
      for (const pp of chain) c.push(await part('post-processor', pp, pp.name));
      chains.push(c);
    }
    const keyable: KeyableBuild = {
      name: build.name,
      builder: builder.keyable,
      generatedKeys,
      provisioners: provisioners.map((p) => p.keyable),
      postProcessors: chains.map((c) => c.map((p) => p.keyable)),
    };
    const fingerprint = await fingerprintParts(keyable, { ...ctx, sensitive: [...ctx.sensitive, ...secrets] });
    out.push({
      name: build.name,
      source: `source.${build.builder.type}.${build.sourceName}`,
      builder: builder.planned,
      provisioners: provisioners.map((p) => p.planned),
      postProcessors: chains.map((c) => c.map((p) => p.planned)),
      fingerprint,
    });
  }
  return { builds: out, diagnostics, secrets };
}
