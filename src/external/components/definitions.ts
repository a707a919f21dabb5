/**
 * A plugin's component as a kiln ComponentDefinition. Its schema is the plugin's
 * ConfigSpec (a `RuntimeSpec`), so core decodes the block through kiln's hcldec path
 * (unknown attributes get kiln's diagnostics) and hands `prepare` the cty value, which
 * travels to the plugin as Packer sends it. Processes, as in Packer, are one per
 * component instance:
 * - builder: `prepare` configures an instance that `run` then runs;
 * - provisioner, post-processor: Packer configures them while preparing the build and
 *   again with the build's data before they run; see ConfiguredPool;
 * - data source: `prepare` configures, `execute` runs and ends the instance.
 */
import type * as cty from '../../hcl/cty/index.js';
import { impliedType } from '../../hcl/dec/schema.js';
import type { Spec } from '../../hcl/dec/spec.js';
import type {
  BuilderDefinition,
  ComponentDefinition,
  DatasourceDefinition,
  PackerConfig,
  PostProcessorDefinition,
  PrepareDiagnostic,
  ProvisionerDefinition,
} from '../../sdk/component.js';
import { prepared, prepareError, prepareWarning } from '../../sdk/component.js';
import { fail } from '../../sdk/result.js';
import { RuntimeSpec } from '../../sdk/schema/spec.js';
import { ctyJsonBytes } from '../rpc/cty-wire.js';
import { builderVariables, configure, execute, postProcess, prepareBuilder, provision, runBuilder } from './calls.js';
import type { Launch, PluginInstance } from './instance.js';
import type { PluginHost } from './plugin-host.js';

/** What a configured plugin component carries from `prepare` to its run. */
interface Configured {
  readonly configs: readonly unknown[];
  readonly key: string;
}

function errorDiagnostics(text: string | undefined): PrepareDiagnostic[] {
  return text ? [prepareError(text)] : [];
}

/**
 * Instances of one provisioner or post-processor, as few as Packer's semantics allow: a
 * prepare-time answer is kept per exact config, and an instance whose work is done is
 * configured again for the next config of the same shape — the same attributes set —
 * so a second Prepare overwrites everything the first one set (Packer itself prepares
 * each instance twice). Instances run one job at a time; parallel builds get their own.
 */
class ConfiguredPool {
  private readonly answers = new Map<string, string | undefined>();
  private readonly free = new Map<string, PluginInstance[]>();

  constructor(
    private readonly launch: Launch,
    private readonly host: PluginHost,
  ) {}

  /** Answers Prepare/Configure for `configs` (once per exact config). */
  async configure(configs: readonly unknown[]): Promise<{ key: string; error: string | undefined }> {
    const key = configKey(configs);
    if (this.answers.has(key)) return { key, error: this.answers.get(key) };
    const shape = shapeKey(configs);
    const inst = await this.acquire(shape);
    const error = await configure(inst, configs);
    this.answers.set(key, error);
    if (error) await this.host.stop(inst);
    else this.release(inst, shape);
    return { key, error };
  }

  /** An instance configured with `c` for one run; give it back with `release` when done. */
  async instance(c: Configured): Promise<PluginInstance | string> {
    const inst = await this.acquire(shapeKey(c.configs));
    const error = await configure(inst, c.configs);
    if (error) {
      await this.host.stop(inst);
      return error;
    }
    return inst;
  }

  release(inst: PluginInstance, shape: string): void {
    if (inst.process.exited) return;
    this.free.set(shape, [...(this.free.get(shape) ?? []), inst]);
  }

  private async acquire(shape: string): Promise<PluginInstance> {
    const list = this.free.get(shape) ?? [];
    for (let inst = list.shift(); inst; inst = list.shift()) if (!inst.process.exited) return inst;
    return this.host.take(this.launch);
  }
}

