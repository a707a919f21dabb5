/**
 * `kiln validate [options] TEMPLATE` (Packer's `command/validate.go`): parse the
 * template (`-syntax-only` stops there: `Syntax-only check passed. Everything looks
 * okay.`), initialise it (data sources run only with `-evaluate-datasources`), build
 * the model with `-only`/`-except`, and prepare every component through the registry
 * as `build` would. Diagnostics are printed per phase; any error exits 1, otherwise
 * `The configuration is valid.` and exit 0. Var-file values no variable declares are
 * warned about unless `-no-warn-undeclared-var`.
 */
import type { PluginRegistry } from '../external/registry.js';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { commandHelp } from './help.js';
import type { Output } from './output.js';
import { createOutput } from './output.js';
import { builtinRegistry } from '../plugins/registry.js';
import { COMMANDS } from './table.js';
import { loadAnyTemplate, prepareModel, reportParsePhase, writeDiagnostics } from './load-for-command.js';

export async function run(ctx: CommandContext): Promise<number> {
  const [template, ...extra] = ctx.flags.positional;
  if (template === undefined || extra.length > 0) {
    const spec = COMMANDS.find((c) => c.name === 'validate');
    if (spec) ctx.stdout(`${commandHelp(spec)}\n`);
    return EXIT.error;
  }
  const out = createOutput(ctx, { machineReadable: ctx.machineReadable, color: false, timestampUi: false });
  // -syntax-only stops before any component is looked up: no plugin discovery, and
  // the plugin host's code is not even loaded.
  if (ctx.flags.values.get('syntax-only') === true) return validate(ctx, out, template, undefined);
  const { commandRegistry } = await import('./plugin-registry.js');
  const registry = await commandRegistry(ctx, out);
  try {
    return await validate(ctx, out, template, registry);
  } finally {
    await registry.close();
  }
}

/** Validates `template`; `registry` is undefined for -syntax-only. */
async function validate(ctx: CommandContext, out: Output, template: string, registry: PluginRegistry | undefined): Promise<number> {
  const v = ctx.flags.values;
  const syntaxOnly = registry === undefined;
  const loaded = await loadAnyTemplate(template, ctx.flags, ctx, registry ?? builtinRegistry(), {
    syntaxOnly,
    evaluateDatasources: v.get('evaluate-datasources') === true,
    warnOnUndeclaredVar: v.get('no-warn-undeclared-var') !== true,
  });
  if (registry && (await import('./plugin-registry.js')).requiredPluginsMissing(out, registry, loaded.loaded.description?.requiredPlugins, loaded.model)) return EXIT.error;
  if (reportParsePhase(out, loaded) !== 0) return EXIT.error;
  if (syntaxOnly) {
    out.emitter.say('Syntax-only check passed. Everything looks okay.');
    return EXIT.ok;
  }
  const model = loaded.model;
  if (!model) {
    writeDiagnostics(out, loaded.initDiagnostics, loaded.files);
    return EXIT.error;
  }
  const prepared = await prepareModel(model, registry ?? builtinRegistry());
  for (const s of prepared.secrets) out.secrets.register(s);
  const code = writeDiagnostics(out, [...loaded.initDiagnostics, ...prepared.diagnostics], loaded.files);
  if (code === 0) out.emitter.say('The configuration is valid.');
  return code;
}
