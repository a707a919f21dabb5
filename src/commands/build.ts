/**
 * `kiln build`: load the template (HCL2 or legacy JSON), prepare every build through
 * the component registry, run them in parallel, print Packer's output, and exit 0, or
 * 1 when anything failed or the run was interrupted.
 */
import type { Diagnostic } from '../hcl/diagnostic.js';
import { runBuilds } from '../core/run-builds.js';
import { cacheNeeded, cacheRequested } from './cache-flags.js';
import type { LoadedCacheOptions } from './cache-side-file.js';
import os from 'node:os';
import path from 'node:path';
import { countLeftovers, ledgerDir, makeRecordedTempDir, memoryLedger, openRunLedger, type Ledger, type Resource } from '../sdk/ledger/index.js';
import type { OnError } from '../sdk/multistep/runner.js';
import { PACKER_COMPAT_VERSION } from '../support/version.js';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { commandHelp } from './help.js';
import { commandRegistry, requiredPluginsMissing } from './plugin-registry.js';
import { createOutput, type Output } from './output.js';
import { buildEventOutputs, type BuildEventOutputs } from './build-events.js';
import { failureInfo } from '../core/ui/diagnostic-codes.js';
import { listenForInterrupts } from './signals.js';
import { COMMANDS } from './table.js';
import { loadAnyTemplate, prepareModel, writeDiagnostics } from './load-for-command.js';

const NO_BUILDS: Diagnostic = {
  severity: 'error',
  summary: 'No builds to run',
  detail:
    'A build command cannot run without at least one build to process. If the only or except flags have been specified at run time check that at least one build is selected for execution.',
};

export async function run(ctx: CommandContext): Promise<number> {
  const v = ctx.flags.values;
  const [template, ...extra] = ctx.flags.positional;
  if (template === undefined || extra.length > 0) {
    const spec = COMMANDS.find((c) => c.name === 'build');
    if (spec) ctx.stderr(commandHelp(spec));
    return EXIT.error;
  }
  const run = {
    debug: v.get('debug') === true,
    force: v.get('force') === true,
    onError: ((v.get('on-error') as string | undefined) || 'cleanup') as OnError,
  };
  const events = buildEventOutputs(ctx);
  if (typeof events === 'string') {
    ctx.stderr(`${events}\n`);
    return EXIT.error;
  }
  const out = createOutput(ctx, {
    machineReadable: ctx.machineReadable,
    color: v.get('color') !== false,
    timestampUi: v.get('timestamp-ui') === true,
    // node:readline is loaded when -on-error=ask first asks.
    ask: async (query) => {
      const { pipedAsk, terminalAsk } = await import('./terminal.js');
      return (process.stdin.isTTY ? terminalAsk : pipedAsk)(query);
    },
    ...events.output,
  });
  const started = performance.now();
  out.emitter.emit({ kind: 'run-started', command: 'build', template });
  let code: number = EXIT.error;
  let cancelled = false;
  try {
    code = await buildTemplate(ctx, out, template, run, events, (c) => (cancelled = c));
  } finally {
    const status = code === 0 ? 'succeeded' : cancelled ? 'cancelled' : 'failed';
    out.emitter.emit({ kind: 'run-finished', status, exitCode: code, durationMs: Math.round(performance.now() - started) });
    const problems = await events.finish(template);
    for (const p of problems) out.emitter.error(p);
    if (problems.length > 0) code = EXIT.error;
  }
  return code;
}

