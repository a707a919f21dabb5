/**
 * The `shell` provisioner's options (Packer's `provisioner/shell`) and their
 * resolution: Packer's defaults, which depend on each other (`use_env_var_file`
 * changes two of them), and its checks.
 */
import { statSync } from 'node:fs';
import type { PrepareDiagnostic } from '../../../sdk/component.js';
import { prepareError } from '../../../sdk/component.js';
import { bool, duration, int, list, map, str } from '../../../sdk/schema/index.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { statMessage } from '../../../sdk/shell-local/config.js';
import { envVarErrors } from '../../../sdk/shell-local/env-vars.js';
import { randomBytes } from '../../../support/random.js';

export const shellSchema = {
  inline: list(str()).doc('Commands run on the machine, written into one script.'),
  inline_shebang: str().doc('Interpreter of the inline script; default `/bin/sh -e`.'),
  script: str().localPath().doc('A local script uploaded and run.'),
  scripts: list(str()).localPath().doc('Local scripts uploaded and run in order.'),
  environment_vars: list(str()).doc('`KEY=value` pairs given to the scripts.'),
  env: map(str()).doc('Variables given to the scripts; these win over `environment_vars`.'),
  env_var_format: str().doc("How each variable is written; default `%s='%s' ` (`export %s='%s'\\n` with `use_env_var_file`)."),
  use_env_var_file: bool().doc('Upload the variables as a file and source it, instead of putting them on the command line.'),
  execute_command: str()
    .late()
    .doc('How each script is run; `{{.Path}}`, `{{.Vars}}` and `{{.EnvVarFile}}` are available. Default `chmod +x {{.Path}}; {{.Vars}} {{.Path}}`.'),
  remote_folder: str().doc('Folder on the machine the scripts go to; default `/tmp`.'),
  remote_file: str().doc('File name of the uploaded script; default `script_<n>.sh`.'),
  remote_path: str().doc('Full path of the uploaded script; default `<remote_folder>/<remote_file>`.'),
  skip_clean: bool().doc('Leave the uploaded script (and variables file) on the machine.'),
  start_retry_timeout: duration().noEffect().doc('How long to keep retrying the upload and start of a script (a rebooting machine); default `5m`.'),
  expect_disconnect: bool().doc('A dropped connection (a reboot) ends the script successfully.'),
  valid_exit_codes: list(int()).doc('Exit codes that count as success; default `[0]`.'),
  pause_after: duration().noEffect().doc('Wait this long after the last script.'),
  binary: bool().doc('Upload scripts as they are; otherwise CRLF line endings become LF.'),
};

export type ShellConfig = Infer<typeof shellSchema>;

export interface ShellSettings {
  readonly scripts: readonly string[];
  /** undefined when scripts are used (an empty `inline` counts as unset, as in Packer). */
  readonly inline: readonly string[] | undefined;
  readonly inlineShebang: string;
  /** The user set `inline_shebang`: it is written even when the inline text has its own `#!`. */
  readonly inlineShebangDefined: boolean;
  readonly vars: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly envVarFormat: string;
  readonly useEnvVarFile: boolean;
  readonly executeCommand: string;
  readonly remoteFolder: string;
  readonly remotePath: string;
  readonly skipClean: boolean;
  readonly startRetryTimeoutMs: number;
  readonly expectDisconnect: boolean;
  readonly validExitCodes: readonly number[];
  readonly pauseAfterMs: number;
  readonly binary: boolean;
}

/** Packer's `Prepare`: defaults and checks; the settings are usable only without errors. */
export function resolveShell(config: ShellConfig): { settings: ShellSettings; diagnostics: PrepareDiagnostic[] } {
  const diagnostics: PrepareDiagnostic[] = [];
  const errors = { push: (message: string, attribute?: string) => void diagnostics.push(prepareError(message, attribute)) };
  const useEnvVarFile = config.use_env_var_file ?? false;
  const remoteFolder = config.remote_folder || '/tmp';
  const remoteFile = config.remote_file || `script_${randomBytes(2).readUInt16BE(0) % 9999}.sh`;
  const inline = config.inline && config.inline.length > 0 ? config.inline : undefined;
  let scripts = config.scripts ?? [];
  const script = config.script ?? '';
  if (script !== '' && scripts.length > 0) errors.push('Only one of script or scripts can be specified.', 'scripts');
  if (script !== '') scripts = [script];
  if (scripts.length === 0 && inline === undefined) errors.push('Either a script file or inline script must be specified.');
  else if (scripts.length > 0 && inline !== undefined) errors.push('Only a script file or an inline script can be specified, not both.', 'inline');
  for (const p of scripts) {
    try {
      statSync(p);
    } catch (err) {
      errors.push(`Bad script '${p}': ${statMessage(p, err)}`, script !== '' ? 'script' : 'scripts');
    }
  }
  for (const e of envVarErrors(config.environment_vars)) errors.push(e, 'environment_vars');
  return {
    settings: {
      scripts,
      inline,
      inlineShebang: config.inline_shebang || '/bin/sh -e',
      inlineShebangDefined: Boolean(config.inline_shebang),
      vars: config.environment_vars ?? [],
      env: config.env ?? {},
      envVarFormat: config.env_var_format || (useEnvVarFile ? "export %s='%s'\n" : "%s='%s' "),
      useEnvVarFile,
      executeCommand: config.execute_command || (useEnvVarFile ? 'chmod +x {{.Path}}; . {{.EnvVarFile}} && {{.Path}}' : 'chmod +x {{.Path}}; {{.Vars}} {{.Path}}'),
      remoteFolder,
      remotePath: config.remote_path || `${remoteFolder}/${remoteFile}`,
      skipClean: config.skip_clean ?? false,
      startRetryTimeoutMs: config.start_retry_timeout || 5 * 60_000,
      expectDisconnect: config.expect_disconnect ?? false,
      validExitCodes: config.valid_exit_codes ?? [],
      pauseAfterMs: config.pause_after ?? 0,
      binary: config.binary ?? false,
    },
    diagnostics,
  };
}
