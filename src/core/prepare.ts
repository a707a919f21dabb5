/**
 * Prepare (Packer's GetBuilds): load each build's components from the registry, decode
 * their configs against their schemas, and run their own checks. A build with errors
 * is reported and left out; the others still run.
 */
import type { Diagnostic } from '../hcl/diagnostic.js';
import { hasErrors } from '../hcl/diagnostic.js';
import type { BuilderDefinition, CommunicatorLookup, ComponentDefinition, ComponentKind, ComponentRegistry, PackerConfig, PostProcessorDefinition, ProvisionerDefinition } from '../sdk/component.js';
import { communicatorLookup } from '../sdk/component.js';
import type { PrepareOutcome } from '../sdk/prepare-component.js';
import { prepareComponent } from '../sdk/prepare-component.js';
import type { BuildData, BuildSpec, ComponentSpec, PostProcessorSpec, ProvisionerSpec } from '../template/model.js';
import { unknownComponent } from '../template/unknown-component.js';

export interface PreparedProvisioner {
  readonly spec: ProvisionerSpec;
  readonly definition: ProvisionerDefinition;
}

export interface PreparedPostProcessor {
  readonly spec: PostProcessorSpec;
  readonly definition: PostProcessorDefinition;
}

export interface PreparedBuild {
  readonly spec: BuildSpec;
  readonly builder: BuilderDefinition;
  /** What the builder's prepare made of its config: what `run` receives. */
  readonly builderPrepared: unknown;
  /** The generated-data keys the builder's prepare gave (`build.<Key>`). */
  readonly generatedKeys: readonly string[];
  readonly provisioners: readonly PreparedProvisioner[];
  readonly errorCleanupProvisioner?: PreparedProvisioner;
  readonly postProcessors: readonly (readonly PreparedPostProcessor[])[];
  readonly packer: PackerConfig;
  /** The communicator components the builder may connect with. */
  readonly communicators: CommunicatorLookup;
}

export interface PrepareResult {
  readonly builds: PreparedBuild[];
  readonly diagnostics: Diagnostic[];
  /** Strings from sensitive values found in component configs. */
  readonly secrets: string[];
}

/**
 * Decodes a component's config (with the build's data for provisioners and
 * post-processors) and prepares it. Core calls it while preparing and again before a
 * provisioner or post-processor runs, with the real data, as Packer does.
 */
export async function decodeAndPrepare(
  definition: ComponentDefinition,
  spec: ComponentSpec,
  packer: PackerConfig,
  signal: AbortSignal,
  build?: BuildData,
): Promise<PrepareOutcome & { readonly secrets: readonly string[] }> {
  const decoded = spec.decode(definition.schema, build);
  if (hasErrors(decoded.diagnostics)) return { ok: false, diagnostics: decoded.diagnostics, secrets: decoded.secrets };
  const r = await prepareComponent(definition, decoded, { packer, signal });
  return { ...r, diagnostics: [...decoded.diagnostics, ...r.diagnostics], secrets: decoded.secrets };
}

export async function prepareBuilds(
  builds: readonly BuildSpec[],
  registry: ComponentRegistry,
  packerFor: (build: BuildSpec) => PackerConfig,
  signal: AbortSignal = new AbortController().signal,
): Promise<PrepareResult> {
  const out: PreparedBuild[] = [];
  const diagnostics: Diagnostic[] = [];
  const secrets: string[] = [];
  for (const spec of builds) {
    const diags: Diagnostic[] = [];
    const packer = packerFor(spec);
    const load = async (kind: ComponentKind, c: ComponentSpec): Promise<ComponentDefinition | undefined> => {
      const definition = await registry.load(kind, c.type);
      if (definition?.kind === kind) return definition;
      diags.push(unknownComponent(kind, c.type, registry, { quote: true, ...(c.range ? { subject: c.range } : {}) }));
      return undefined;
    };
    const prepare = async (definition: ComponentDefinition, c: ComponentSpec, build?: BuildData) => {
      const r = await decodeAndPrepare(definition, c, packer, signal, build);
      diags.push(...r.diagnostics);
      secrets.push(...r.secrets);
      return r;
    };
    // Packer's GetBuilds: the builder first; its prepare says the generated-data keys that
    // provisioners and post-processors are prepared with (as placeholders). A build whose
    // builder fails to prepare is left there, its other components unprepared.
    const builder = await load('builder', spec.builder);
    const builderPrepared = builder?.kind === 'builder' ? await prepare(builder, spec.builder) : undefined;
    if (builder?.kind !== 'builder' || !builderPrepared?.ok) {
      diagnostics.push(...diags);
      continue;
    }
    const build: BuildData = { keys: builderPrepared.generatedData };
    const provisioner = async (p: ProvisionerSpec): Promise<PreparedProvisioner | undefined> => {
      const definition = await load('provisioner', p);
      return definition?.kind === 'provisioner' && (await prepare(definition, p, build)).ok ? { spec: p, definition } : undefined;
    };
    const provisioners: PreparedProvisioner[] = [];
    for (const p of spec.provisioners) {
      const d = await provisioner(p);
      if (d) provisioners.push(d);
    }
    const cleanup = spec.errorCleanupProvisioner ? await provisioner(spec.errorCleanupProvisioner) : undefined;
    const chains: PreparedPostProcessor[][] = [];
    for (const chain of spec.postProcessors) {
      const prepared: PreparedPostProcessor[] = [];
      for (const pp of chain) {
        const definition = await load('post-processor', pp);
        if (definition?.kind === 'post-processor' && (await prepare(definition, pp, build)).ok) prepared.push({ spec: pp, definition });
      }
      chains.push(prepared);
    }
    diagnostics.push(...diags);
    if (hasErrors(diags)) continue;
    out.push({
      spec,
      builder,
      builderPrepared: builderPrepared.value,
      generatedKeys: builderPrepared.generatedData,
      provisioners,
      ...(cleanup ? { errorCleanupProvisioner: cleanup } : {}),
      postProcessors: chains,
      packer,
      communicators: communicatorLookup(registry),
    });
  }
  return { builds: out, diagnostics, secrets };
}
