/**
 * `kiln plugins required TEMPLATE` (Packer's `command/plugins_required.go`): one line
 * per `required_plugins` entry — `<name> <source> "<constraint>"` followed by every
 * installed binary that satisfies it, ascending (a build uses the last).
 */
import { installsMatching } from '../external/discovery/index.js';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { installedIn, NO_REQUIREMENTS, pluginDirOf, pluginsOutput, printHelp, requirementsOf } from './plugins-common.js';

export async function run(ctx: CommandContext): Promise<number> {
  const [template, ...extra] = ctx.flags.positional;
  if (template === undefined || extra.length > 0) {
    printHelp(ctx, 'plugins required');
    return EXIT.error;
  }
  const out = pluginsOutput(ctx);
  const reqs = await requirementsOf(ctx, out, template);
  if (!reqs) return EXIT.error;
  const where = pluginDirOf(ctx, out);
  if (!where) return EXIT.error;
  const plugins = await installedIn(ctx, out, where);
  for (const req of reqs) {
    const paths = installsMatching(plugins, req.source, req.version).map((p) => ` ${p.path}`);
    out.emitter.say(`${req.name} ${req.source} ${JSON.stringify(req.version)}${paths.join('')}`);
  }
  if (reqs.length === 0) out.emitter.say(NO_REQUIREMENTS);
  return EXIT.ok;
}
