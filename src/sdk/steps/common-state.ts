/**
 * The part of a builder's state the common steps read and write (Packer's
 * conventional state keys, typed). A builder's own state interface extends it.
 */
import type { Communicator } from '../communicator.js';
import type { CommunicatorConfig } from '../communicator-config.js';
import type { ProvisionHook } from '../component.js';
import type { Ui } from '../ui.js';

export interface CommonState {
  readonly ui: Ui;
  readonly hook: ProvisionHook;
  /** Set by the connect step (a `none` communicator for `communicator = "none"`). */
  communicator?: Communicator;
  /** The options the communicator was connected with, `ssh_host` being the host used. */
  communicatorConfig?: CommunicatorConfig;
  /** The machine's id: `{{ .ID }}` / `build.ID`. */
  instanceId?: string;
  /** Set by an HTTP server step. */
  httpIp?: string;
  httpPort?: number;
  /** A temporary key pair's keys (`build.SSHPublicKey`, `build.SSHPrivateKey`). */
  sshPublicKey?: string;
  sshPrivateKey?: string;
  /** Builder-specific generated data; the provision step adds Packer's keys to it. */
  generatedData?: Record<string, unknown>;
}
