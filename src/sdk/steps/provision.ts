/**
 * Packer's StepProvision: runs the build's provisioners through core's provision hook
 * with the generated data (`PopulateProvisionHookData`), and after a provisioning
 * failure runs the error-cleanup provisioner from its cleanup.
 */
import { NO_COMMUNICATOR } from '../communicator.js';
import type { GeneratedData, MachineSnapshots } from '../component.js';
import { commHost, commPassword, commPort, commUser, communicatorType } from '../communicator-config.js';
import type { Step } from '../multistep/step.js';
import { CONTINUE, halt } from '../multistep/step.js';
import { HTTP_ADDR_NOT_IMPLEMENTED, HTTP_IP_NOT_IMPLEMENTED, HTTP_PORT_NOT_IMPLEMENTED } from '../shell-local/env-vars.js';
import type { CommonState } from './common-state.js';


/**
 * The data provisioners see as `build.*` / `{{ .X }}`: the builder's generated data,
 * then `ID`, `PackerRunUUID`, the HTTP server's address (or Packer's "not implemented"
 * placeholders) and, once a communicator connected, its settings.
 */
export function provisionHookData(state: CommonState): Record<string, unknown> {
  const data: Record<string, unknown> = { ...state.generatedData };
  data['ID'] = state.instanceId ?? 'ERR_ID_NOT_IMPLEMENTED_BY_BUILDER';
  data['PackerRunUUID'] = process.env['PACKER_RUN_UUID'] ?? '';
  data['PackerHTTPIP'] = state.httpIp ?? HTTP_IP_NOT_IMPLEMENTED;
  data['PackerHTTPPort'] = state.httpPort !== undefined ? String(state.httpPort) : HTTP_PORT_NOT_IMPLEMENTED;
  data['PackerHTTPAddr'] = state.httpIp !== undefined && state.httpPort !== undefined ? `${state.httpIp}:${state.httpPort}` : HTTP_ADDR_NOT_IMPLEMENTED;
  const c = state.communicatorConfig;
  if (!c) return data;
  data['Host'] = commHost(c);
  data['Port'] = commPort(c);
  data['User'] = commUser(c);
  data['Password'] = commPassword(c);
  data['ConnType'] = communicatorType(c);
  data['SSHPublicKey'] = state.sshPublicKey ?? '';
  data['SSHPrivateKey'] = state.sshPrivateKey ?? '';
  data['SSHPrivateKeyFile'] = c.ssh_private_key_file ?? '';
  data['SSHAgentAuth'] = c.ssh_agent_auth ?? false;
  data['WinRMPassword'] = c.winrm_password ?? '';
  return data;
}

const STEP_NAME = 'StepProvision';

/**
 * The provisioning step: runs `packer_provision` and halts with its error. When it
 * was this step that failed (not a cancellation), its cleanup runs
 * `packer_cleanup_provision`, whose failure replaces the build's error with Packer's
 * combined message. `machine`: the builder's snapshots of this build's machine, for
 * the step cache (`BuildContext.cache`), when it can take them.
 */
export function stepProvision<S extends CommonState>(machine?: (state: S) => MachineSnapshots | undefined): Step<S> {
  return {
    name: STEP_NAME,
    provisions: true,
    async run(state, signal) {
      const data = provisionHookData(state);
      state.generatedData = data;
      if (!state.communicator) return halt(NO_COMMUNICATOR);
      const res = await state.hook.run('packer_provision', state.ui, state.communicator, data as GeneratedData, signal, machine?.(state));
      return res.kind === 'ok' ? CONTINUE : halt(res.error);
    },
    async cleanup(state, outcome) {
      const original = outcome.failed?.step === STEP_NAME ? outcome.failed.error : undefined;
      if (!original || outcome.cancelled || !state.communicator) return;
      state.ui.say('Provisioning step had errors: Running the cleanup provisioner, if present...');
      // Packer runs it with a fresh context: it must run even after a cancellation.
      const res = await state.hook.run('packer_cleanup_provision', state.ui, state.communicator, provisionHookData(state), new AbortController().signal);
      if (res.kind === 'error') return { error: new Error(`Cleanup failed: ${res.error.message}. Original Provisioning error: ${original.message}`) };
      return undefined;
    },
  };
}
