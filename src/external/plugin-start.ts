/**
 * Starting a plugin component for the registry (registry.ts imports this file when a
 * template first uses a component an installed plugin serves, so a command that runs
 * none loads neither the RPC stack nor the process code): the command's plugin host,
 * and a component's definition from its first instance's ConfigSpec.
 */
import type { ComponentDefinition } from '../sdk/component.js';
import { pluginDefinition } from './components/definitions.js';
import { launchOf } from './components/instance.js';
import { PluginHost } from './components/plugin-host.js';
import type { ComponentKind, InstalledPlugin } from './discovery/types.js';

/** The plugin processes of one command (`stopAll` ends them when the command ends). */
export { PluginHost };

/**
 * Starts component `name` of `plugin` and answers its definition (undefined when the
 * plugin does not offer it); the started instance is kept as the first one the
 * definition hands out. Rejects when the process cannot start or answer ConfigSpec.
 */
export async function startPluginComponent(host: PluginHost, env: NodeJS.ProcessEnv, kind: ComponentKind, name: string, plugin: InstalledPlugin): Promise<ComponentDefinition | undefined> {
  const launch = launchOf(plugin, kind, name, env);
  if (!launch) return undefined;
  const inst = await host.start(launch);
  const spec = await inst.spec();
  const outputSpec = kind === 'datasource' ? await inst.spec('OutputSpec') : undefined;
  host.keepSpare(inst);
  return pluginDefinition(launch, host, spec, outputSpec);
}
