/**
 * The `ansible-playbook` command line and environment (Packer's createCmdArgs), the
 * masked text shown for it, and running a local Ansible program with its output
 * streamed to the build's UI line by line.
 */
import type { GeneratedData, PackerConfig } from '../../../sdk/component.js';
import { LineSplitter, spawnLocal } from '../../../sdk/shell-local/index.js';
import { HTTP_ADDR_NOT_IMPLEMENTED } from '../../../sdk/shell-local/index.js';
import type { Ui } from '../../../sdk/ui.js';
import type { AnsibleSettings } from './config.js';

export interface CommandInput {
  readonly settings: AnsibleSettings;
  readonly packer: PackerConfig;
  readonly data: GeneratedData;
  readonly inventory: string;
  /** Absolute path of the playbook. */
  readonly playbook: string;
  /** Key file for `ansible_ssh_private_key_file`; '' for none. */
  readonly privateKeyFile: string;
  /** Ansible goes straight to the machine (`use_proxy = false`). */
  readonly direct: boolean;
}

/** True when one of `args`, split at `=`, is `name` (Packer's checkArg). */
export function hasArg(name: string, args: readonly string[]): boolean {
  return args.some((a) => a.split('=').includes(name));
}

/** Go's `%q` for the plain strings build names are. */
const goQuote = (s: string): string => JSON.stringify(s);

export function ansibleArgs(input: CommandInput): { args: string[]; env: string[] } {
  const { settings: s, data } = input;
  const env = [...s.envVars];
  const args: string[] = [];
  if (input.packer.buildName !== '') args.push('-e', `packer_build_name=${goQuote(input.packer.buildName)}`);
  args.push('-e', `packer_builder_type=${input.packer.builderType}`);
  const httpAddr = typeof data['PackerHTTPAddr'] === 'string' ? data['PackerHTTPAddr'] : HTTP_ADDR_NOT_IMPLEMENTED;
  if (httpAddr !== HTTP_ADDR_NOT_IMPLEMENTED) args.push('-e', `packer_http_addr=${httpAddr}`);
  if (data['ConnType'] === 'ssh' && input.privateKeyFile !== '') {
    args.push('--ssh-extra-args', s.sshExtraArgs.length > 0 ? `'${s.sshExtraArgs.join("' '")}'` : "'-o IdentitiesOnly=yes'");
  }
  args.push(...s.extraArguments);
  if (!hasArg('ansible_password', args) && input.direct && data['ConnType'] === 'winrm') {
    args.push('-e', `ansible_password=${String(data['Password'] ?? '')}`);
  }
  if (!hasArg('ansible_password', args) && input.privateKeyFile !== '') {
    args.push('-e', `ansible_ssh_private_key_file=${input.privateKeyFile}`);
  }
  if (hasArg('ansible_password', args) && data['ConnType'] === 'ssh' && !hasArg('ansible_host_key_checking', args) && !hasArg('ANSIBLE_HOST_KEY_CHECKING', env)) {
    args.push('-e', 'ansible_host_key_checking=False');
  }
  args.push('-i', input.inventory, input.playbook);
  return { args, env };
}

/**
 * The command as shown to the user: values of `key=value` extra arguments whose key
 * names a password or secret, and the build's passwords, become `*****` (Packer's
 * rule; sensitive variables are masked again by core).
 */
export function maskedCommand(command: string, args: readonly string[], extraArguments: readonly string[], data: GeneratedData): string {
  let text = [command, ...args].join(' ');
  for (const arg of extraArguments) {
    const eq = arg.indexOf('=');
    if (eq < 0) continue;
    const key = arg.slice(0, eq).toLowerCase();
    const value = arg.slice(eq + 1);
    if (value !== '' && (key.includes('password') || key.includes('secret'))) text = text.replaceAll(value, '*****');
  }
  for (const key of ['WinRMPassword', 'Password']) {
    const secret = data[key];
    if (typeof secret === 'string' && secret !== '') text = text.replaceAll(secret, '*****');
  }
  return text;
}

/** `KEY=value` strings on top of this process's environment. */
export function childEnv(pairs: readonly string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq > 0) env[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return env;
}

/**
 * Runs a local program with its stdout and stderr lines said on `ui` (as Packer does,
 * both as progress lines). Resolves with the exit status; rejects when it cannot
 * start or `signal` aborts (the program's process group is killed).
 */
export async function runLocal(argv: readonly string[], env: NodeJS.ProcessEnv, ui: Ui, signal: AbortSignal): Promise<number> {
  const out = new LineSplitter((l) => ui.say(l));
  const err = new LineSplitter((l) => ui.say(l));
  try {
    return await spawnLocal({ argv, env, onStdout: (c) => out.push(c), onStderr: (c) => err.push(c) }, signal);
  } finally {
    out.end();
    err.end();
  }
}
