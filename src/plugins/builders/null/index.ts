/**
 * The `null` builder: no machine of its own. It connects to an existing host with
 * the configured communicator (or none) and runs the provisioners there — Packer's
 * `builder/null`, for testing provisioners and provisioning machines made elsewhere.
 */
import { defineBuilder } from '../../../sdk/component.js';
import type { BuildContext } from '../../../sdk/component.js';
import { runBuildSteps } from '../../../sdk/multistep/build-steps.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import type { CommonState, Connector } from '../../../sdk/steps/index.js';
import { stepConnect, stepProvision } from '../../../sdk/steps/index.js';
import type { Artifact } from '../../../sdk/artifact.js';
import type { CommunicatorConfig } from '../../../sdk/communicator-config.js';
import { nullArtifact } from './artifact.js';
import { nullSchema, prepareNull } from './config.js';

/** The SSH connector, loaded only when a build connects over SSH (it pulls in ssh2). */
const lazySshConnector: Connector = async (req) => (await import('./ssh-connector.js')).sshConnector(req);

/** Runs the null builder's steps; `connectors` replaces the SSH one (tests). */
export async function runNull(config: CommunicatorConfig, ctx: BuildContext, connectors: Readonly<Record<string, Connector>> = { ssh: lazySshConnector }): Promise<Result<Artifact | undefined>> {
  const state: CommonState = { ui: ctx.ui, hook: ctx.hook, instanceId: 'Null' };
  const steps = [stepConnect<CommonState>({ config, connectors }), stepProvision<CommonState>()];
  const result = await runBuildSteps(steps, state, ctx);
  if (state.error) return fail(state.error);
  if (result.kind === 'halted') return fail(result.error);
  if (result.kind === 'cancelled') return fail('Build was cancelled.');
  return ok(nullArtifact);
}

export default defineBuilder({
  name: 'null',
  schema: nullSchema,
  generatedData: [],
  prepare: (config) => prepareNull(config),
  run: (config, ctx) => runNull(config, ctx),
});
