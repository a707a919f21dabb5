/**
 * `kiln plan [-json] [options] TEMPLATE`: which builds `kiln build` would run with the
 * same `-only`/`-except`/`-var`/`-var-file` (the same loader filters them), and for
 * each its source, provisioners and post-processors with their file inputs, the
 * plugins it needs, and its input fingerprint (`core/fingerprint`: the step cache's
 * keys). It creates nothing and contacts nothing: data sources are not run unless
 * `-evaluate-datasources` is given, and a component whose plugin is not installed is
 * listed as needing it, its raw configuration in the fingerprint. Exit 0 (warnings
 * allowed), or 1 with errors. The `-json` document is described in `docs/plan.md` and
 * `docs/schema/plan.schema.json`.
 */
import path from 'node:path';
import { hasErrors } from '../hcl/diagnostic.js';
import { fingerprintContext } from '../core/fingerprint/fingerprint.js';
import { cacheSecret } from '../core/fingerprint/secret.js';
import { statCache } from '../core/fingerprint/stat-cache.js';
import { cacheDir } from '../core/cache/paths.js';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { commandHelp } from './help.js';
import { loadAnyTemplate, packerConfigFor, renderTemplateDiagnostics, writeDiagnostics } from './load-for-command.js';
import { createOutput } from './output.js';
import { planBuilds } from './plan-builds.js';
import { loadCacheOptions } from './cache-side-file.js';
import { planRegistry } from './plan-registry.js';
import { planDocument, planText } from './plan-render.js';
import { commandRegistry } from './plugin-registry.js';
import { COMMANDS } from './table.js';

export async function run(ctx: CommandContext): Promise<number> {
  const v = ctx.flags.values;
  const [template, ...extra] = ctx.flags.positional;
  if (template === undefined || extra.length > 0) {
    const spec = COMMANDS.find((c) => c.name === 'plan');
    if (spec) ctx.stderr(`${commandHelp(spec)}\n`);
    return EXIT.error;
  }
  const json = v.get('json') === true;
  const evaluate = v.get('evaluate-datasources') === true;
  const out = createOutput(ctx, { machineReadable: false, color: false, timestampUi: false });
  const registry = await commandRegistry(ctx, out);
  try {
    const loaded = await loadAnyTemplate(template, ctx.flags, ctx, planRegistry(registry), { evaluateDatasources: evaluate });
    for (const s of loaded.secrets) out.secrets.register(s);
    if (loaded.failure !== undefined) {
      out.emitter.error(loaded.failure);
      return EXIT.error;
    }
    const loadDiags = [...loaded.parseDiagnostics, ...loaded.initDiagnostics];
    const model = loaded.model;
    if (!model || hasErrors(loadDiags)) {
      writeDiagnostics(out, loadDiags, loaded.files);
      return EXIT.error;
    }
    const requirements = loaded.loaded.description?.requiredPlugins ?? [];
    // The step cache's remembered digests speed up large folders; plan only reads them.
    const digests = statCache(path.join(cacheDir(undefined, ctx.env), 'stat-cache.json'), { readOnly: true });
    // The step cache's side file (kiln.hcl) changes keys as it does for kiln build.
    const side = loadCacheOptions(v, ctx.cwd, model);
    if (hasErrors(side.diagnostics)) {
      writeDiagnostics(out, side.diagnostics, side.files);
      return EXIT.error;
    }
    const fp = { ...fingerprintContext(model, ctx.cwd, cacheSecret(ctx.env), [], digests), ...(side.side ? { side: side.side } : {}) };
    const plan = await planBuilds(model.builds, registry, requirements, (b) => packerConfigFor(model, b), fp);
    for (const s of plan.secrets) out.secrets.register(s);
    const diagnostics = [...loadDiags, ...plan.diagnostics];
    const doc = planDocument(template, plan.builds, loaded.loaded.description?.datasources ?? [], evaluate, diagnostics);
    if (json) {
      if (diagnostics.length > 0) ctx.stderr(out.secrets.filter(renderTemplateDiagnostics(diagnostics, loaded.files)));
      ctx.stdout(out.secrets.filter(`${JSON.stringify(doc, null, 2)}\n`));
    } else {
      writeDiagnostics(out, diagnostics, loaded.files);
      ctx.stdout(out.secrets.filter(planText(doc)));
    }
    return hasErrors(diagnostics) ? EXIT.error : EXIT.ok;
  } finally {
    await registry.close();
  }
}
