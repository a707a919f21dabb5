/**
 * Installed plugins as Packer 1.16 finds them (plugin-getter ListInstallations):
 * `<plugin folder>/<host>/<ns>/<name>/packer-plugin-<name>_v<ver>_x<api>_<os>_<arch>`,
 * each checked against its `_SHA256SUM` and its `describe` before it counts; plus,
 * beyond Packer 1.16, legacy single-component binaries (see legacy-single.ts).
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { compareVersions, parseVersion } from '../../support/version-constraint.js';
import { parseApiVersion } from './api-version.js';
import { verifyBinaryChecksum } from './checksum.js';
import { componentsOf, describedComponents } from './components.js';
import { describePlugin } from './describe.js';
import { findSingleBinaries } from './legacy-single.js';
import { parsePluginFileName } from './plugin-file-name.js';
import type { GoPlatform } from './platform.js';
import { goPlatform } from './platform.js';
import { pluginFolder } from './plugin-folder.js';
import type { InstalledPlugin } from './types.js';

/** Packer ignores binaries nested deeper than this below the plugin folder. */
const MAX_DEPTH = 16;

export interface FindInstalledOptions {
  /** The plugin folder; default from `env` (`PACKER_PLUGIN_PATH`, the config dir's `plugins`). */
  readonly pluginPath?: string;
  /** The environment `describe` runs with and the folder is derived from. */
  readonly env: NodeJS.ProcessEnv;
  /** The folder kiln is installed in, searched for legacy single-component binaries. */
  readonly kilnDir?: string;
  /** The platform whose binaries count; default this process's. */
  readonly platform?: GoPlatform;
}

export interface FindInstalledResult {
  /**
   * Every valid installation, installed layout first, sorted by name, then version
   * (a release after its prereleases), then API version — the last match is the one
   * to use. API versions kiln cannot speak are included (`plugins installed` lists
   * them); choose with chooseVersion, which skips them.
   */
  readonly plugins: InstalledPlugin[];
  /** Warnings for binaries that were refused (checksum, name, describe), and errors for an unusable plugin folder. */
  readonly diagnostics: Diagnostic[];
}

function warning(summary: string, detail: string): Diagnostic {
  return { severity: 'warning', summary, detail };
}

/** Finds and checks every installed plugin. Never throws. */
export async function findInstalledPlugins(opts: FindInstalledOptions): Promise<FindInstalledResult> {
  const platform = opts.platform ?? goPlatform();
  const diagnostics: Diagnostic[] = [];
  let folder = opts.pluginPath;
  if (folder === undefined) {
    const f = pluginFolder(opts.env);
    if ('error' in f) diagnostics.push({ severity: 'error', summary: 'Failed to get the plugin directory', detail: f.error });
    else folder = f.path;
  }
  const multi: InstalledPlugin[] = [];
  if (folder !== undefined) {
    const root = path.resolve(folder);
    const candidates = await walk(root, 0);
    const checked = await Promise.all(candidates.map((file) => checkCandidate(root, file, platform, opts.env)));
    for (const c of checked) {
      if ('plugin' in c) multi.push(c.plugin);
      else if (c.problem) diagnostics.push(warning('Ignoring a plugin binary', c.problem));
    }
  }
  multi.sort(compareInstalled);
  const singles = [
    ...(folder !== undefined ? await findSingleBinaries(folder, platform) : []),
    ...(opts.kilnDir !== undefined && (folder === undefined || path.resolve(opts.kilnDir) !== path.resolve(folder)) ? await findSingleBinaries(opts.kilnDir, platform) : []),
  ];
  return { plugins: [...multi, ...singles], diagnostics };
}

/** Files at depth ≥ 1 below `root` (binaries at the root are not part of the layout). */
async function walk(dir: string, depth: number): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (depth < MAX_DEPTH) out.push(...(await walk(full, depth + 1)));
    } else if (depth > 0 && e.name.startsWith('packer-plugin-')) {
      out.push(full);
    }
  }
  return out;
}

async function checkCandidate(root: string, file: string, platform: GoPlatform, env: NodeJS.ProcessEnv): Promise<{ plugin: InstalledPlugin } | { problem?: string }> {
  const base = path.basename(file);
  const parsed = parsePluginFileName(base, platform);
  if (!parsed.file) return parsed.problem ? { problem: `${file}: ${parsed.problem}` } : {};
  const { name, version, apiVersion } = parsed.file;
  const sum = await verifyBinaryChecksum(file);
  if (!sum.ok) return { problem: sum.missing ? `No checksum found for ${JSON.stringify(file)}, ignoring possibly unsafe binary.` : `${sum.reason} for ${JSON.stringify(file)}, ignoring possibly unsafe binary.` };
  const described = await describePlugin(file, env);
  if ('error' in described) return { problem: described.error };
  const d = described.description;
  const nameVersion = parseVersion(version);
  const descVersion = parseVersion(d.version);
  if (!descVersion) return { problem: `${file}: malformed reported version string ${JSON.stringify(d.version)}` };
  if (!nameVersion || compareVersions(nameVersion, descVersion) !== 0) {
    return { problem: `plugin ${JSON.stringify(file)} reported version ${JSON.stringify(d.version)} while its name implies version ${JSON.stringify(version)}` };
  }
  if (d.apiVersion !== apiVersion) {
    return { problem: `plugin ${JSON.stringify(file)} reported API version ${JSON.stringify(d.apiVersion)} while its name implies version ${JSON.stringify(apiVersion)}` };
  }
  const source = path.relative(root, path.dirname(file)).split(path.sep).join('/');
  const described2 = describedComponents(d);
  return {
    plugin: {
      source,
      name,
      version: version.slice(1),
      apiVersion,
      path: file,
      form: 'multi',
      ...(d.protocolVersion ? { protocolVersion: d.protocolVersion } : {}),
      components: componentsOf(name, described2),
      described: described2,
    },
  };
}

/** Packer's InstallList order: plugin name, then version, then API version. */
export function compareInstalled(a: InstalledPlugin, b: InstalledPlugin): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const va = parseVersion(a.version ?? '0');
  const vb = parseVersion(b.version ?? '0');
  const byVersion = va && vb ? compareVersions(va, vb) : 0;
  if (byVersion !== 0) return byVersion;
  const aa = parseApiVersion(a.apiVersion ?? '');
  const ab = parseApiVersion(b.apiVersion ?? '');
  if (aa && ab && aa.major !== ab.major) return aa.major - ab.major;
  if (aa && ab && aa.minor !== ab.minor) return aa.minor - ab.minor;
  if ((a.source ?? '') !== (b.source ?? '')) return (a.source ?? '') < (b.source ?? '') ? -1 : 1;
  return 0;
}
