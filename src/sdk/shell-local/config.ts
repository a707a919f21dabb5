/**
 * shell-local's options (sdk `shell-local/config.go`), shared by the `shell-local`
 * provisioner and post-processor, and their resolution: Packer's per-OS defaults and
 * its checks, with its messages.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Infer } from '../schema/index.js';
import { bool, int, list, map, str } from '../schema/index.js';
import { envVarErrors } from './env-vars.js';

/** Spread into a component's schema: `{ ...shellLocalSchema }`. */
export const shellLocalSchema = {
  command: str().doc('One command to run locally; exclusive with `inline`, `script` and `scripts`.'),
  inline: list(str()).doc('Commands written to a temporary script, one per line, and run.'),
  script: str().localPath().doc('A local script to run.'),
  scripts: list(str()).localPath().doc('Local scripts to run, in order.'),
  environment_vars: list(str()).late().doc('`KEY=value` pairs given to the scripts; rendered with the build\'s generated data.'),
  env: map(str()).doc('Variables given to the scripts; these win over `environment_vars`.'),
  env_var_format: str().doc("How each variable is written into `{{.Vars}}`; default `%s='%s' ` (`set %s=%s && ` on Windows)."),
  execute_command: list(str())
    .late()
    .doc('The program and arguments that run each script; `{{.Vars}}`, `{{.Script}}` and `{{.Command}}` are available. Default `["/bin/sh", "-c", "{{.Vars}} {{.Script}}"]`.'),
  inline_shebang: str().doc('The interpreter line of the inline script; default `/bin/sh -e` (none on Windows).'),
  only_on: list(str()).doc('Run only on these host systems (`darwin`, `freebsd`, `linux`, `openbsd`, `solaris`, `windows`).'),
  tempfile_extension: str().doc('Extension of the inline script file; default `.cmd` on Windows.'),
  use_linux_pathing: bool().doc('On Windows with WSL: pass script paths as `/mnt/<drive>/...`.'),
  valid_exit_codes: list(int()).doc('Exit codes that count as success; default `[0]`.'),
};

export type ShellLocalConfig = Infer<typeof shellLocalSchema>;

/** The options with defaults applied, ready to run. */
export interface ShellLocalSettings {
  /** Scripts to run; empty when `inline` (or `command`) is used. */
  readonly scripts: readonly string[];
  /** Inline commands (`command` lands here too); undefined when scripts are used. */
  readonly inline: readonly string[] | undefined;
  readonly executeCommand: readonly string[];
  readonly inlineShebang: string;
  readonly envVarFormat: string;
  /** Without the leading dot; '' for none. */
  readonly tempfileExtension: string;
  readonly onlyOn: readonly string[];
  readonly vars: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly validExitCodes: readonly number[];
}

export const SUPPORTED_OS = ['darwin', 'freebsd', 'linux', 'openbsd', 'solaris', 'windows'] as const;

/** Go's GOOS name for a Node platform. */
export function goos(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'win32':
      return 'windows';
    case 'sunos':
      return 'solaris';
    default:
      return platform;
  }
}

const TOO_MANY = 'You may only specify one of the following options: Command, Inline, Script or Scripts. Please consolidate these options in your config.';

export interface ResolveOptions {
  /** The post-processor prepends `sh -c` to a one-element `execute_command`. */
  readonly postProcessor?: boolean;
  /** The host system; default this one. */
  readonly platform?: NodeJS.Platform;
}

/**
 * Applies Packer's defaults and checks (`Validate`). Errors are Packer's messages;
 * the settings are usable only when there are none.
 */
