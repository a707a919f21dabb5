/**
 * Prepare (Packer's GetBuilds): load each build's components from the registry, decode
 * their configs against their schemas, and run their own checks. A build with errors
 * is reported and left out; the others still run.
 */
import type { Diagnostic } from '../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../hcl/diagnostic.js';
import type { BuilderDefinition, CommunicatorLookup, ComponentKind, ComponentRegistry, PackerConfig, PostProcessorDefinition, ProvisionerDefinition } from '../sdk/component.js';
import { communicatorLookup } from '../sdk/component.js';
import type { BuildSpec, ComponentSpec, PostProcessorSpec, ProvisionerSpec } from '../template/model.js';

export interface PreparedProvisioner {
  readonly spec: ProvisionerSpec;
  readonly definition: ProvisionerDefinition;
}

export interface PreparedPostProcessor {
  readonly spec: PostProcessorSpec;
  readonly definition: PostProcessorDefinition;
  readonly config: Record<string, unknown>;
}

export interface PreparedBuild {
  readonly spec: BuildSpec;
  readonly builder: BuilderDefinition;
  readonly builderConfig: Record<string, unknown>;
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

const KIND_LABEL: Record<ComponentKind, string> = {
  builder: 'builder',
  provisioner: 'provisioner',
  'post-processor': 'post-processor',
  datasource: 'data source',
  communicator: 'communicator',
};

export async function prepareBuilds(
  builds: readonly BuildSpec[],
  registry: ComponentRegistry,
  packerFor: (build: BuildSpec) => PackerConfig,
): Promise<PrepareResult> {
  const out: PreparedBuild[] = [];
  const diagnostics: Diagnostic[] = [];
  const secrets: string[] = [];
  for (const spec of builds) {
    const diags: Diagnostic[] = [];
    const packer = packerFor(spec);
    const decode = async <K extends ComponentKind>(kind: K, c: ComponentSpec) => {
      const definition = await registry.load(kind, c.type);
      if (!definition || definition.kind !== kind) {
        diags.push(unknownComponent(kind, c, registry));
        return undefined;
      }
      const res = c.decode(definition.schema);
      diags.push(...res.diagnostics);
      secrets.push(...res.secrets);
      if (hasErrors(res.diagnostics)) return undefined;
      const issues = definition.kind === 'datasource' ? definition.prepare?.(res.config as never) : definition.kind === 'communicator' ? undefined : definition.prepare?.(res.config as never, packer);
      for (const e of issues?.errors ?? []) diags.push(errorDiag(e, '', c.range));
      for (const w of issues?.warnings ?? []) diags.push({ severity: 'warning', summary: w, detail: '', ...(c.range ? { subject: c.range } : {}) });
      if (issues && issues.errors.length > 0) return undefined;
      return { definition, config: res.config };
    };
    const builder = await decode('builder', spec.builder);
    const provisioners: PreparedProvisioner[] = [];
    for (const p of spec.provisioners) {
      const d = await decode('provisioner', p);
      if (d && d.definition.kind === 'provisioner') provisioners.push({ spec: p, definition: d.definition });
    }
    let cleanup: PreparedProvisioner | undefined;
    if (spec.errorCleanupProvisioner) {
      const d = await decode('provisioner', spec.errorCleanupProvisioner);
      if (d && d.definition.kind === 'provisioner') cleanup = { spec: spec.errorCleanupProvisioner, definition: d.definition };
    }
    const chains: PreparedPostProcessor[][] = [];
    for (const chain of spec.postProcessors) {
      const prepared: PreparedPostProcessor[] = [];
      for (const pp of chain) {
        const d = await decode('post-processor', pp);
        if (d && d.definition.kind === 'post-processor') prepared.push({ spec: pp, definition: d.definition, config: d.config });
      }
      chains.push(prepared);
    }
    diagnostics.push(...diags);
    if (hasErrors(diags) || !builder || builder.definition.kind !== 'builder') continue;
    out.push({
      spec,
      builder: builder.definition,
      builderConfig: builder.config,
      provisioners,
      ...(cleanup ? { errorCleanupProvisioner: cleanup } : {}),
      postProcessors: chains,
      packer,
      communicators: communicatorLookup(registry),
    });
  }
  return { builds: out, diagnostics, secrets };
}

function unknownComponent(kind: ComponentKind, c: ComponentSpec, registry: ComponentRegistry): Diagnostic {
  const label = KIND_LABEL[kind];
  const known = registry.names(kind);
  return errorDiag(
    `Unknown ${label} type "${c.type}"`,
    `The ${label} "${c.type}" is unknown to kiln. It may be part of a plugin that is not installed (run \`kiln init\` for templates with required_plugins).` +
      (known.length > 0 ? ` Known ${label}s: ${known.join(', ')}.` : ''),
    c.range,
  );
}
