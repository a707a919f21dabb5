/**
 * The component registry of a command: kiln's built-in components merged with the
 * installed Packer plugins. A component kiln has natively is kiln's own unless the user
 * asks for the plugin (`KILN_PREFER_PLUGINS`, or `-prefer-plugins` on build and
 * validate: `all`, or a comma-separated list of component names); kiln says in the log
 * which one it used. A plugin component's definition is made on first use: its process
 * starts and answers ConfigSpec, and stays as the first instance.
 *
 * Every `build` and full `validate` makes one, and most find no plugin: discovery
 * (`describe` runs, checksums) is imported only when the plugin folder has an entry or
 * kiln's own folder a `packer-*` file, and the plugin processes and their RPC stack
 * (plugin-start.ts) only when a component is taken from a plugin.
 */
import { readdirSync } from 'node:fs';
import type { Diagnostic } from '../hcl/diagnostic.js';
import type { ComponentDefinition, ComponentKind, ComponentRegistry } from '../sdk/component.js';
import type { Ledger } from '../sdk/ledger/ledger.js';
import type * as Discovery from './discovery/index.js';
import { pluginFolder } from './discovery/plugin-folder.js';
import type { ComponentKind as PluginKind, InstalledPlugin } from './discovery/types.js';
import type { PluginHost } from './plugin-start.js';

/** The environment variable naming components to take from plugins even where kiln has its own. */
export const PREFER_PLUGINS_ENV = 'KILN_PREFER_PLUGINS';

const PLUGIN_KINDS: readonly PluginKind[] = ['builder', 'provisioner', 'post-processor', 'datasource'];

export interface PluginRegistryOptions {
  /** kiln's own components. */
  readonly builtins: ComponentRegistry;
  readonly env: NodeJS.ProcessEnv;
  /** The folder kiln is installed in (legacy single-component binaries beside it). */
  readonly kilnDir?: string;
  /** `-prefer-plugins`; falls back to KILN_PREFER_PLUGINS. */
  readonly preferPlugins?: string;
  /** The template's `required_plugins`: accessor names and version constraints. */
  readonly requirements?: readonly { readonly name: string; readonly source: string; readonly version: string }[];
  /** Debug log lines (PACKER_LOG). */
  readonly log?: (line: string) => void;
  /** A plugin that could not start or answer ConfigSpec; the component then counts as unknown. */
  readonly onFailure?: (d: Diagnostic) => void;
  /** The run's ledger, recording every plugin process (kiln build). */
  readonly ledger?: Ledger;
}

/** A `required_plugins` entry. */
export interface Requirement {
  readonly name: string;
  readonly source: string;
  readonly version: string;
}

/** A registry that also owns the plugin processes it starts. */
export interface PluginRegistry extends ComponentRegistry {
  /** Ends every plugin process (call when the command ends, on every path). */
  close(): Promise<void>;
  /**
   * Packer's "Missing plugins" check: requirements with no installed match, except those
   * whose every component `used` by the template is one of kiln's own (`native` names
   * them, to say once that kiln runs them natively).
   */
  checkRequirements(requirements: readonly Requirement[], used: readonly { kind: ComponentKind; name: string }[] | undefined): { missing?: Diagnostic; native: string[] };
}

/** Whether component `name` comes from the plugin accessed as `accessor` (`amazon-ebs`, or `docker` itself). */
export function fromPlugin(accessor: string, name: string): boolean {
  return name === accessor || name.startsWith(`${accessor}-`);
}

function preferred(list: string | undefined): (name: string) => boolean {
  const names = new Set((list ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''));
  if (names.has('all') || names.has('1') || names.has('true')) return () => true;
  return (name) => names.has(name);
}

/** What discovery found, with its version choice; `discovery` is undefined when there was nothing to look at. */
interface Found {
  readonly plugins: readonly InstalledPlugin[];
  readonly diagnostics: Diagnostic[];
  readonly discovery?: typeof Discovery;
}

/** Whether `dir` has an entry (`prefix`: one whose name starts with it); false when it cannot be read. */
function hasEntry(dir: string, prefix = ''): boolean {
  try {
    return readdirSync(dir).some((n) => n.startsWith(prefix));
  } catch {
    return false;
  }
}

/**
 * The installed plugins (findInstalledPlugins). Without a plugin folder entry and without
 * a legacy `packer-*` binary beside kiln there is nothing to find: no discovery then.
 */
async function discover(env: NodeJS.ProcessEnv, kilnDir: string | undefined): Promise<Found> {
  const folder = pluginFolder(env);
  if ('path' in folder && !hasEntry(folder.path) && (kilnDir === undefined || !hasEntry(kilnDir, 'packer-'))) return { plugins: [], diagnostics: [] };
  const discovery = await import('./discovery/index.js');
  const found = await discovery.findInstalledPlugins({ env, ...(kilnDir !== undefined ? { kilnDir } : {}) });
  return { ...found, discovery };
}

