/**
 * The docker builder's run (packer-plugin-docker `builder/docker/builder.go`): temp
 * dir, pull, run, connect, provision, then commit, export or discard. Every command
 * goes through the `docker` CLI, as in Packer.
 */
import type { Artifact } from '../../../sdk/artifact.js';
import type { BuildContext } from '../../../sdk/component.js';
import { runSteps } from '../../../sdk/multistep/runner.js';
import type { Step } from '../../../sdk/multistep/step.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import { stepConnect, stepProvision, type Connector } from '../../../sdk/steps/index.js';
import { DOCKER_IMPORT_ID, ExportArtifact, ImageArtifact } from './artifact.js';
import { outcomeOf, type DockerConfig } from './config.js';
import { DockerDriver, type DockerDriverOptions } from './driver.js';
import { DEFAULT_GENERATED_DATA, type DockerState } from './state.js';
import { stepCommit } from './steps/commit.js';
import { dockerConnector } from './steps/connect.js';
import { stepExport } from './steps/export.js';
import { stepPull } from './steps/pull.js';
import { stepRunContainer } from './steps/run-container.js';
import { stepTempDir } from './steps/temp-dir.js';

/** The SSH connector, loaded only when a template asks for SSH (it pulls in ssh2). */
const lazySshConnector: Connector = async (req) => (await import('../null/ssh-connector.js')).sshConnector(req);

/** Runs a build; `driverOptions` adds to the driver's (tests pass the engine's host). */
export async function runDockerBuild(config: DockerConfig, ctx: BuildContext, driverOptions: DockerDriverOptions = {}): Promise<Result<Artifact | undefined>> {
  const driver = new DockerDriver({ executable: config.docker_path, output: (line) => ctx.ui.message(line), ...driverOptions });
  const state: DockerState = { ui: ctx.ui, hook: ctx.hook, config, driver, generatedData: { ...DEFAULT_GENERATED_DATA } };
  const outcome = outcomeOf(config);
  const comm = { ...config, communicator: config.communicator || 'docker' };
  const steps: Step<DockerState>[] = [
    stepTempDir(),
    stepPull(),
    stepRunContainer(),
    stepConnect<DockerState>({
      config: comm,
      connectors: { docker: dockerConnector(state), ssh: lazySshConnector },
      host: (s) => s.containerIp ?? s.containerId?.slice(0, 12),
    }),
    stepProvision<DockerState>(),
  ];
  if (outcome.kind === 'commit') steps.push(stepCommit());
  if (outcome.kind === 'export') steps.push(stepExport(outcome.path));

  const result = await runSteps(steps, state, { signal: ctx.signal, ui: ctx.ui, onError: ctx.packer.onError });
  if (state.error) return fail(state.error);
  if (result.kind === 'halted') return fail(result.error);
  if (result.kind === 'cancelled') return fail('Build was cancelled.');

  const generatedData = { ...state.generatedData };
  switch (outcome.kind) {
    case 'commit':
      return ok(new ImageArtifact({ builderId: DOCKER_IMPORT_ID, id: state.imageId ?? '', driver, generatedData }));
    case 'export':
      return ok(new ExportArtifact(outcome.path, generatedData));
    case 'discard':
      return ok(new ExportArtifact(undefined, generatedData));
  }
}