function configKey(configs: readonly unknown[]): string {
  return JSON.stringify(configs, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
}

/** Which attributes a config sets, at any depth (values left out). */
export function shapeKey(configs: readonly unknown[]): string {
  const shape = (v: unknown): unknown => {
    if (v === null || v === undefined) return null;
    if (v instanceof Uint8Array) {
      const parsed = JSON.parse(Buffer.from(v).toString('utf8')) as { value?: unknown };
      return shape(parsed.value);
    }
    if (Array.isArray(v) || typeof v !== 'object') return 1;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, shape(x)]));
  };
  return JSON.stringify(configs.map(shape));
}

function hclConfigs(kind: Launch['kind'], packer: PackerConfig | undefined, config: cty.Value): unknown[] {
  const value = ctyJsonBytes(config);
  if (kind === 'datasource' || !packer) return [value];
  const vars = builderVariables(packer);
  return kind === 'provisioner' ? [vars, value, null] : [vars, value];
}

/** The definition of `launch`, whose ConfigSpec (and for data sources OutputSpec) was read. */
export function pluginDefinition(launch: Launch, host: PluginHost, spec: Spec, outputSpec?: Spec): ComponentDefinition {
  const schema = new RuntimeSpec(spec);
  const name = launch.name;
  switch (launch.kind) {
    case 'builder': {
      const d: BuilderDefinition<RuntimeSpec, PluginInstance> = {
        kind: 'builder',
        name,
        schema,
        async prepare(config, ctx) {
          const inst = await host.take(launch);
          const reply = await prepareBuilder(inst, hclConfigs('builder', ctx.packer, config));
          const diagnostics = [...reply.warnings.map((w) => prepareWarning(w)), ...errorDiagnostics(reply.error)];
          if (reply.error) await host.stop(inst);
          return prepared(inst, diagnostics, reply.generatedVars);
        },
        run: (inst, ctx) => runBuilder(inst, ctx.ui, ctx.hook, ctx.signal),
      };
      return d as ComponentDefinition;
    }
    case 'provisioner': {
      const pool = new ConfiguredPool(launch, host);
      const d: ProvisionerDefinition<RuntimeSpec, Configured> = {
        kind: 'provisioner',
        name,
        schema,
        async prepare(config, ctx) {
          const configs = hclConfigs('provisioner', ctx.packer, config);
          const { key, error } = await pool.configure(configs);
          return prepared({ configs, key }, errorDiagnostics(error));
        },
        async provision(c, ctx) {
          const inst = await pool.instance(c);
          if (typeof inst === 'string') return fail(inst);
          const res = await provision(inst, ctx.ui, ctx.communicator, ctx.generatedData, ctx.signal);
          pool.release(inst, shapeKey(c.configs));
          return res;
        },
      };
      return d as ComponentDefinition;
    }
    case 'post-processor': {
      const pool = new ConfiguredPool(launch, host);
      const d: PostProcessorDefinition<RuntimeSpec, Configured> = {
        kind: 'post-processor',
        name,
        schema,
        async prepare(config, ctx) {
          const configs = hclConfigs('post-processor', ctx.packer, config);
          const { key, error } = await pool.configure(configs);
          return prepared({ configs, key }, errorDiagnostics(error));
        },
        async postProcess(c, ctx) {
          // The instance is not reused: the artifact it returns lives in its process.
          const inst = await pool.instance(c);
          if (typeof inst === 'string') return fail(inst);
          return postProcess(inst, ctx.ui, ctx.artifact, ctx.signal);
        },
      };
      return d as ComponentDefinition;
    }
    case 'datasource': {
      const d: DatasourceDefinition<RuntimeSpec, PluginInstance> = {
        kind: 'datasource',
        name,
        schema,
        outputType: impliedType(outputSpec ?? { kind: 'object', attributes: {} }),
        async prepare(config) {
          const inst = await host.take(launch);
          const error = await configure(inst, hclConfigs('datasource', undefined, config));
          if (error) await host.stop(inst);
          return prepared(inst, errorDiagnostics(error));
        },
        async execute(inst, signal) {
          try {
            return await execute(inst, signal);
          } finally {
            await host.stop(inst);
          }
        },
      };
      return d as ComponentDefinition;
    }
  }
}
