/**
 * Runs one prepared build: the builder (which calls the provision hook), then each
 * post-processor chain from the builder's artifact, keeping or destroying artifacts
 * by Packer's `keep_input_artifact` rules.
 */
import type { Artifact } from '../sdk/artifact.js';
import type { Ledger } from '../sdk/ledger/ledger.js';
import { generatedDataOf } from '../sdk/artifact.js';
import type { Ui } from '../sdk/ui.js';
import type { UiEmitter } from './ui/emitter.js';
import type { PreparedBuild } from './prepare.js';
import { decodeAndPrepare } from './prepare.js';
import { diagnosticsText, provisionHook } from './provision-hook.js';
import { guarded } from './timers.js';
import type { BuildIdentity, BuildStepCache, CacheSettings, StepReport } from './cache/engine.js';
import type { StepKeyer } from './cache/keyer.js';
import type { InPlaceSettings } from './cache/resume-in-place.js';
import type { StepEvents } from './ui/step-events.js';
import { observeStep, stepEvents } from './ui/step-events.js';

export interface BuildOutcome {
  /** Artifacts to list; `undefined` entries print as `<nothing>`. */
  readonly artifacts: readonly (Artifact | undefined)[];
  readonly error?: Error;
  /** With a cache flag: what the step cache did with each provisioner. */
  readonly cacheSteps?: readonly StepReport[];
}

/** The step cache of a run (`-cache` & co.): its settings, and how to key a build. */
export interface RunCache {
  readonly settings: CacheSettings;
  keyer(build: PreparedBuild): StepKeyer;
}

/**
 * `ledger`: where the builder records what it creates (the run's, from `kiln build`).
 * `cache`: the step cache, only when a cache flag is set (the builder gets `ctx.cache`).
 */
/** `inPlace` (`-on-error=abort`, `-resume`): the builder may resume in a machine a failed run kept (cache/resume-in-place.ts). */
export async function runBuild(build: PreparedBuild, emitter: UiEmitter, signal: AbortSignal, ledger?: Ledger, cache?: RunCache, inPlace?: InPlaceSettings): Promise<BuildOutcome> {
  return runBuildCached(build, emitter, signal, ledger, cache && (await stepCacheOf(build, emitter, cache)), inPlace);
}

function buildIdentity(build: PreparedBuild): BuildIdentity {
  return { name: build.spec.name, builderType: build.spec.builder.type, provisioners: build.provisioners.map((p) => p.spec.type) };
}

/** The build's step cache; its modules (and node:crypto's hashing) are loaded only for a run with one. */
async function stepCacheOf(build: PreparedBuild, emitter: UiEmitter, cache: RunCache): Promise<BuildStepCache> {
  const [{ BuildStepCache }, { StepStore }] = await Promise.all([import('./cache/engine.js'), import('./cache/store.js')]);
  const name = build.spec.name;
  const identity = buildIdentity(build);
  return new BuildStepCache(cache.settings, identity, new StepStore(cache.settings.dir), cache.keyer(build), emitter.uiFor(name), (e) => emitter.emit({ kind: 'step-cache', build: name, target: name, ...e }));
}

async function runBuildCached(build: PreparedBuild, emitter: UiEmitter, signal: AbortSignal, ledger: Ledger | undefined, steps: BuildStepCache | undefined, inPlace: InPlaceSettings | undefined): Promise<BuildOutcome> {
  try {
    const outcome = await runBuilder(build, emitter, signal, ledger, steps, inPlace);
    return steps ? { ...outcome, cacheSteps: steps.reports() } : outcome;
  } finally {
    steps?.end();
  }
}

