/**
 * The docker builder's run (packer-plugin-docker `builder/docker/builder.go`): temp
 * dir, pull, run, connect, provision, then commit, export or discard. Every command
 * goes through the `docker` CLI, as in Packer.
 */
import type { Artifact } from '../../../sdk/artifact.js';
import type { ContainerTarget } from '../../../sdk/communicator.js';
import type { BuildContext } from '../../../sdk/component.js';
import { memoryLedger } from '../../../sdk/ledger/ledger.js';
import { runBuildSteps } from '../../../sdk/multistep/build-steps.js';
import type { Step } from '../../../sdk/multistep/step.js';
import type { Result } from '../../../sdk/result.js';
import { stepConnect, stepProvision } from '../../../sdk/steps/index.js';
import { DOCKER_IMPORT_ID, ExportArtifact, ImageArtifact } from '../../../sdk/docker/artifact.js';
import { outcomeOf, type DockerConfig } from './config.js';
import { DockerDriver, type DockerDriverOptions } from '../../../sdk/docker/driver.js';
import { DEFAULT_GENERATED_DATA, type DockerState } from './state.js';
import { ContainerSlot } from './container-slot.js';
import { recordImage } from './cache/machine.js';
import { CacheRemote, cacheRepository } from './cache/remote.js';
import { stepCacheCapture, stepCacheMachine, stepCacheStart, unlessFullHit } from './steps/cache.js';
import { stepCommit } from './steps/commit.js';
import { stepExport } from './steps/export.js';
import { stepPull } from './steps/pull.js';
import { stepResumeInPlace } from './steps/resume-in-place.js';
import { stepRunContainer } from './steps/run-container.js';
import { stepTempDir } from './steps/temp-dir.js';

/** Runs a build; `driverOptions` adds to the driver's (tests pass the engine's host). */
export async function runDockerBuild(config: DockerConfig, ctx: BuildContext, driverOptions: DockerDriverOptions = {}): Promise<Result<Artifact | undefined>> {
  const driver = new DockerDriver({ executable: config.docker_path, output: (line) => ctx.ui.message(line), ...driverOptions });
  const state: DockerState = { ui: ctx.ui, hook: ctx.hook, config, driver, generatedData: { ...DEFAULT_GENERATED_DATA } };
  const outcome = outcomeOf(config);
  const comm = { ...config, communicator: config.communicator || 'docker' };
  const ledger = ctx.ledger ?? memoryLedger();
  const inPlace = ctx.inPlace;
  const slot = new ContainerSlot(ledger, inPlace ? (handle, s) => inPlace.track(handle, s.tempDir !== undefined ? [s.tempDir] : []) : undefined);
  const connect = stepConnect<DockerState>({
    config: comm,
    communicators: ctx.communicators,
    host: (s) => s.containerIp ?? s.containerId?.slice(0, 12),
    request: (s) => ({ container: containerTarget(s) }),
  });
  const tempDir = stepTempDir(ledger);
  const steps: Step<DockerState>[] = [tempDir, stepPull()];
  // -on-error=abort / -resume: the container a failed run kept may be resumed in place.
  if (inPlace) steps.push(stepResumeInPlace(inPlace, slot, () => tempDir.drop()));
  if (ctx.cache === undefined) {
    steps.push(stepRunContainer(slot), connect, stepProvision<DockerState>());
  } else {
    // The step cache: start from the deepest cached step image, commit and swap after each step.
    const remote = new CacheRemote(driver, ctx.ui, cacheRepository(ctx.cache.remote.from, '-cache-from', ctx.ui), cacheRepository(ctx.cache.remote.to, '-cache-to', ctx.ui), (ref) => recordImage(ledger, state, ref));
    steps.push(
      stepCacheStart(ctx.cache, remote),
      stepRunContainer(slot),
      unlessFullHit(connect),
      stepCacheMachine({ slot, ledger, remote, communicators: ctx.communicators, config: comm, target: containerTarget }),
      stepProvision<DockerState>((s) => s.machine),
    );
  }
  if (outcome.kind === 'commit') steps.push(stepCommit());
  if (outcome.kind === 'commit' && ctx.cache !== undefined) steps.push(stepCacheCapture(ledger));
  if (outcome.kind === 'export') steps.push(stepExport(outcome.path));

  return runBuildSteps(ctx, steps, state, (s): Artifact => {
    const generatedData = { ...s.generatedData };
    switch (outcome.kind) {
      case 'commit':
        return new ImageArtifact({ builderId: DOCKER_IMPORT_ID, id: s.imageId ?? '', driver, generatedData });
      case 'export':
        return new ExportArtifact(outcome.path, generatedData);
      case 'discard':
        return new ExportArtifact(undefined, generatedData);
    }
  });
}

/** The build container, for the `docker` communicator, once the run step started it. */
function containerTarget(state: DockerState): ContainerTarget {
  const { config, driver } = state;
  // With the default run_command the container runs as the image's user: no inspect needed.
  const known = (config.run_command ?? []).length === 0 ? state.source?.user : undefined;
  const host = driver.cli.env['DOCKER_HOST'];
  return {
    containerId: state.containerId ?? '',
    ...(config.docker_path !== undefined ? { executable: config.docker_path } : {}),
    ...(host !== undefined ? { dockerHost: host } : {}),
    ...(config.exec_user !== undefined ? { execUser: config.exec_user } : {}),
    fixUploadOwner: config.fix_upload_owner,
    ...(known !== undefined ? { containerUser: known } : {}),
    ...(state.tempDir !== undefined ? { hostDir: state.tempDir } : {}),
  };
}
