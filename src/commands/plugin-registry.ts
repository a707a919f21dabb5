/**
 * The registry build and validate use: kiln's components plus installed plugins
 * (src/external/registry.ts), with plugin logs in PACKER_LOG. The caller closes it when
 * the command ends, which ends every plugin process.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { pluginRegistry, type PluginRegistry, type Requirement } from '../external/registry.js';
import type { ComponentKind } from '../sdk/component.js';
import type { Ledger } from '../sdk/ledger/ledger.js';
import type { TemplateModel } from '../template/model.js';
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

/** The command's registry; discovery's refusals go to the log; plugin processes are recorded in `ledger` when given. */
export async function commandRegistry(ctx: CommandContext, out: Output, ledger?: Ledger): Promise<PluginRegistry> {
  const prefer = ctx.flags.values.get('prefer-plugins');
  const dir = kilnDir();
  const { registry, diagnostics } = await pluginRegistry({
    builtins: builtinRegistry(),
    env: ctx.env,
    ...(dir !== undefined ? { kilnDir: dir } : {}),
    ...(typeof prefer === 'string' ? { preferPlugins: prefer } : {}),
    log: (line) => out.log.log('INFO', line),
    onFailure: (d) => writeDiagnostics(out, [d], new Map()),
    ...(ledger ? { ledger } : {}),
  });
  for (const d of diagnostics) out.log.log(d.severity === 'error' ? 'ERROR' : 'WARN', `${d.summary}: ${d.detail ?? ''}`);
  return registry;
}

/**
 * The template's `required_plugins` against what is installed: Packer's "Missing
 * plugins" error (exit 1), except for plugins whose every component the template uses
 * is kiln's own, which kiln says once and runs natively. True when the command must stop.
 */
export function requiredPluginsMissing(out: Output, registry: PluginRegistry, requirements: readonly Requirement[] | undefined, model: TemplateModel | undefined): boolean {
  if (!requirements || requirements.length === 0) return false;
  const used: { kind: ComponentKind; name: string }[] | undefined = model ? [] : undefined;
  for (const b of model?.builds ?? []) {
    if (!used) break;
    used.push({ kind: 'builder', name: b.builder.type });
    for (const p of b.provisioners) used.push({ kind: 'provisioner', name: p.type });
    for (const pp of b.postProcessors.flat()) used.push({ kind: 'post-processor', name: pp.type });
  }
  const r = registry.checkRequirements(requirements, used);
  for (const source of r.native) out.emitter.say(`${source} is not installed; kiln runs its components natively.`);
  if (r.missing) writeDiagnostics(out, [r.missing], new Map());
  return r.missing !== undefined;
}
