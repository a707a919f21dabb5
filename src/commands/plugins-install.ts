/**
 * `kiln plugins install [-path BINARY] [-force] <source> [<constraint>]` (Packer's
 * `command/plugins_install.go`): installs the newest release matching the constraint
 * (or any), or, with `-path`, copies a local plugin binary into the layout under the
 * name its `describe` gives (releases and `-dev` builds only), with its `_SHA256SUM`.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describePlugin, pluginFileName } from '../external/discovery/index.js';
import type { GoPlatform } from '../external/discovery/index.js';
import { defaultGetters, installLatest, placeBinary, pluginAddress } from '../external/getter/index.js';
import type { Diagnostic } from '../hcl/diagnostic.js';
import { errorDiag } from '../hcl/diagnostic.js';
import { hasPrerelease, parseConstraints, parseVersion } from '../support/version-constraint.js';
import { sourceProblem } from '../template/hcl2/packer-block.js';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { listenForInterrupts } from './signals.js';
import type { Output } from './output.js';
import { multiError, pluginDirOf, pluginsOutput, printHelp, progressPrinter } from './plugins-common.js';
import { writeDiagnostics } from './load-for-command.js';

export async function run(ctx: CommandContext): Promise<number> {
  const args = ctx.flags.positional;
  const out = pluginsOutput(ctx);
  const binary = (ctx.flags.values.get('path') as string | undefined) ?? '';
  if (args.length < 1 || args.length > 2) {
    out.emitter.error(`Invalid arguments, expected either 1 or 2 positional arguments, got ${args.length}`);
    printHelp(ctx, 'plugins install');
    return EXIT.error;
  }
  const [source, version] = args as [string, string | undefined];
  if (binary !== '' && version !== undefined) {
    out.emitter.error('Invalid arguments: a version cannot be specified when using --path to install a local plugin binary');
    printHelp(ctx, 'plugins install');
    return EXIT.error;
  }
  const problem = sourceProblem(source);
  if (problem) {
    out.emitter.error(`Invalid source string ${JSON.stringify(source)}: ${problem}`);
    return EXIT.error;
  }
  const where = pluginDirOf(ctx, out);
  if (!where) return EXIT.error;
  if (binary !== '') return installFromPath(ctx, out, source, binary, where);
  const constraint = version === undefined ? undefined : parseConstraints(version);
  if (version !== undefined && !constraint) {
    out.emitter.error(`Malformed constraint: ${version}`);
    return EXIT.error;
  }
  if (constraint && hasPrerelease(constraint)) {
    out.emitter.error(`Unsupported prerelease for constraint ${JSON.stringify(version)}`);
    return EXIT.error;
  }
  const interrupts = listenForInterrupts((m) => out.emitter.error(m));
  try {
    const outcome = await installLatest(pluginAddress(source), constraint, {
      pluginDir: where.dir,
      platform: where.platform,
      env: ctx.env,
      getters: defaultGetters(ctx.env, where.platform),
      force: ctx.flags.values.get('force') === true,
      signal: interrupts.signal,
      onProgress: progressPrinter(ctx.stderr, process.stderr.isTTY === true),
    });
    if (outcome.kind === 'failed') {
      out.emitter.error(multiError(outcome.errors));
      return EXIT.error;
    }
    out.emitter.say(outcome.kind === 'installed' ? `Installed plugin ${source} v${outcome.version} in ${JSON.stringify(outcome.path)}` : `Plugin ${source} v${outcome.version} is already installed in ${JSON.stringify(outcome.path)}`);
    return EXIT.ok;
  } finally {
    interrupts.dispose();
  }
}

function fail(out: Output, summary: string, detail: string): number {
  const diags: Diagnostic[] = [errorDiag(summary, detail)];
  return writeDiagnostics(out, diags, new Map());
}

async function installFromPath(ctx: CommandContext, out: Output, source: string, binary: string, where: { dir: string; platform: GoPlatform }): Promise<number> {
  const abs = path.resolve(ctx.cwd, binary);
  let st;
  try {
    st = await stat(abs);
  } catch (e) {
    return fail(out, 'Unable to find plugin to promote', `The plugin ${JSON.stringify(source)} failed to be opened because of an error: ${(e as Error).message}`);
  }
  if (st.isDirectory()) return fail(out, 'Plugin to promote cannot be a directory', 'The packer plugin promote command can only install binaries, not directories');
  const described = await describePlugin(abs, ctx.env);
  if ('error' in described) return fail(out, 'Failed to describe the plugin', `Packer failed to run ${abs} describe: ${described.error}`);
  const d = described.description;
  const v = parseVersion(d.version);
  if (!v) return fail(out, 'Invalid version', `Plugin's reported version (${JSON.stringify(d.version)}) is not semver-compatible`);
  if (v.prerelease !== '' && v.prerelease !== 'dev') {
    return fail(out, 'Invalid version', `Packer can only install plugin releases with this command (ex: 1.0.0) or development pre-releases (ex: 1.0.0-dev), the binary's reported version is ${JSON.stringify(d.version)}`);
  }
  let data: Buffer;
  try {
    data = await readFile(abs);
  } catch (e) {
    return fail(out, 'Failed to read plugin binary\'s contents', `Failed to read plugin binary from ${JSON.stringify(abs)}: ${(e as Error).message}`);
  }
  // The installed name drops build metadata: `1.0.0+meta` installs as v1.0.0.
  const version = v.segments.slice(0, 3).join('.') + (v.prerelease ? `-${v.prerelease}` : '');
  const address = pluginAddress(source);
  const dir = path.join(where.dir, ...address.parts);
  const name = pluginFileName(address.name, version, d.apiVersion, where.platform);
  const placed = await placeBinary(dir, name, data, ctx.env, (again) => (again.version === d.version && again.apiVersion === d.apiVersion ? undefined : 'the binary changed while it was being installed'));
  if ('error' in placed) return fail(out, 'Failed to create plugin binary', placed.error);
  out.emitter.say(`Successfully installed plugin ${source} from ${abs} to ${placed.path}`);
  return EXIT.ok;
}
