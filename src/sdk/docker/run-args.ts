/**
 * The `docker run` argument list for the build container, in the order Packer's
 * docker driver builds it: devices, capabilities, privileged, runtime, platform, tmpfs,
 * volumes, then the user's `run_command` with `{{.Image}}` replaced.
 */
import os from 'node:os';
import path from 'node:path';

/** Packer's default `run_command`: keep a shell alive with stdin open, whatever the image's entrypoint. */
export const DEFAULT_RUN_COMMAND: readonly string[] = ['-d', '-i', '-t', '--entrypoint=/bin/sh', '--', '{{.Image}}'];

/** What the build container is started with (the builder's config, already validated). */
export interface ContainerConfig {
  /** The image to run; substituted for `{{.Image}}` in `runCommand`. */
  readonly image: string;
  /**
   * `--rm`: the engine removes the container once it stops, so a `docker kill` is all
   * the cleanup needed (and the removal of its layer happens off the build's path).
   */
  readonly autoRemove?: boolean;
  /** Where `docker run`'s cidfile is written (a folder the run's ledger records); default the OS temp folder. */
  readonly scratchDir?: string;
  /** `--name`: kiln's name for the container, recorded in the run's ledger before `docker run`. */
  readonly name?: string;
  /** Raw `docker run` arguments; default `DEFAULT_RUN_COMMAND`. */
  readonly runCommand?: readonly string[];
  /** `--device` values, e.g. `/dev/fuse`. */
  readonly device?: readonly string[];
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
  readonly privileged?: boolean;
  /** `--runtime`, e.g. `runsc`; undefined uses the daemon's default. */
  readonly runtime?: string;
  /** `--platform`, e.g. `linux/amd64`; undefined lets Docker choose. */
  readonly platform?: string;
  /** `--tmpfs` values, e.g. `/run:rw,size=64m`. */
  readonly tmpfs?: readonly string[];
  /**
   * Host path → container path (`-v host:container`). A host path starting with `~/`
   * is taken from the home folder, as Packer does.
   */
  readonly volumes?: Readonly<Record<string, string>>;
}

/**
 * Replaces `{{.Image}}` (with or without spaces inside the braces) in one
 * `run_command` element. Caveat: this is the only template `run_command` knows until
 * the template layer renders the whole element with Packer's interpolation.
 */
export function renderRunArg(arg: string, image: string): string {
  return arg.replace(/\{\{\s*\.Image\s*\}\}/g, image);
}

/** The arguments after `docker` that start the container (`run ...`). */
export function containerRunArgs(config: ContainerConfig): string[] {
  const args = ['run'];
  if (config.name !== undefined) args.push('--name', config.name);
  if (config.autoRemove === true) args.push('--rm');
  for (const d of config.device ?? []) args.push('--device', d);
  for (const c of config.capAdd ?? []) args.push('--cap-add', c);
  for (const c of config.capDrop ?? []) args.push('--cap-drop', c);
  if (config.privileged === true) args.push('--privileged');
  if (config.runtime !== undefined && config.runtime !== '') args.push('--runtime', config.runtime);
  if (config.platform !== undefined && config.platform !== '') args.push('--platform', config.platform);
  for (const t of config.tmpfs ?? []) args.push('--tmpfs', t);
  // Sorted for a stable command line (Go's map order is random; ours need not be).
  for (const [host, guest] of Object.entries(config.volumes ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    args.push('-v', `${expandHome(host)}:${guest}`);
  }
  for (const arg of config.runCommand ?? DEFAULT_RUN_COMMAND) args.push(renderRunArg(arg, config.image));
  return args;
}

function expandHome(p: string): string {
  return p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : p;
}
