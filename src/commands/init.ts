/**
 * `kiln init [-upgrade] [-force] TEMPLATE` (Packer's `command/init.go`): installs each
 * `required_plugins` entry that has no matching installation, from HashiCorp's
 * releases service (official plugins) or GitHub releases. `-upgrade` moves to the
 * newest matching release; `-force` reinstalls (pinned to the installed release unless
 * `-upgrade`). A failing plugin prints `Failed getting the "<source>" plugin:` and its
 * errors, the others are still installed, and the exit code is 1. Unlike Packer, a
 * plugin that needs nothing says so.
 */
import { installsMatching } from '../external/discovery/index.js';
import { defaultGetters, installLatest, pluginAddress } from '../external/getter/index.js';
import { parseConstraints } from '../support/version-constraint.js';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { listenForInterrupts } from './signals.js';
import { installedIn, multiError, NO_REQUIREMENTS, pluginDirOf, pluginsOutput, printHelp, progressPrinter, requirementsOf } from './plugins-common.js';

export async function run(ctx: CommandContext): Promise<number> {
  const [template, ...extra] = ctx.flags.positional;
  if (template === undefined || extra.length > 0) {
    printHelp(ctx, 'init');
    return EXIT.error;
  }
  const upgrade = ctx.flags.values.get('upgrade') === true;
  const force = ctx.flags.values.get('force') === true;
  const out = pluginsOutput(ctx);
  const reqs = await requirementsOf(ctx, out, template);
  if (!reqs) return EXIT.error;
  if (reqs.length === 0) out.emitter.say(NO_REQUIREMENTS);
  const where = pluginDirOf(ctx, out);
  if (!where) return EXIT.error;
  const installed = { plugins: await installedIn(ctx, out, where) };
  const interrupts = listenForInterrupts((m) => out.emitter.error(m));
  const onProgress = progressPrinter(ctx.stderr, process.stderr.isTTY === true);
  let code: number = EXIT.ok;
  try {
    for (const req of reqs) {
      const matching = installsMatching(installed.plugins, req.source, req.version, { releasesOnly: true });
      const newest = matching.at(-1);
      if (newest && !force && !upgrade) {
        out.emitter.say(`Plugin ${req.source} v${newest.version} is already installed in ${JSON.stringify(newest.path)}`);
        continue;
      }
      let constraintText = req.version;
      if (newest && force && !upgrade) constraintText = `=${newest.version}`;
      const constraint = parseConstraints(constraintText);
      const outcome = await installLatest(pluginAddress(req.source), constraint, {
        pluginDir: where.dir,
        platform: where.platform,
        env: ctx.env,
        getters: defaultGetters(ctx.env, where.platform),
        force,
        signal: interrupts.signal,
        onProgress,
      });
      switch (outcome.kind) {
        case 'installed':
          out.emitter.say(`Installed plugin ${req.source} v${outcome.version} in ${JSON.stringify(outcome.path)}`);
          break;
        case 'already':
          out.emitter.say(`Plugin ${req.source} v${outcome.version} is already installed in ${JSON.stringify(outcome.path)}${upgrade ? ' (the newest matching release)' : ''}`);
          break;
        case 'failed':
          out.emitter.error(`Failed getting the ${JSON.stringify(req.source)} plugin:`);
          out.emitter.error(multiError(outcome.errors));
          code = EXIT.error;
          break;
      }
      if (interrupts.signal.aborted) return EXIT.error;
    }
  } finally {
    interrupts.dispose();
  }
  return code;
}
