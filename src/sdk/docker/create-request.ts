/**
 * The build container's `docker run` as an Engine API create request, for starting it
 * straight on the engine's socket (`POST /containers/create` + `/start`: ~0.1 s against
 * ~0.15 s and a client process through the CLI). Only for the settings whose meaning
 * the request states exactly — the container's configuration, and so the committed
 * image's, is then the CLI's (checked against `docker run` by driver.test.ts):
 * a `run_command` made of `-d`, `-i`, `-t`, `--entrypoint`, `--`, the image and its
 * arguments (Packer's default is one), capabilities, privileged, runtime, tmpfs, and
 * volumes with absolute host paths. Anything else (`--device`, `--platform`, any other
 * `run_command` flag, a relative volume) answers undefined: the caller uses the CLI.
 */
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_RUN_COMMAND, renderRunArg, type ContainerConfig } from './run-args.js';

/** What a `run_command` asks of `docker run`, when it uses only the flags this module knows. */
export interface ParsedRunCommand {
  readonly detach: boolean;
  /** `-i`: stdin kept open (the default shell then waits on it). */
  readonly interactive: boolean;
  readonly tty: boolean;
  /** `--entrypoint`; undefined keeps the image's. */
  readonly entrypoint: string | undefined;
  readonly image: string;
  /** The arguments after the image (the container's command); empty keeps the image's. */
  readonly args: readonly string[];
}

const SHORT = new Map([
  ['d', 'detach'],
  ['i', 'interactive'],
  ['t', 'tty'],
] as const);

/** Parses `runCommand` (default Packer's) with `{{.Image}}` rendered; undefined when it uses another flag. */
export function parseRunCommand(runCommand: readonly string[] | undefined, image: string): ParsedRunCommand | undefined {
  const args = (runCommand !== undefined && runCommand.length > 0 ? runCommand : DEFAULT_RUN_COMMAND).map((a) => renderRunArg(a, image));
  const flags = { detach: false, interactive: false, tty: false };
  let entrypoint: string | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-')) break;
    if (a === '--detach' || a === '--interactive' || a === '--tty') flags[a.slice(2) as keyof typeof flags] = true;
    else if (a.startsWith('--entrypoint=')) entrypoint = a.slice('--entrypoint='.length);
    else if (a === '--entrypoint') entrypoint = args[++i];
    else if (/^-[dit]+$/.test(a)) for (const c of a.slice(1)) flags[SHORT.get(c as 'd') ?? 'detach'] = true;
    else return undefined;
  }
  const target = args[i];
  // An empty --entrypoint means "none" to the CLI, which the request would spell differently.
  if (target === undefined || target.startsWith('-') || entrypoint === '') return undefined;
  return { ...flags, entrypoint, image: target, args: args.slice(i + 1) };
}

/**
 * Whether the container's first process, started by `runCommand`, is a shell waiting
 * on its open stdin: with no other process in the container, nothing writes to its
 * filesystem, so a commit need not pause it.
 */
export function idleShellRunCommand(runCommand: readonly string[] | undefined): boolean {
  const parsed = parseRunCommand(runCommand, 'image');
  const shell = /^(\/usr)?\/bin\/(sh|ash|bash|dash)$/;
  return parsed !== undefined && parsed.interactive && parsed.args.length === 0 && shell.test(parsed.entrypoint ?? '');
}

/** `POST /containers/create`'s body (and `name`) for `config`; undefined when only the CLI can say it. */
export function containerCreateRequest(config: ContainerConfig): { readonly name?: string; readonly body: Record<string, unknown> } | undefined {
  if ((config.device ?? []).length > 0 || (config.platform ?? '') !== '') return undefined;
  const run = parseRunCommand(config.runCommand, config.image);
  if (run === undefined || !run.detach) return undefined;
  const binds: string[] = [];
  for (const [host, guest] of Object.entries(config.volumes ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const source = host.startsWith('~/') ? path.join(os.homedir(), host.slice(2)) : host;
    if (!path.isAbsolute(source)) return undefined;
    binds.push(`${source}:${guest}`);
  }
  const tmpfs: Record<string, string> = {};
  for (const t of config.tmpfs ?? []) {
    const colon = t.indexOf(':');
    tmpfs[colon < 0 ? t : t.slice(0, colon)] = colon < 0 ? '' : t.slice(colon + 1);
  }
  const hostConfig: Record<string, unknown> = {
    Binds: binds.length > 0 ? binds : null,
    NetworkMode: 'default',
    RestartPolicy: { Name: 'no' },
    AutoRemove: config.autoRemove === true,
    CapAdd: capabilities(config.capAdd),
    CapDrop: capabilities(config.capDrop),
    Privileged: config.privileged === true,
    ...(Object.keys(tmpfs).length > 0 ? { Tmpfs: tmpfs } : {}),
    ...(config.runtime !== undefined && config.runtime !== '' ? { Runtime: config.runtime } : {}),
  };
  const body: Record<string, unknown> = {
    Image: run.image,
    AttachStdin: false,
    AttachStdout: !run.detach,
    AttachStderr: !run.detach,
    OpenStdin: run.interactive,
    StdinOnce: false,
    Tty: run.tty,
    ...(run.entrypoint !== undefined ? { Entrypoint: [run.entrypoint] } : {}),
    ...(run.args.length > 0 ? { Cmd: run.args } : {}),
    HostConfig: hostConfig,
  };
  return { ...(config.name !== undefined ? { name: config.name } : {}), body };
}

/** The CLI's spelling of capabilities: upper case, `CAP_` prefixed, `ALL` alone. */
function capabilities(caps: readonly string[] | undefined): string[] | null {
  if (caps === undefined || caps.length === 0) return null;
  const out = caps.map((c) => c.trim().toUpperCase()).map((c) => (c === 'ALL' || c.startsWith('CAP_') ? c : `CAP_${c}`));
  return out.includes('ALL') ? ['ALL'] : [...new Set(out)];
}
