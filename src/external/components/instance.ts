/**
 * One component instance in a plugin process: start it as Packer does (`start <kind>
 * [--protobuf] <name>` for SDK plugins, no arguments for Packer ≤1.6 binaries), fetch
 * its ConfigSpec, prepare it, run it. A crash or a lost connection becomes an error
 * naming the plugin and the call.
 */
import type { Spec } from '../../hcl/dec/spec.js';
import type { ComponentKind, InstalledPlugin } from '../discovery/types.js';
import { componentName } from '../discovery/components.js';
import { RemoteError, type RpcClient } from '../rpc/net-rpc.js';
import { PluginProcess } from '../rpc/process.js';
import type { Ledger } from '../../sdk/ledger/ledger.js';
import { specFromGob } from '../rpc/spec-gob.js';
import { specFromProtobuf } from '../rpc/spec-proto.js';

/** net/rpc service names per kind (the SDK's Default*Endpoint). */
export const ENDPOINTS: Record<ComponentKind, string> = {
  builder: 'Builder',
  provisioner: 'Provisioner',
  'post-processor': 'PostProcessor',
  datasource: 'Datasource',
};

/** How to start one component of an installed plugin. */
export interface Launch {
  readonly plugin: InstalledPlugin;
  readonly kind: ComponentKind;
  /** The name templates use (`amazon-ebs`). */
  readonly name: string;
  /** Spec encoding: protobuf when `describe` says v2 and PACKER_FORCE_GOB is not set. */
  readonly protobuf: boolean;
}

/** The launch of `name` from `plugin`, or undefined when the plugin has no such component. */
export function launchOf(plugin: InstalledPlugin, kind: ComponentKind, name: string, env: NodeJS.ProcessEnv): Launch | undefined {
  if (!plugin.components[kind].includes(name)) return undefined;
  const forceGob = env['PACKER_FORCE_GOB'] !== undefined && env['PACKER_FORCE_GOB'] !== '' && env['PACKER_FORCE_GOB'] !== '0';
  return { plugin, kind, name, protobuf: plugin.form === 'multi' && plugin.protocolVersion === 'v2' && !forceGob };
}

/** Identifies what a launch starts (binary, component, spec encoding). */
export function launchKey(l: Launch): string {
  return `${l.plugin.path}\0${l.kind}\0${l.name}\0${l.protobuf}`;
}

function commandLine(l: Launch): { command: string; args: string[] } {
  if (l.plugin.form === 'single') return { command: l.plugin.path, args: [] };
  const own = l.plugin.described?.[l.kind].find((c) => componentName(l.plugin.name, c) === l.name) ?? l.name;
  return { command: l.plugin.path, args: ['start', l.kind, ...(l.protobuf ? ['--protobuf'] : []), own] };
}

/** A started component instance. */
export class PluginInstance {
  private constructor(
    readonly launch: Launch,
    readonly process: PluginProcess,
    readonly client: RpcClient,
  ) {}

  /** Starts a process for one instance (recorded in `ledger` when given); rejects with a message naming the plugin. */
  static async start(launch: Launch, env: NodeJS.ProcessEnv, log?: (line: string) => void, ledger?: Ledger): Promise<PluginInstance> {
    const { command, args } = commandLine(launch);
    const proc = await PluginProcess.start({ command, args, name: launch.name, env, ...(log ? { log } : {}), ...(ledger ? { ledger } : {}) });
    try {
      return new PluginInstance(launch, proc, await proc.main());
    } catch (e) {
      proc.killNow();
      throw new Error(`${launch.name}: cannot reach the plugin: ${(e as Error).message}`, { cause: e });
    }
  }

  get endpoint(): string {
    return ENDPOINTS[this.launch.kind];
  }

  /**
   * Calls `<Endpoint>.<method>`. A remote error rejects with its text; a dead plugin
   * rejects with an error naming the plugin, the call and how the process ended.
   */
  async call(method: string, arg: unknown = null, endpoint = this.endpoint): Promise<unknown> {
    try {
      return await this.client.call(`${endpoint}.${method}`, arg);
    } catch (e) {
      if (e instanceof RemoteError) throw e;
      throw new Error(this.deathMessage(`${endpoint}.${method}`, (e as Error).message), { cause: e });
    }
  }

  /** The error text for a call lost with the plugin. */
  deathMessage(call: string, detail: string): string {
    // Give the exit status a moment to arrive: the socket usually closes first.
    const how = this.process.exitDescription;
    return `the ${this.launch.name} plugin stopped during ${call}${how ? ` (${how})` : ''}: ${detail}`;
  }

  /** The ConfigSpec (or, with `OutputSpec`, a data source's output spec) as kiln's spec. */
  async spec(method: 'ConfigSpec' | 'OutputSpec' = 'ConfigSpec'): Promise<Spec> {
    const reply = (await this.call(method)) as Record<string, unknown> | null;
    const bytes = reply?.[method];
    if (!(bytes instanceof Uint8Array)) throw new Error(`${this.launch.name}: ${this.endpoint}.${method} returned no spec`);
    return this.launch.protobuf ? specFromProtobuf(bytes) : specFromGob(bytes);
  }

  /** Ends the process (closing the main stream; killed if it lingers). */
  stop(): Promise<void> {
    return this.process.stop();
  }
}
