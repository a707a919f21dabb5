/**
 * `kiln plugins installed` (Packer's `command/plugins_installed.go`): the path of every
 * installed plugin binary for this OS and architecture that passes its checks, any API
 * version, one per line in Packer's order (name, version, API version).
 */
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { installedIn, pluginDirOf, pluginsOutput } from './plugins-common.js';

export async function run(ctx: CommandContext): Promise<number> {
  const out = pluginsOutput(ctx);
  const where = pluginDirOf(ctx, out);
  if (!where) return EXIT.error;
  const plugins = await installedIn(ctx, out, where);
  for (const p of plugins) if (p.form === 'multi') out.emitter.say(p.path);
  return EXIT.ok;
}
