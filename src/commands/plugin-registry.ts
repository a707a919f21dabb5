/**
 * The registry build and validate use: kiln's components plus installed plugins
 * (src/external/registry.ts), with plugin logs in PACKER_LOG. The caller closes it when
 * the command ends, which ends every plugin process.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { pluginRegistry, type PluginRegistry } from '../external/registry.js';
import { builtinRegistry } from '../plugins/registry.js';
import type { CommandContext } from './command.js';
import type { Output } from './output.js';
import { writeDiagnostics } from './load-for-command.js';

function kilnDir(): string | undefined {
  const script = process.argv[1];
  if (!script) return undefined;
  try {
    return path.dirname(realpathSync(script));
  } catch {
    return undefined;
  }
}

/** The command's registry; discovery's refusals go to the log. */
export async function commandRegistry(ctx: CommandContext, out: Output): Promise<PluginRegistry> {
  const prefer = ctx.flags.values.get('prefer-plugins');
  const dir = kilnDir();
  const { registry, diagnostics } = await pluginRegistry({
    builtins: builtinRegistry(),
    env: ctx.env,
    ...(dir !== undefined ? { kilnDir: dir } : {}),
    ...(typeof prefer === 'string' ? { preferPlugins: prefer } : {}),
    log: (line) => out.log.log('INFO', line),
    onFailure: (d) => writeDiagnostics(out, [d], new Map()),
  });
  for (const d of diagnostics) out.log.log(d.severity === 'error' ? 'ERROR' : 'WARN', `${d.summary}: ${d.detail ?? ''}`);
  return registry;
}