export function resolveShellLocal(config: ShellLocalConfig, opts: ResolveOptions = {}): { settings: ShellLocalSettings; errors: string[] } {
  const errors: string[] = [];
  const windows = goos(opts.platform) === 'windows';
  let executeCommand = config.execute_command ?? [];
  if (opts.postProcessor && executeCommand.length === 1) executeCommand = ['sh', '-c', ...executeCommand];
  let inlineShebang = config.inline_shebang ?? '';
  let tempfileExtension = config.tempfile_extension ?? '';
  if (windows) {
    if (executeCommand.length === 0) executeCommand = ['cmd', '/V', '/C', '{{.Vars}}', 'call', '{{.Script}}'];
    if (tempfileExtension === '') tempfileExtension = '.cmd';
  } else {
    if (inlineShebang === '') inlineShebang = '/bin/sh -e';
    if (executeCommand.length === 0) executeCommand = ['/bin/sh', '-c', '{{.Vars}} {{.Script}}'];
  }

  const command = config.command ?? '';
  const script = config.script ?? '';
  let inline = config.inline;
  let scripts = [...(config.scripts ?? [])];
  if (command === '' && (inline ?? []).length === 0 && scripts.length === 0 && script === '') {
    errors.push('Command, Inline, Script and Scripts options cannot all be empty.');
  }
  if (command !== '') {
    if ((inline ?? []).length > 0 || scripts.length > 0 || script !== '') errors.push(TOO_MANY);
    else inline = [command];
  }
  if (script !== '') {
    if (scripts.length > 0 || (inline ?? []).length > 0) errors.push(TOO_MANY);
    else scripts = [script];
  }
  if (scripts.length > 0 && inline !== undefined) errors.push(TOO_MANY);
  for (const p of scripts) {
    try {
      statSync(p);
    } catch (err) {
      errors.push(`Bad script '${p}': ${statMessage(p, err)}`);
    }
  }
  for (const o of config.only_on ?? []) {
    if (!(SUPPORTED_OS as readonly string[]).includes(o)) {
      errors.push(`Invalid OS specified in only_on: '${o}'\nSupported OS names: ${SUPPORTED_OS.join(', ')}`);
    }
  }
  if (config.use_linux_pathing) {
    scripts = scripts.map((s) => {
      const converted = toLinuxPath(path.resolve(s));
      if (converted.kind === 'error') {
        errors.push(converted.message);
        return s;
      }
      return converted.path;
    });
    if ((inline ?? []).length > 0) {
      errors.push(
        'Packer is unable to use the Command and Inline features with the Windows Linux Subsystem. Please use the Script or Scripts options instead',
      );
    }
  }
  const envVarFormat = config.env_var_format || (windows && !config.use_linux_pathing ? 'set %s=%s && ' : "%s='%s' ");
  errors.push(...envVarErrors(config.environment_vars));
  return {
    settings: {
      scripts,
      inline: scripts.length > 0 ? undefined : inline,
      executeCommand,
      inlineShebang,
      envVarFormat,
      tempfileExtension: tempfileExtension.replace(/^\./, ''),
      onlyOn: config.only_on ?? [],
      vars: config.environment_vars ?? [],
      env: config.env ?? {},
      validExitCodes: config.valid_exit_codes ?? [],
    },
    errors,
  };
}

/** Go's `os.Stat` error text: `stat <path>: no such file or directory`. */
export function statMessage(p: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'not a directory' : String((err as Error).message);
  return `stat ${p}: ${reason}`;
}

/** A Windows absolute path as WSL sees it: `C:\a\b` → `/mnt/c/a/b` (Packer's ConvertToLinuxPath). */
export function toLinuxPath(winAbsPath: string): { kind: 'ok'; path: string } | { kind: 'error'; message: string } {
  const slashed = winAbsPath.replaceAll('\\', '/');
  const at = slashed.indexOf(':/');
  if (at < 0) {
    return {
      kind: 'error',
      message: `There was an error splitting your absolute path; expected to find a drive following the format ':/' but did not: absolute path: ${slashed}`,
    };
  }
  return { kind: 'ok', path: `/mnt/${slashed.slice(0, at).toLowerCase()}/${slashed.slice(at + 2)}` };
}
