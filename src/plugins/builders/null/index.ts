/**
 * The `null` builder: no machine of its own. It connects to an existing host with
 * the configured communicator (or none) and runs the provisioners there — Packer's
 * `builder/null`, for testing provisioners and provisioning machines made elsewhere.
 */
import { defineBuilder, prepared } from '../../../sdk/component.js';
import { runBuildSteps } from '../../../sdk/multistep/build-steps.js';
import type { CommonState } from '../../../sdk/steps/index.js';
import { stepConnect, stepProvision } from '../../../sdk/steps/index.js';
import { nullArtifact } from './artifact.js';
import { nullSchema, prepareNull } from './config.js';

export default defineBuilder({
  name: 'null',
  schema: nullSchema,
  prepare: async (config) => prepared(config, prepareNull(config), []),
  run(config, ctx) {
    const state: CommonState = { ui: ctx.ui, hook: ctx.hook, instanceId: 'Null' };
    const steps = [stepConnect<CommonState>({ config, communicators: ctx.communicators }), stepProvision<CommonState>()];
    return runBuildSteps(ctx, steps, state, () => nullArtifact);
  },
});
