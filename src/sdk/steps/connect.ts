/**
 * Packer's StepConnect: reaches the machine with the communicator component the
 * template's `communicator` names (`ssh` when unset), looked up through the build's
 * `communicators`, and puts it in the state for the provision step. A builder says
 * where the machine is (`host`) and what else the communicator needs (`request`: the
 * port to dial, a temporary key, the container); it never imports a communicator.
 */
import type { CommunicatorLookup } from '../component.js';
import type { Communicator, ConnectRequest } from '../communicator.js';
import type { CommunicatorConfig } from '../communicator-config.js';
import { communicatorType } from '../communicator-config.js';
import { formatDuration } from '../duration.js';
import type { Step } from '../multistep/step.js';
import { CONTINUE, halt } from '../multistep/step.js';
import { sleep } from '../../support/sleep.js';
import type { CommonState } from './common-state.js';

/** What a builder adds to the request from its state once the machine runs. */
export type ConnectExtras = Partial<Pick<ConnectRequest, 'config' | 'privateKeys' | 'container' | 'socket'>>;

export interface ConnectOptions<S> {
  readonly config: CommunicatorConfig;
  /** The build's communicator components (`BuildContext.communicators`). */
  readonly communicators: CommunicatorLookup;
  /** The machine's address once it is known; default the configured `ssh_host`/`winrm_host`. */
  readonly host?: (state: S) => string | undefined;
  /** Builder-specific parts of the request (default: none). */
  readonly request?: (state: S) => ConnectExtras;
}

export const WINRM_UNAVAILABLE =
  'The winrm communicator is not available in kiln yet. Use communicator = "ssh" (Windows OpenSSH) or "none".';

const LABELS: Readonly<Record<string, string>> = { ssh: 'SSH', winrm: 'WinRM' };

export function stepConnect<S extends CommonState>(opts: ConnectOptions<S>): Step<S> {
  let comm: Communicator | undefined;
  return {
    name: 'StepConnect',
    async run(state, signal) {
      const type = communicatorType(opts.config);
      const component = await opts.communicators(type);
      if (!component) return halt(type === 'winrm' ? WINRM_UNAVAILABLE : `unknown communicator type: ${type}`);
      const host = opts.host?.(state) ?? configuredHost(opts.config, type);
      // `none` reaches nothing: Packer says nothing and records no connection settings.
      if (type !== 'none') state.ui.say(`Using ${LABELS[type] ?? type} communicator to connect: ${host}`);
      const req: ConnectRequest = { ui: state.ui, signal, host, config: opts.config, ...opts.request?.(state) };
      try {
        comm = await component.connect(req);
        const pause = opts.config.pause_before_connecting ?? 0;
        if (pause > 0) {
          state.ui.say(`Pausing ${formatDuration(pause)} before connecting...`);
          await comm.close();
          comm = undefined;
          if (!(await sleep(pause, signal))) return halt('Build was cancelled.');
          comm = await component.connect(req);
        }
      } catch (err) {
        return halt(err instanceof Error ? err : new Error(String(err)));
      }
      state.communicator = comm;
      if (type !== 'none') state.communicatorConfig = withHost(opts.config, type, host);
      return CONTINUE;
    },
    async cleanup() {
      await comm?.close();
      comm = undefined;
    },
  };
}

function configuredHost(c: CommunicatorConfig, type: string): string {
  return (type === 'winrm' ? c.winrm_host : c.ssh_host) ?? '';
}

function withHost(c: CommunicatorConfig, type: string, host: string): CommunicatorConfig {
  return type === 'ssh' ? { ...c, ssh_host: host } : type === 'winrm' ? { ...c, winrm_host: host } : c;
}
