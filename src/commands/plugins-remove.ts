/**
 * `kiln plugins remove <source|absolute path> [<constraint>]` (Packer's
 * `command/plugins_remove.go`): removes every install of the source matching the
 * constraint (any API version), or the one binary at an absolute path inside the
 * plugin folder, each with its `_SHA256SUM`, printing each removed path.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { CHECKSUM_SUFFIX, installsMatching } from '../external/discovery/index.js';
import { errorDiag } from '../hcl/diagnostic.js';
import { parseConstraints } from '../support/version-constraint.js';
import { sourceProblem } from '../template/hcl2/packer-block.js';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { installedIn, pluginDirOf, pluginsOutput, printHelp } from './plugins-common.js';
import { writeDiagnostics } from './load-for-command.js';

async function removeBinary(file: string): Promise<void> {
  await rm(file);
  await rm(file + CHECKSUM_SUFFIX, { force: true });
}

export async function run(ctx: CommandContext): Promise<number> {
  const args = ctx.flags.positional;
  if (args.length < 1 || args.length > 2) {
    printHelp(ctx, 'plugins remove');
    return EXIT.error;
  }
  const out = pluginsOutput(ctx);
  const where = pluginDirOf(ctx, out);
  if (!where) return EXIT.error;
  const target = args[0]!;
  if (path.isAbsolute(target)) {
    if (args.length !== 1) {
      out.emitter.error('Unsupported: no version constraint may be specified with a local plugin path.\n');
      printHelp(ctx, 'plugins remove');
      return EXIT.error;
    }
    if (!target.includes(where.dir)) {
      return writeDiagnostics(out, [errorDiag('Invalid plugin location', `The path ${JSON.stringify(target)} is not under the plugin directory inferred by Packer (${where.dir}) and will not be removed.`)], new Map());
    }
    try {
      await removeBinary(target);
    } catch (e) {
      return writeDiagnostics(out, [errorDiag('Failed to delete plugin', `The plugin ${JSON.stringify(target)} failed to be deleted with the following error: ${JSON.stringify((e as Error).message)}`)], new Map());
    }
    out.emitter.say(target);
    return EXIT.ok;
  }
  const problem = sourceProblem(target);
  if (problem) {
    out.emitter.error(`Invalid source string ${JSON.stringify(target)}: ${problem}`);
    return EXIT.error;
  }
  const constraintText = args[1];
  const constraint = constraintText === undefined ? undefined : parseConstraints(constraintText);
  if (constraintText !== undefined && !constraint) {
    out.emitter.error(`Malformed constraint: ${constraintText}`);
    return EXIT.error;
  }
  const plugins = await installedIn(ctx, out, where);
  const matching = installsMatching(plugins, target, constraint, { anyApiVersion: true });
  let code: number = EXIT.ok;
  for (const p of matching) {
    try {
      await removeBinary(p.path);
      out.emitter.say(p.path);
    } catch (e) {
      out.emitter.error(`Failed to remove plugin ${JSON.stringify(p.path)}: ${JSON.stringify((e as Error).message)}`);
      code = EXIT.error;
    }
  }
  if (matching.length === 0) {
    out.emitter.error(`No installed plugin found matching the plugin constraints ${target}${constraintText !== undefined ? ` ${constraintText}` : ''}`);
    return EXIT.error;
  }
  return code;
}
