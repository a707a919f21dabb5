/**
 * Runs prepared builds the way `packer build` does: at most `parallel` at a time (0 =
 * no limit), each with its own cancellation, then the summary — "Wait completed",
 * errors, artifacts — and the exit code.
 */
import type { Artifact } from '../sdk/artifact.js';
import { durafmt } from '../sdk/duration.js';
import type { Ledger } from '../sdk/ledger/ledger.js';
import type { BuildOutcome, RunCache } from './build.js';
import { runBuild } from './build.js';
import type { InPlaceSettings } from './cache/resume-in-place.js';
import type { PreparedBuild } from './prepare.js';
import type { UiEmitter } from './ui/emitter.js';
import { artifactInfo } from './ui/artifact-info.js';
import { buildErrorInfo } from './ui/diagnostic-codes.js';

export interface RunBuildsOptions {
  readonly emitter: UiEmitter;
  /** Aborted on SIGINT/SIGTERM: no new build starts; running ones are cancelled. */
  readonly signal: AbortSignal;
  /** `-parallel-builds`; below 1 means unlimited. */
  readonly parallel: number;
  /** `-debug`: builds run one after the other. */
  readonly debug: boolean;
  /** Print "<name>: output will be in this color." lines (colour on, not machine-readable). */
  readonly announceColors: boolean;
  readonly now?: () => number;
  /** The run's ledger of created resources, handed to every builder. */
  readonly ledger?: Ledger;
  /** The step cache, when a cache flag is set. */
  readonly cache?: RunCache;
  /** With `-on-error=abort` or `-resume`: resuming in a machine a failed run kept. */
  readonly inPlace?: InPlaceSettings;
}

export interface RunBuildsResult {
  readonly exitCode: 0 | 1;
  readonly outcomes: ReadonlyMap<string, BuildOutcome>;
}

export async function runBuilds(builds: readonly PreparedBuild[], opts: RunBuildsOptions): Promise<RunBuildsResult> {
  const { emitter, signal } = opts;
  const now = opts.now ?? (() => performance.now());
  if (opts.debug) emitter.say('Debug mode enabled. Builds will not be parallelized.');
  if (opts.announceColors) {
    for (const b of builds) emitter.uiFor(b.spec.name, null).say(`${b.spec.name}: output will be in this color.`);
    if (builds.length > 0) emitter.say('');
  }
  const started = now();
  const limit = opts.debug ? 1 : opts.parallel < 1 ? Infinity : opts.parallel;
  const outcomes = new Map<string, BuildOutcome>();
  const running = new Set<Promise<void>>();
  for (const build of builds) {
    if (signal.aborted) break;
    while (running.size >= limit) await Promise.race(running);
    if (signal.aborted) break;
    const task = runOne(build, opts, now).then((outcome) => {
      outcomes.set(build.spec.name, outcome);
      running.delete(task);
    });
    running.add(task);
  }
  await Promise.all(running);
  emitter.say(`\n==> Wait completed after ${durafmt(now() - started)}`);
  if (signal.aborted) {
    emitter.say('Cleanly cancelled builds after being interrupted.');
    return { exitCode: 1, outcomes };
  }
  await summarize(builds, outcomes, emitter);
  const failed = [...outcomes.values()].some((o) => o.error);
  return { exitCode: failed ? 1 : 0, outcomes };
}

async function runOne(build: PreparedBuild, opts: RunBuildsOptions, now: () => number): Promise<BuildOutcome> {
  const name = build.spec.name;
  const start = now();
  opts.emitter.emit({ kind: 'build-started', build: name, builderType: build.spec.builder.type });
  const outcome = await runBuild(build, opts.emitter, opts.signal, opts.ledger, opts.cache, opts.inPlace);
  const elapsed = now() - start;
  const took = durafmt(elapsed);
  const buildUi = opts.emitter.uiFor(name, null);
  if (outcome.error) buildUi.error(`Build '${name}' errored after ${took}: ${outcome.error.message}`);
  else buildUi.say(`Build '${name}' finished after ${took}.`);
  for (const [index, a] of outcome.artifacts.entries()) {
    if (a) opts.emitter.emit({ kind: 'artifact', build: name, artifact: await artifactInfo(a, index) });
  }
  const status = !outcome.error ? 'succeeded' : opts.signal.aborted ? 'cancelled' : 'failed';
  opts.emitter.emit({ kind: 'build-finished', build: name, status, durationMs: Math.round(elapsed), ...(outcome.error ? { error: buildErrorInfo(outcome.error.message) } : {}) });
  return outcome;
}

async function summarize(builds: readonly PreparedBuild[], outcomes: ReadonlyMap<string, BuildOutcome>, emitter: UiEmitter): Promise<void> {
  const ordered = builds.map((b) => b.spec.name).filter((n) => outcomes.has(n));
  const errored = ordered.filter((n) => outcomes.get(n)?.error);
  if (errored.length > 0) {
    emitter.machine('error-count', [String(errored.length)]);
    emitter.error("\n==> Some builds didn't complete successfully and had errors:");
    for (const name of errored) {
      const message = outcomes.get(name)?.error?.message ?? '';
      emitter.machine('error', [message], name);
      emitter.error(`--> ${name}: ${message}`);
    }
  }
  const withArtifacts = ordered.filter((n) => !outcomes.get(n)?.error && (outcomes.get(n)?.artifacts.length ?? 0) > 0);
  if (withArtifacts.length === 0) {
    emitter.say('\n==> Builds finished but no artifacts were created.');
    return;
  }
  emitter.say('\n==> Builds finished. The artifacts of successful builds are:');
  for (const name of withArtifacts) {
    const artifacts = outcomes.get(name)?.artifacts ?? [];
    emitter.machine('artifact-count', [String(artifacts.length)], name);
    for (const [i, a] of artifacts.entries()) {
      // An artifact of a component in another process answers describe() over RPC.
      const description = a ? await a.describe() : undefined;
      artifactMachineLines(emitter, name, String(i), a, description);
      emitter.say(`--> ${name}: ${description ?? '<nothing>'}`);
    }
  }
}

function artifactMachineLines(emitter: UiEmitter, name: string, i: string, a: Artifact | undefined, description: string | undefined): void {
  if (a) {
    emitter.machine('artifact', [i, 'builder-id', a.builderId], name);
    emitter.machine('artifact', [i, 'id', a.id], name);
    emitter.machine('artifact', [i, 'string', description ?? ''], name);
    emitter.machine('artifact', [i, 'files-count', String(a.files.length)], name);
    a.files.forEach((f, fi) => emitter.machine('artifact', [i, 'file', String(fi), f], name));
  } else {
    emitter.machine('artifact', [i, 'nil'], name);
  }
  emitter.machine('artifact', [i, 'end'], name);
}
