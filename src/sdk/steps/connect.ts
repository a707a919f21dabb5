/**
 * Packer's StepConnect: reaches the machine with the configured communicator and puts
 * it in the state for the provision step. `none` needs no connection; every other type
 * is a connector the builder supplies (`ssh` from the SSH communicator, `docker` from
 * the docker builder), since the SDK layer cannot import communicator plugins.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Communicator } from '../communicator.js';
import type { CommunicatorConfig } from '../communicator-config.js';
import { communicatorType } from '../communicator-config.js';
import { formatDuration } from '../duration.js';
import type { Step } from '../multistep/step.js';
import { CONTINUE, halt } from '../multistep/step.js';
import type { Ui } from '../ui.js';
import type { CommonState } from './common-state.js';
import { NoneCommunicator } from './none-communicator.js';

export interface ConnectRequest {
  readonly ui: Ui;
  readonly signal: AbortSignal;
  /** The host to reach, from the step's `host` function ('' when it has none). */
  readonly host: string;
  readonly config: CommunicatorConfig;
}

/**
 * Connects (waiting for the machine as the communicator's options say) and resolves
 * with the communicator; rejects with the message to fail the build with, having
 * told the user what happened (Packer's `Timeout waiting for SSH.`).
 */
export type Connector = (req: ConnectRequest) => Promise<Communicator>;

export interface ConnectOptions<S> {
  readonly config: CommunicatorConfig;
  /** The machine's address once it is known; default the configured `ssh_host`/`winrm_host`. */
  readonly host?: (state: S) => string | undefined;
  /** Connectors by communicator type. */
  readonly connectors: Readonly<Record<string, Connector>>;
}

export const WINRM_UNAVAILABLE =
  'The winrm communicator is not available in kiln yet. Use communicator = "ssh" (Windows OpenSSH) or "none".';

export function stepConnect<S extends CommonState>(opts: ConnectOptions<S>): Step<S> {
  let comm: Communicator | undefined;
  return {
    name: 'StepConnect',
    async run(state, signal) {
      const type = communicatorType(opts.config);
      if (type === 'none') {
        state.communicator = new NoneCommunicator();
        return CONTINUE;
      }
      const connector = opts.connectors[type];
      if (!connector) return halt(type === 'winrm' ? WINRM_UNAVAILABLE : `unknown communicator type: ${type}`);
      const host = opts.host?.(state) ?? configuredHost(opts.config, type);
      const label = type === 'ssh' ? 'SSH' : type === 'winrm' ? 'WinRM' : type;
      state.ui.say(`Using ${label} communicator to connect: ${host}`);
      const req: ConnectRequest = { ui: state.ui, signal, host, config: opts.config };
      try {
        comm = await connector(req);
        const pause = opts.config.pause_before_connecting ?? 0;
        if (pause > 0) {
          state.ui.say(`Pausing ${formatDuration(pause)} before connecting...`);
          await comm.close();
          comm = undefined;
          await delay(pause, undefined, { signal });
          comm = await connector(req);
        }
      } catch (err) {
        return halt(err instanceof Error ? err : new Error(String(err)));
      }
      state.communicator = comm;
      state.communicatorConfig = type === 'ssh' ? { ...opts.config, ssh_host: host } : type === 'winrm' ? { ...opts.config, winrm_host: host } : opts.config;
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
