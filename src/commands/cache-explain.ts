/**
 * `kiln cache explain [options] TEMPLATE`: for each build `kiln build` would run with
 * the same options, each step's key and whether the step cache (`-cache-dir`, else
 * `$KILN_CACHE_DIR`, else `$XDG_CACHE_HOME/kiln/steps`) has it; for a miss, which
 * input changed since the nearest recorded entry (`files/setup.sh: sha256 1f3a… →
 * 9b2c…`, `inline[0]: "…" → "…"`, a sensitive one only as `changed (sensitive)`). A dry
 * run: it starts no machine, pulls nothing and writes nothing. Exit 0, or 1 when the
 * template has errors.
 */
import path from 'node:path';
import { cacheDir, shortKey } from '../core/cache/paths.js';
import { StepStore } from '../core/cache/store.js';
import { fingerprintContext } from '../core/fingerprint/fingerprint.js';
import { cacheSecret } from '../core/fingerprint/secret.js';
import { statCache } from '../core/fingerprint/stat-cache.js';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { commandHelp } from './help.js';
import { loadAnyTemplate, prepareModel, writeDiagnostics } from './load-for-command.js';
import { createOutput } from './output.js';
import type { ExplainedStep } from './cache-explain-steps.js';
import { explainBuild } from './cache-explain-steps.js';
import { commandRegistry, requiredPluginsMissing } from './plugin-registry.js';
import { loadCacheOptions } from './cache-side-file.js';
import { COMMANDS } from './table.js';

export async function run(ctx: CommandContext): Promise<number> {
  const v = ctx.flags.values;
  const [template, ...extra] = ctx.flags.positional;
  if (template === undefined || extra.length > 0) {
    const spec = COMMANDS.find((c) => c.name === 'cache explain');
    if (spec) ctx.stderr(`${commandHelp(spec)}\n`);
    return EXIT.error;
  }
  const out = createOutput(ctx, { machineReadable: false, color: false, timestampUi: false });
  const registry = await commandRegistry(ctx, out);
  try {
    const loaded = await loadAnyTemplate(template, ctx.flags, ctx, registry);
    for (const s of loaded.secrets) out.secrets.register(s);
    if (loaded.failure !== undefined) {
      out.emitter.error(loaded.failure);
      return EXIT.error;
    }
    if (requiredPluginsMissing(out, registry, loaded.loaded.description?.requiredPlugins, loaded.model)) return EXIT.error;
    const model = loaded.model;
    if (writeDiagnostics(out, [...loaded.parseDiagnostics, ...loaded.initDiagnostics], loaded.files) !== 0 || !model) return EXIT.error;
    const options = loadCacheOptions(v, ctx.cwd, model);
    if (writeDiagnostics(out, options.diagnostics, options.files) !== 0) return EXIT.error;
    const prepared = await prepareModel(model, registry);
    for (const s of prepared.secrets) out.secrets.register(s);
    if (writeDiagnostics(out, prepared.diagnostics, loaded.files) !== 0) return EXIT.error;
    const dir = cacheDir(typeof v.get('cache-dir') === 'string' ? (v.get('cache-dir') as string) : undefined, ctx.env);
    const store = new StepStore(dir);
    const listed = store.list();
    const entries = listed.entries.map((e) => e.entry);
    const bust = v.get('cache-bust');
    const fp = {
      ...fingerprintContext(model, ctx.cwd, cacheSecret(ctx.env), prepared.secrets, statCache(path.join(dir, 'stat-cache.json'), { readOnly: true })),
      ...(typeof bust === 'string' && bust !== '' ? { bust } : {}),
      ...(options.side ? { side: options.side } : {}),
    };
    const lines: string[] = [`Step cache: ${dir} (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'})`];
    for (const c of listed.corrupt) lines.push(`Warning: unreadable entry ${c.file}: ${c.reason} (a miss for kiln build)`);
    for (const build of prepared.builds) {
      const steps = await explainBuild(build, fp, entries, (key) => store.read(key).kind === 'hit', { ...(options.ttl ? { ttl: options.ttl } : {}), now: Date.now() });
      lines.push('', `Build '${build.spec.name}':`, ...steps.map((s) => stepLine(s, build.provisioners.length)));
      const hits = steps.filter((s) => s.index !== 'base' && s.status === 'hit').length;
      lines.push(`  ${hits} of ${build.provisioners.length} step${build.provisioners.length === 1 ? '' : 's'} would be reused.`);
    }
    ctx.stdout(out.secrets.filter(`${lines.join('\n')}\n`));
    return EXIT.ok;
  } finally {
    await registry.close();
  }
}

function stepLine(s: ExplainedStep, total: number): string {
  const label = `${s.index === 'base' ? '[base]' : `[${s.index}/${total}]`} ${s.component}`;
  const key = s.key !== undefined ? shortKey(s.key) : '?'.padEnd(12);
  const status = s.status === 'hit' ? (s.index === 'base' ? 'as recorded' : 'CACHED') : s.status === 'miss' ? 'miss' : 'not cached';
  const [first, ...rest] = s.reasons;
  const head = `  ${label.padEnd(24)} ${key}  ${status}${first !== undefined ? `: ${first}` : ''}`;
  return [head, ...rest.map((r) => `${' '.repeat(42)}${r}`)].join('\n');
}