async function runBuilder(build: PreparedBuild, emitter: UiEmitter, signal: AbortSignal, ledger: Ledger | undefined, steps: BuildStepCache | undefined, inPlace: InPlaceSettings | undefined): Promise<BuildOutcome> {
  const name = build.spec.name;
  const ui = emitter.uiFor(name);
  const events = stepEvents(emitter, name);
  const scope = ledger?.scope();
  const live = inPlace && scope ? new (await import('./cache/resume-in-place.js')).BuildInPlace(inPlace, buildIdentity(build), inPlace.keyer(build), scope, ui) : undefined;
  const hook = provisionHook(build.provisioners, build.errorCleanupProvisioner, build.packer, build.generatedKeys, { cache: live ? live.hooks(steps) : steps, events, ledger: scope });
  const run = await guarded(() =>
    build.builder.run(build.builderPrepared, {
      ui,
      signal,
      hook,
      packer: build.packer,
      communicators: build.communicators,
      steps: events('builder', build.spec.builder.type),
      ...(scope ? { ledger: scope } : {}),
      ...(steps ? { cache: steps } : {}),
      ...(live ? { inPlace: live } : {}),
    }),
  );
  if (run.kind === 'error') {
    const hint = signal.aborted ? undefined : steps?.failureHint();
    if (hint !== undefined) ui.say(hint);
    // -on-error=abort skipped the cleanups: what the build made stays, on purpose.
    if (build.packer.onError === 'abort' || build.packer.onError === 'run-cleanup-provisioner') scope?.keepPending();
    const kept = !signal.aborted && scope?.keptResources().some((r) => r.kind === 'container' || r.kind === 'process') ? live?.failureHint() : undefined;
    if (kept !== undefined) ui.say(kept);
    return { artifacts: [], error: run.error };
  }
  const builderArtifact = run.value;
  if (!builderArtifact) return { artifacts: [] };
  if (signal.aborted) return { artifacts: [], error: new Error('Build was cancelled.') };
  return runPostProcessors(build, builderArtifact, ui, emitter, signal, events, steps?.reports(), scope);
}

async function runPostProcessors(build: PreparedBuild, builderArtifact: Artifact, ui: Ui, emitter: UiEmitter, signal: AbortSignal, steps: StepEvents, stepCache: readonly StepReport[] | undefined, ledger: Ledger | undefined): Promise<BuildOutcome> {
  const name = build.spec.name;
  const errors: string[] = [];
  const artifacts: Artifact[] = [];
  let keepOriginal = build.postProcessors.length === 0;
  for (const chain of build.postProcessors) {
    let prior: Artifact | undefined = builderArtifact;
    for (const [i, pp] of chain.entries()) {
      if (!prior) break;
      const type = pp.spec.type;
      ui.say(pp.spec.name === type ? `Running post-processor: ${type}` : `Running post-processor: ${pp.spec.name} (type ${type})`);
      const ppUi = emitter.uiFor(name, `${name} (${type})`);
      const input: Artifact = prior;
      // Like Packer's HCL post-processors: decode and prepare again with the artifact's generated data (build.ID...).
      const data = await generatedDataOf(input);
      const prepared = await decodeAndPrepare(pp.definition, pp.spec, build.packer, signal, { keys: build.generatedKeys, data });
      if (!prepared.ok) {
        errors.push(`Post-processor failed: ${diagnosticsText(prepared.diagnostics)}`);
        prior = undefined;
        break;
      }
      const value = prepared.value;
      const observer = steps('post-processor', type);
      const res = await observeStep(observer, pp.spec.name || type, signal, () => guarded(() => pp.definition.postProcess(value, { ui: ppUi, signal, artifact: input, packer: build.packer, ...(stepCache ? { stepCache } : {}), ...(ledger ? { ledger } : {}) })));
      if (res.kind === 'error') {
        errors.push(`Post-processor failed: ${res.error.message}`);
        prior = undefined;
        break;
      }
      const out = res.value;
      if (!out.artifact) {
        prior = undefined;
        break;
      }
      let keep = out.keep;
      const userKeep = pp.spec.keepInputArtifact;
      if (userKeep !== undefined && !(out.keep && !userKeep && out.forceOverride)) keep = userKeep;
      if (i === 0) {
        if (keep) keepOriginal = true;
      } else if (keep) {
        artifacts.push(input);
      } else {
        try {
          await input.destroy();
        } catch (err) {
          errors.push(`Failed cleaning up prior artifact: ${(err as Error).message}; pp is ${type}`);
        }
      }
      prior = out.artifact;
    }
    if (prior) artifacts.push(prior);
  }
  if (keepOriginal) {
    artifacts.unshift(builderArtifact);
  } else {
    try {
      await builderArtifact.destroy();
    } catch (err) {
      errors.push(`Error destroying builder artifact: ${(err as Error).message}`);
    }
  }
  return { artifacts, ...(errors.length > 0 ? { error: new Error(multiError(errors)) } : {}) };
}

/** go-multierror's text, which Packer prints for several post-processor errors. */
export function multiError(messages: readonly string[]): string {
  if (messages.length === 1) return `1 error(s) occurred:\n\n* ${messages[0]}`;
  return `${messages.length} error(s) occurred:\n\n${messages.map((m) => `* ${m}`).join('\n')}`;
}