async function buildTemplate(
  ctx: CommandContext,
  out: Output,
  template: string,
  run: { debug: boolean; force: boolean; onError: OnError },
  events: BuildEventOutputs,
  setCancelled: (c: boolean) => void,
): Promise<number> {
  const v = ctx.flags.values;
  out.log.log('INFO', `kiln (Packer ${PACKER_COMPAT_VERSION} compatible) build ${template}`);
  const ledgers = ledgerDir(ctx.env);
  // KILN_NO_LEDGER=1 is for bench/ledger-builds.ts only (what the ledger costs): no ledger file, no private TMPDIR.
  const noLedger = ctx.env['KILN_NO_LEDGER'] === '1';
  const ledger = noLedger ? memoryLedger() : openRunLedger(ledgers);
  const left = noLedger ? 0 : countLeftovers(ledgers);
  if (left > 0) out.emitter.error(`${left} resource${left === 1 ? '' : 's'} from earlier runs ${left === 1 ? 'is' : 'are'} left; run \`kiln gc\``);
  const interrupts = listenForInterrupts(
    (message) => out.emitter.error(message),
    (message) => {
      const remaining = ledger.pending();
      out.emitter.error(remaining.length > 0 ? `${message} Still to clean up: ${remaining.join(', ')}` : message);
    },
  );
  const tmp = noLedger ? { remove: async (_kept: readonly Resource[]) => {} } : await privateTmpDir(ledger);
  const registry = await commandRegistry(ctx, out, ledger);
  try {
    const loaded = await loadAnyTemplate(template, ctx.flags, ctx, registry, {
      warnOnUndeclaredVar: v.get('warn-on-undeclared-var') === true,
      signal: interrupts.signal,
    });
    for (const s of loaded.secrets) out.secrets.register(s);
    if (loaded.failure !== undefined) {
      out.emitter.emit({ kind: 'diagnostic', diagnostic: failureInfo(loaded.failure) });
      out.emitter.error(loaded.failure);
      return EXIT.error;
    }
    if (requiredPluginsMissing(out, registry, loaded.loaded.description?.requiredPlugins, loaded.model)) return EXIT.error;
    const loadFailed = writeDiagnostics(out, [...loaded.parseDiagnostics, ...loaded.initDiagnostics], loaded.files);
    const model = loaded.model;
    if (loadFailed || !model) return EXIT.error;
    // The step cache's side file (kiln.hcl): its errors stop a build with a cache flag;
    // without one it is read quietly, for what must key as plan and -resume do (the
    // -metadata-file fingerprint, a machine -on-error=abort keeps).
    // The cache's modules (side file, keys, fingerprints) are loaded only for a run that uses them.
    const caching = cacheNeeded(v, run.onError, !noLedger) ? await Promise.all([import('./cache-side-file.js'), import('./build-cache.js')]) : undefined;
    const cacheOptions: LoadedCacheOptions = caching ? caching[0].loadCacheOptions(v, ctx.cwd, model) : { diagnostics: [], files: new Map() };
    if (cacheRequested(v) && writeDiagnostics(out, cacheOptions.diagnostics, cacheOptions.files)) return EXIT.error;
    const prepared = await prepareModel(model, registry, run);
    for (const s of prepared.secrets) out.secrets.register(s);
    const prepareFailed = writeDiagnostics(out, prepared.diagnostics, loaded.files);
    if (prepared.builds.length === 0) {
      if (!prepareFailed) writeDiagnostics(out, [NO_BUILDS], loaded.files);
      return EXIT.error;
    }
    out.human?.assignColors(prepared.builds.map((b) => b.spec.name));
    events.fingerprint(prepared.builds, model, prepared.secrets, cacheOptions.side);
    const cache = caching?.[1].runCacheOf(v, ctx.env, ctx.cwd, model, prepared.secrets, cacheOptions);
    const inPlace = noLedger ? undefined : caching?.[1].inPlaceOf(v, ctx.env, ctx.cwd, model, prepared.secrets, run.onError, cache, cacheOptions);
    const result = await runBuilds(prepared.builds, {
      emitter: out.emitter,
      signal: interrupts.signal,
      parallel: (v.get('parallel-builds') as number | undefined) ?? 0,
      debug: run.debug,
      announceColors: out.colored,
      ledger,
      ...(cache ? { cache } : {}),
      ...(inPlace ? { inPlace } : {}),
    });
    return result.exitCode;
  } finally {
    setCancelled(interrupts.signal.aborted);
    await registry.close();
    await tmp.remove(ledger.keptResources());
    const { pending, skipped } = ledger.close();
    if (pending > 0) out.emitter.error(`${pending} resource${pending === 1 ? '' : 's'} could not be removed; run \`kiln gc\` to retry`);
    if (skipped > 0) out.emitter.say(`${skipped} resource${skipped === 1 ? ' was' : 's were'} left in place (cleanup skipped on purpose); \`kiln gc -kept\` removes ${skipped === 1 ? 'it' : 'them'}`);
    // Skipped cleanups may leave this process's own handles open (an HTTP server, an SSH
    // connection to a kept VM) that would keep it alive: as Packer's does, it exits once done.
    if (skipped > 0) setTimeout(() => process.exit(), 200).unref();
    interrupts.dispose();
  }
}

/**
 * The run's private temp folder, recorded in its ledger: TMPDIR (and PACKER_TMP_DIR when
 * set: the folder is made inside it) points into it while the run lasts, so every temp
 * file of components, plugins and their children (provisioner scripts, key files, plugin
 * sockets) goes with it at the end, or with `kiln gc` after a crash.
 */
async function privateTmpDir(ledger: Ledger): Promise<{ remove(kept: readonly Resource[]): Promise<void> }> {
  const names = ['TMPDIR', 'PACKER_TMP_DIR'] as const;
  const before = names.map((n) => process.env[n]);
  const packerTmp = process.env['PACKER_TMP_DIR'];
  const dir = await makeRecordedTempDir(ledger, packerTmp !== undefined && packerTmp !== '' ? path.resolve(packerTmp) : os.tmpdir(), 'kiln-run-');
  process.env['TMPDIR'] = dir.path;
  if (packerTmp !== undefined && packerTmp !== '') process.env['PACKER_TMP_DIR'] = dir.path;
  return {
    async remove(kept) {
      names.forEach((n, i) => {
        const v = before[i];
        if (v === undefined) delete process.env[n];
        else process.env[n] = v;
      });
      // A folder kept on purpose inside it (-on-error=abort: a kept container's mounted temp dir) keeps it too.
      if (kept.some((r) => r.kind === 'path' && r.path.startsWith(`${dir.path}/`))) dir.handle.kept();
      else await dir.remove();
    },
  };
}
