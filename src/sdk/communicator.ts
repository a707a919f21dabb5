/**
 * The communicator contract: how provisioners reach a machine (SSH, Docker exec,
 * WinRM, the local host). Modelled on packer-plugin-sdk's `packer.Communicator`,
 * with cancellation through AbortSignal and disconnection as a result, not an error.
 */
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { CommunicatorConfig } from './communicator-config.js';
import type { Ui } from './ui.js';

/** Packer's error when provisioners have no communicator to run through. */
export const NO_COMMUNICATOR =
  'No communicator found for provisioners! This is usually because the\n' +
  '`communicator` config was set to "none". If you have any provisioners\n' +
  'then a communicator is required. Please fix this to continue.';

/**
 * A communicator for a build that has no machine to reach (every provisioner was
 * cached, so the provision hook never calls it): each operation rejects with `why`.
 */
export function unreachableCommunicator(type: string, why: string): Communicator {
  const unavailable = (): Promise<never> => Promise.reject(new Error(why));
  return { type, run: unavailable, upload: unavailable, uploadDir: unavailable, download: unavailable, downloadDir: unavailable, close: () => Promise.resolve() };
}

/** A command to run on the machine, through the machine's shell. */
export interface RemoteCommand {
  /** The command line, as one string: the remote shell interprets it. */
  readonly command: string;
  /** Fed to the command's standard input; closed when it ends. */
  readonly stdin?: Readable;
  /** Called with each chunk of standard output / standard error, in order. */
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
}

/**
 * How a command ended. `disconnected` means the connection dropped before an exit
 * status arrived (a reboot, a killed server): the shell provisioner's
 * `expect_disconnect` turns it into success; everything else treats it as a failure.
 */
export type CommandResult =
  | { readonly kind: 'exited'; readonly exitStatus: number }
  | { readonly kind: 'disconnected'; readonly reason: string };

/** File metadata an upload may carry (SCP sends the mode; SFTP sets it after). */
export interface UploadInfo {
  /** Permission bits, e.g. 0o644; default 0o644. */
  readonly mode?: number;
  /** Byte length when known ahead (SCP needs it; a stream of unknown size is buffered). */
  readonly size?: number;
}

export interface Communicator {
  /** A short name for messages and logs: `ssh`, `docker`, `local`. */
  readonly type: string;
  /**
   * Runs `cmd` and resolves when it ends. Rejects only on a transport failure before the
   * command could start, or when `signal` aborts (the command is then killed where the
   * transport allows it).
   */
  run(cmd: RemoteCommand, signal?: AbortSignal): Promise<CommandResult>;
  /** Writes `source` to the file `dst` on the machine, creating or replacing it. */
  upload(dst: string, source: Readable | Buffer, info?: UploadInfo, signal?: AbortSignal): Promise<void>;
  /**
   * Copies the local directory `src` to `dst`, with `scp -r`'s rules as Packer uses
   * them: when `src` ends in `/` its contents go into `dst`; otherwise the directory
   * itself is copied — into `dst` when `dst` is an existing directory, else as `dst`.
   * `exclude` lists relative paths to leave out.
   */
  uploadDir(dst: string, src: string, exclude?: readonly string[], signal?: AbortSignal): Promise<void>;
  /** Streams the file `src` on the machine into `sink`. */
  download(src: string, sink: Writable, signal?: AbortSignal): Promise<void>;
  /** Copies the directory `src` on the machine to the local `dst`, with the same trailing-slash rule. */
  downloadDir(src: string, dst: string, exclude?: readonly string[], signal?: AbortSignal): Promise<void>;
  /** Closes connections and frees what the communicator holds. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The container a `docker` communicator reaches, as the builder that started it knows
 * it (Packer's StepConnectDocker reads the same from the state bag).
 */
export interface ContainerTarget {
  readonly containerId: string;
  /** The docker CLI; default `docker`. */
  readonly executable?: string;
  /** `DOCKER_HOST` for the CLI; default the environment's. */
  readonly dockerHost?: string;
  /** `exec_user`: who commands run as (`docker exec -u`); undefined is the container's user. */
  readonly execUser?: string;
  /** `fix_upload_owner`: `chown` uploads to the container's user (Packer's default: true). */
  readonly fixUploadOwner?: boolean;
  /** The container's configured user when known (saves an inspect); `''` is root. */
  readonly containerUser?: string;
  /** Host folder shared with the container, for staging copies. */
  readonly hostDir?: string;
}

/**
 * What a builder asks a communicator component for: reach the machine it made
 * reachable. The connect step (`sdk/steps/connect.ts`) makes the request.
 */
export interface ConnectRequest {
  readonly ui: Ui;
  readonly signal: AbortSignal;
  /** The machine's address ('' when the communicator needs none, as `docker`). */
  readonly host: string;
  /** The template's communicator options; the builder may have adjusted the port to dial. */
  readonly config: CommunicatorConfig;
  /** Private keys offered after the configured ones (a builder's temporary key pair). */
  readonly privateKeys?: readonly (string | Buffer)[];
  /** For `docker`: the container to reach. */
  readonly container?: ContainerTarget;
  /**
   * A TCP connection to the machine's communicator port that is already open (a
   * builder's probe that saw the SSH banner, the bytes it read put back). The first
   * attempt uses it instead of dialling; the communicator owns it from here.
   */
  readonly socket?: Socket;
}