/** The install of `source` a `required_plugins` entry chooses; undefined when none. */
function chosen(found: Found, r: Requirement): InstalledPlugin | undefined {
  return found.discovery?.chooseVersion(found.plugins, r.source, r.version || undefined);
}

/** Which plugin serves each component name: installed plugins renamed by required_plugins, highest version last. */
function pluginIndex(found: Found, requirements: PluginRegistryOptions['requirements']): Map<string, InstalledPlugin> {
  const index = new Map<string, InstalledPlugin>();
  const add = (p: InstalledPlugin): void => {
    for (const kind of PLUGIN_KINDS) for (const n of p.components[kind]) index.set(`${kind}:${n}`, p);
  };
  for (const p of found.plugins) add(p);
  for (const r of requirements ?? []) {
    const c = chosen(found, r);
    if (c?.described && found.discovery) add({ ...c, name: r.name, components: found.discovery.componentsOf(r.name, c.described) });
  }
  return index;
}

/** Builds the registry; diagnostics are discovery's warnings (refused binaries). */
export async function pluginRegistry(opts: PluginRegistryOptions): Promise<{ registry: PluginRegistry; diagnostics: Diagnostic[] }> {
  const found = await discover(opts.env, opts.kilnDir);
  const index = pluginIndex(found, opts.requirements);
  // The plugin processes, and the code that runs them, from the first plugin component on.
  let host: PluginHost | undefined;
  // Set by close(): a plugin whose code was still loading then must not start a process.
  let closed = false;
  const prefer = preferred(opts.preferPlugins ?? opts.env[PREFER_PLUGINS_ENV]);
  const definitions = new Map<string, Promise<ComponentDefinition | undefined>>();
  const said = new Set<string>();
  const pluginFor = (kind: ComponentKind, name: string): InstalledPlugin | undefined => (kind === 'communicator' ? undefined : index.get(`${kind}:${name}`));

  const loadPlugin = async (kind: PluginKind, name: string, plugin: InstalledPlugin): Promise<ComponentDefinition | undefined> => {
    const start = await import('./plugin-start.js');
    if (closed) return undefined;
    host ??= new start.PluginHost(opts.env, opts.log, opts.ledger);
    return start.startPluginComponent(host, opts.env, kind, name, plugin);
  };

  const registry: PluginRegistry = {
    has: (kind, name) => opts.builtins.has(kind, name) || pluginFor(kind, name) !== undefined,
    names: (kind) => [...new Set([...opts.builtins.names(kind), ...[...index.keys()].filter((k) => k.startsWith(`${kind}:`)).map((k) => k.slice(kind.length + 1))])].sort(),
    load(kind, name) {
      const key = `${kind}:${name}`;
      const known = definitions.get(key);
      if (known) return known;
      const plugin = pluginFor(kind, name);
      const native = opts.builtins.has(kind, name);
      let p: Promise<ComponentDefinition | undefined>;
      if (plugin && (!native || prefer(name))) {
        if (native && !said.has(key)) opts.log?.(`[INFO] ${kind} "${name}": using the plugin ${plugin.path} (asked for with ${PREFER_PLUGINS_ENV} or -prefer-plugins)`);
        p = loadPlugin(kind as PluginKind, name, plugin).catch((e: unknown) => {
          const detail = e instanceof Error ? e.message : String(e);
          opts.log?.(`[ERROR] ${kind} "${name}" from ${plugin.path}: ${detail}`);
          opts.onFailure?.({ severity: 'error', summary: `Failed to start the plugin of ${kind} "${name}"`, detail });
          return undefined;
        });
      } else {
        if (plugin && native && !said.has(key)) {
          opts.log?.(`[INFO] ${kind} "${name}": using kiln's own; the installed plugin ${plugin.path} is not used (set ${PREFER_PLUGINS_ENV}=${name} or -prefer-plugins=${name} to use it)`);
        }
        p = opts.builtins.load(kind, name);
      }
      said.add(key);
      definitions.set(key, p);
      return p;
    },
    close: () => {
      closed = true;
      return host?.stopAll() ?? Promise.resolve();
    },
    checkRequirements(requirements, used) {
      const missing: Requirement[] = [];
      const native: string[] = [];
      for (const r of requirements) {
        if (chosen(found, r)) continue;
        // Without a model (the template did not load), any kiln component of the plugin's name counts.
        const isNative = used
          ? used.filter((u) => fromPlugin(r.name, u.name)).every((u) => opts.builtins.has(u.kind, u.name))
          : PLUGIN_KINDS.some((k) => opts.builtins.names(k).some((n) => fromPlugin(r.name, n)));
        if (isNative) native.push(r.source);
        else missing.push(r);
      }
      if (missing.length === 0) return { native };
      const list = missing.map((r) => `${r.source}${r.version ? ` ${r.version}` : ''}`).join('\n');
      return {
        native,
        missing: {
          severity: 'error',
          summary: 'Missing plugins',
          detail: `The following plugins are required, but not installed:\n\n${list}\n\nDid you run kiln init for this project ?`,
        },
      };
    },
  };
  return { registry, diagnostics: found.diagnostics };
}
