/**
 * What `init` and the `plugins` subcommands share: the plugin folder, the template's
 * `required_plugins`, download progress on standard error, and Go's multierror text
 * for install failures.
 */
import { findInstalledPlugins, goPlatform, pluginFolder } from '../external/discovery/index.js';
import type { GoPlatform, InstalledPlugin } from '../external/discovery/index.js';
import type { DownloadProgress } from '../external/getter/index.js';
import { errorDiag } from '../hcl/diagnostic.js';
import { builtinRegistry } from '../plugins/registry.js';
import type { CommandContext } from './command.js';
import { commandHelp } from './help.js';
import type { Output } from './output.js';
import { createOutput } from './output.js';
import { COMMANDS } from './table.js';
import { loadAnyTemplate, reportParsePhase, writeDiagnostics } from './load-for-command.js';

/** A `required_plugins` entry. */
export interface Requirement {
  readonly name: string;
  readonly source: string;
  readonly version: string;
}

/** A plain output for the plugin commands (no colour, no build prefixes). */
export function pluginsOutput(ctx: CommandContext): Output {
  return createOutput(ctx, { machineReadable: ctx.machineReadable, color: false, timestampUi: false });
}

/** Prints the help of command `name` on standard output. */
export function printHelp(ctx: CommandContext, name: string): void {
  const spec = COMMANDS.find((c) => c.name === name);
  if (spec) ctx.stdout(`${commandHelp(spec)}\n`);
}

/** The plugin folder and platform, or undefined after printing why there is none (on standard error, as Packer's start-up does). */
export function pluginDirOf(ctx: CommandContext, out: Output): { dir: string; platform: GoPlatform } | undefined {
  const folder = pluginFolder(ctx.env);
  if ('error' in folder) {
    // Packer fails this way at start-up, before any command runs (main.go loadConfig).
    out.log.log('ERROR', folder.error);
    ctx.stderr(`Error loading configuration: \n\n${folder.error}\n`);
    return undefined;
  }
  return { dir: folder.path, platform: goPlatform() };
}

/**
 * The installed plugins of `dir`; binaries refused on the way (checksum, name,
 * `describe`) go to the PACKER_LOG debug log, as Packer logs them.
 */
export async function installedIn(ctx: CommandContext, out: Output, where: { dir: string; platform: GoPlatform }): Promise<InstalledPlugin[]> {
  const found = await findInstalledPlugins({ pluginPath: where.dir, env: ctx.env, platform: where.platform });
  for (const d of found.diagnostics) out.log.log('WARN', `${d.summary}: ${d.detail}`);
  return found.plugins;
}

/** Packer's message when a template has no `required_plugins`. */
export const NO_REQUIREMENTS = `
No plugins requirement found, make sure you reference a Packer config
containing a packer.required_plugins block. See
https://www.packer.io/docs/templates/hcl_templates/blocks/packer
for more info.`;

/**
 * The `required_plugins` of TEMPLATE (parsed only: nothing is evaluated beyond
 * variables), or undefined after printing why they cannot be read (a legacy JSON
 * template has none: Packer's diagnostic).
 */
export async function requirementsOf(ctx: CommandContext, out: Output, template: string): Promise<Requirement[] | undefined> {
  const loaded = await loadAnyTemplate(template, ctx.flags, ctx, builtinRegistry(), { syntaxOnly: true, evaluateDatasources: false });
  if (reportParsePhase(out, loaded) !== 0) return undefined;
  if (loaded.syntax === 'json') {
    writeDiagnostics(
      out,
      [errorDiag('Packer plugins currently only works with HCL2 configuration templates', 'Please manually install plugins with the plugins command or use a HCL2 configuration that will do that for you.')],
      loaded.files,
    );
    return undefined;
  }
  return [...(loaded.loaded.description?.requiredPlugins ?? [])];
}

/** Go's multierror text: `1 error occurred:` / `N errors occurred:` then tab-star lines. */
export function multiError(errors: readonly string[]): string {
  const head = errors.length === 1 ? '1 error occurred:' : `${errors.length} errors occurred:`;
  return `${head}\n${errors.map((e) => `\t* ${e}`).join('\n')}\n`;
}

function megabytes(n: number): string {
  if (n < 1e3) return `${n} B`;
  return n < 1e6 ? `${(n / 1e3).toFixed(1)} kB` : `${(n / 1e6).toFixed(1)} MB`;
}

/**
 * Renders download progress on standard error: a redrawn bar on a terminal, otherwise
 * one line when a download starts and one when it ends.
 */
export function progressPrinter(write: (text: string) => void, tty: boolean): (p: DownloadProgress) => void {
  const started = new Set<string>();
  let lastDraw = 0;
  return (p) => {
    if (!tty) {
      if (!started.has(p.file)) {
        started.add(p.file);
        write(`Downloading ${p.file}${p.total !== undefined ? ` (${megabytes(p.total)})` : ''}\n`);
      }
      if (p.done) write(`Downloaded ${p.file} (${megabytes(p.received)})\n`);
      return;
    }
    const now = Date.now();
    if (!p.done && now - lastDraw < 100) return;
    lastDraw = now;
    const width = 30;
    const ratio = p.total ? Math.min(1, p.received / p.total) : 0;
    const filled = Math.round(ratio * width);
    const bar = p.total ? `[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${Math.floor(ratio * 100)}%` : megabytes(p.received);
    write(`\r${p.file} ${bar} ${megabytes(p.received)}${p.total ? ` / ${megabytes(p.total)}` : ''}${p.done ? '\n' : ''}`);
  };
}
