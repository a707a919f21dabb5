/**
 * The calls of each component kind over a {@link PluginInstance}, with the callbacks
 * kiln serves during them: Builder.Run serves Hook + Ui (and dials the plugin's
 * Communicator for each hook run), Provisioner.Provision serves Communicator + Ui,
 * PostProcessor.PostProcess serves Artifact + Ui. An abort while a call is in flight
 * sends `<Endpoint>.Cancel`, as Packer does on Ctrl-C.
 */
import type * as cty from '../../hcl/cty/index.js';
import type { Artifact } from '../../sdk/artifact.js';
import type { Communicator } from '../../sdk/communicator.js';
import type { GeneratedData, PackerConfig, PostProcessOutput, ProvisionHook, ProvisionHookName } from '../../sdk/component.js';
import type { Result } from '../../sdk/result.js';
import { fail, ok } from '../../sdk/result.js';
import type { Ui } from '../../sdk/ui.js';
import { ctyFromDynamicMsgpack } from '../rpc/cty-wire.js';
import { RpcClient } from '../rpc/net-rpc.js';
import { addArtifactService, pluginArtifact } from './artifact-rpc.js';
import { PluginCommunicator } from './communicator-client.js';
import { addCommunicatorService } from './communicator-service.js';
import type { PluginInstance } from './instance.js';
import { bodyError, field, fieldNumber, fieldString, ServiceTable } from './serve.js';
import { addUiService } from './ui-service.js';

/**
 * The builder-variables map Packer 1.16 puts first in an HCL component's configs, plus
 * what its JSON templates' packerConfig adds (user variables, template path), so a
 * plugin can render `{{user \`x\`}}` in a legacy template's values.
 */
export function builderVariables(packer: PackerConfig): Record<string, unknown> {
  return {
    packer_user_variables: { ...packer.userVariables },
    ...(packer.templatePath !== undefined ? { packer_template_path: packer.templatePath } : {}),
    packer_build_name: packer.buildName,
    packer_builder_type: packer.builderType,
    packer_core_version: packer.coreVersion,
    packer_debug: String(packer.debug),
    packer_force: String(packer.force),
    packer_on_error: packer.onError,
    packer_sensitive_variables: [...packer.sensitiveVariables],
  };
}

/** What Builder.Prepare answered. */
export interface BuilderPrepareReply {
  readonly generatedVars: readonly string[];
  readonly warnings: readonly string[];
  readonly error?: string;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

export async function prepareBuilder(inst: PluginInstance, configs: readonly unknown[]): Promise<BuilderPrepareReply> {
  const reply = await inst.call('Prepare', { Configs: configs });
  const error = bodyError(field(reply, 'Error'));
  return { generatedVars: strings(field(reply, 'GeneratedVars')), warnings: strings(field(reply, 'Warnings')), ...(error ? { error } : {}) };
}

/** Provisioner.Prepare, PostProcessor.Configure, Datasource.Configure: the error text, if any. */
export async function configure(inst: PluginInstance, configs: readonly unknown[]): Promise<string | undefined> {
  const method = inst.launch.kind === 'provisioner' ? 'Prepare' : 'Configure';
  try {
    const reply = await inst.call(method, { Configs: configs });
    return bodyError(field(reply, 'Error'));
  } catch (e) {
    if (e instanceof Error && e.name === 'RemoteError') return e.message;
    throw e;
  }
}

/** Runs `fn` while sending `<Endpoint>.Cancel` if `signal` aborts meanwhile. */
async function cancellable<T>(inst: PluginInstance, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  const onAbort = (): void => void inst.call('Cancel').catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await fn();
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function failure<T>(e: unknown): Result<T> {
  return fail(e instanceof Error ? e : new Error(String(e)));
}

/** Allocates a broker id, serves `table` on it, and returns the id (to pass in the call). */
function serveOn(inst: PluginInstance, table: ServiceTable): number {
  const id = inst.process.broker.nextId();
  void inst.process.broker.accept(id).then(
    (s) => table.serve(s),
    () => undefined,
  );
  return id;
}

async function artifactFrom(inst: PluginInstance, id: number): Promise<Artifact | undefined> {
  if (!id) return undefined;
  return pluginArtifact(await inst.process.broker.dial(id), `${inst.launch.name} artifact`);
}

export async function runBuilder(inst: PluginInstance, ui: Ui, hook: ProvisionHook, signal: AbortSignal): Promise<Result<Artifact | undefined>> {
  const broker = inst.process.broker;
  const hookAbort = new AbortController();
  const onAbort = (): void => hookAbort.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const table = addUiService(new ServiceTable(), ui).add('Hook', {
    Run: async (arg) => {
      const stream = await broker.dial(fieldNumber(arg, 'StreamId'));
      const client = new RpcClient(stream, `${inst.launch.name} communicator`);
      try {
        const data = (field(arg, 'Data') ?? {}) as GeneratedData;
        const res = await hook.run(fieldString(arg, 'Name') as ProvisionHookName, ui, new PluginCommunicator(client, broker), data, hookAbort.signal);
        if (res.kind === 'error') throw res.error;
        return null;
      } finally {
        client.close();
      }
    },
    Cancel: () => {
      hookAbort.abort();
      return null;
    },
  });
  try {
    const id = serveOn(inst, table);
    const artifactId = await cancellable(inst, signal, () => inst.call('Run', id));
    return ok(await artifactFrom(inst, Number(artifactId ?? 0)));
  } catch (e) {
    return failure(e);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

export async function provision(inst: PluginInstance, ui: Ui, comm: Communicator, data: GeneratedData, signal: AbortSignal): Promise<Result<void>> {
  const table = addCommunicatorService(addUiService(new ServiceTable(), ui), comm, inst.process.broker, signal);
  try {
    const id = serveOn(inst, table);
    await cancellable(inst, signal, () => inst.call('Provision', { GeneratedData: data, StreamID: id }));
    return ok(undefined);
  } catch (e) {
    return failure(e);
  }
}

export async function postProcess(inst: PluginInstance, ui: Ui, artifact: Artifact, signal: AbortSignal): Promise<Result<PostProcessOutput>> {
  const table = addArtifactService(addUiService(new ServiceTable(), ui), artifact);
  try {
    const id = serveOn(inst, table);
    const reply = await cancellable(inst, signal, () => inst.call('PostProcess', id));
    const err = bodyError(field(reply, 'Err'));
    if (err) return fail(err);
    const out = await artifactFrom(inst, fieldNumber(reply, 'StreamId'));
    return ok({ artifact: out, keep: field(reply, 'Keep') === true, forceOverride: field(reply, 'ForceOverride') === true });
  } catch (e) {
    return failure(e);
  }
}

export async function execute(inst: PluginInstance, signal: AbortSignal): Promise<Result<cty.Value>> {
  try {
    const reply = await cancellable(inst, signal, () => inst.call('Execute'));
    const err = bodyError(field(reply, 'Error'));
    if (err) return fail(err);
    const value = field(reply, 'Value');
    if (!(value instanceof Uint8Array)) return fail(`${inst.launch.name}: Datasource.Execute returned no value`);
    if (!inst.launch.protobuf) return fail(`${inst.launch.name}: data sources of plugins without protocol v2 (gob values) are not supported by kiln`);
    return ok(ctyFromDynamicMsgpack(value));
  } catch (e) {
    return failure(e);
  }
}
