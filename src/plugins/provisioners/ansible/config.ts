/**
 * The `ansible` provisioner's options (packer-plugin-ansible's `provisioner/ansible`)
 * and their resolution: Packer's defaults and checks, plus where kiln differs.
 *
 * kiln's differences, all for templates that set nothing:
 * - `user` defaults to the build communicator's user (`build.User`) when there is one,
 *   so Ansible's `~` and temp folder resolve on the machine; Packer uses the local
 *   user, which breaks whenever the two differ. Local user otherwise, as Packer.
 * - `ansible_proxy_key_type` also accepts `ED25519`.
 */
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PrepareDiagnostic } from '../../../sdk/component.js';
import { prepareError } from '../../../sdk/component.js';
import { bool, int, list, str } from '../../../sdk/schema/index.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { statMessage } from '../../../sdk/shell-local/index.js';

export const ansibleSchema = {
  command: str().doc('The program that runs the playbook; default `ansible-playbook`. A path or a name on PATH, not a shell line.'),
  extra_arguments: list(str()).doc('Extra arguments for `ansible-playbook`, passed as they are (no shell). Values of `*password*`/`*secret*` keys are masked.'),
  ansible_env_vars: list(str()).doc('`KEY=value` pairs added to the environment of `ansible-playbook` and `ansible-galaxy`.'),
  playbook_file: str().required().localPath().doc('The playbook to run.'),
  ansible_ssh_extra_args: list(str()).doc('Passed as `--ssh-extra-args` on SSH builds; default `-o IdentitiesOnly=yes`.'),
  groups: list(str()).doc('Inventory groups the machine is put in.'),
  empty_groups: list(str()).doc('Inventory groups written without hosts.'),
  host_alias: str().doc('The machine\'s name in the inventory; default `default`.'),
  user: str().doc('`ansible_user` in the inventory; default the communicator\'s user, else the local user.'),
  local_port: int().noEffect().doc('First port the proxy tries on 127.0.0.1 (ten tries); default a free port.'),
  ssh_host_key_file: str().localPath().doc('Private key the proxy presents as its host key; default a key made for the build (and host key checking off).'),
  ssh_authorized_key_file: str().localPath().doc('Public key Ansible must authenticate with at the proxy; default a key made for the build.'),
  ansible_proxy_key_type: str().doc('Type of the generated proxy keys: `ECDSA` (default), `ED25519` or `RSA` (signed with rsa-sha2).'),
  sftp_command: str().doc('Run this command on the machine to serve SFTP sessions (e.g. with sudo); default kiln serves SFTP itself through the communicator.'),
  skip_version_check: bool().noEffect().doc('Do not run `<command> --version` first.'),
  use_sftp: bool().doc('Let Ansible transfer files with sftp; default it uses scp (`ANSIBLE_SCP_IF_SSH=True`). Both work through the proxy.'),
  inventory_directory: str().localPath().doc('Folder the generated inventory is written to; default the temp folder.'),
  inventory_file_template: str().late().doc('The inventory line; `{{ .HostAlias }}`, `{{ .Host }}`, `{{ .User }}`, `{{ .Port }}` and the build\'s data are available.'),
  inventory_file: str().localPath().doc('Use this inventory instead of generating one.'),
  keep_inventory_file: bool().noEffect().doc('Leave the generated inventory file in place.'),
  galaxy_file: str().localPath().doc('A requirements file installed with `ansible-galaxy` on this host first.'),
  galaxy_command: str().doc('The `ansible-galaxy` program; default `ansible-galaxy`.'),
  galaxy_force_install: bool().doc('Add `-f` to the galaxy installs.'),
  galaxy_force_with_deps: bool().doc('Add `--force-with-deps` to the galaxy installs.'),
  roles_path: str().doc('Where galaxy installs roles (`-p`).'),
  collections_path: str().doc('Where galaxy installs collections (`-p`).'),
  use_proxy: bool().doc('`false` connects Ansible straight to an SSH machine with the build\'s credentials; default the proxy.'),
  ansible_winrm_use_http: bool().doc('Add `-e ansible_winrm_scheme=http` (WinRM machines).'),
};

export type AnsibleConfig = Infer<typeof ansibleSchema>;

export type ProxyKeyType = 'ECDSA' | 'ED25519' | 'RSA';

export interface AnsibleSettings {
  readonly command: string;
  readonly extraArguments: readonly string[];
  readonly envVars: readonly string[];
  readonly playbookFile: string;
  readonly sshExtraArgs: readonly string[];
  readonly groups: readonly string[];
  readonly emptyGroups: readonly string[];
  readonly hostAlias: string;
  /** undefined: not set by the template (see the module comment). */
  readonly user: string | undefined;
  readonly localPort: number;
  readonly hostKeyFile: string;
  readonly authorizedKeyFile: string;
  readonly keyType: ProxyKeyType;
  readonly sftpCommand: string;
  readonly skipVersionCheck: boolean;
  readonly inventoryDirectory: string;
  readonly inventoryFileTemplate: string;
  readonly inventoryFile: string;
  readonly keepInventoryFile: boolean;
  readonly galaxy: GalaxySettings;
  /** undefined: not set (the proxy is used). */
  readonly useProxy: boolean | undefined;
}

export interface GalaxySettings {
  readonly file: string;
  readonly command: string;
  readonly force: boolean;
  readonly forceWithDeps: boolean;
  readonly rolesPath: string;
  readonly collectionsPath: string;
}

/** A file option's check, with Packer's messages. */
export function checkFile(value: string, option: string): string | undefined {
  try {
    return statSync(value).isDirectory() ? `${option}: ${value} must point to a file` : undefined;
  } catch (err) {
    return `${option}: ${value} is invalid: ${statMessage(value, err)}`;
  }
}

/** Packer's Prepare, without the version check: defaults, and checks placed on their attributes. */
export function resolveAnsible(config: AnsibleConfig): { settings: AnsibleSettings; diagnostics: PrepareDiagnostic[] } {
  const diagnostics: PrepareDiagnostic[] = [];
  const errors = { push: (message: string, attribute?: string) => void diagnostics.push(prepareError(message, attribute)) };
  const envVars = [...(config.ansible_env_vars ?? [])];
  const extraArguments = [...(config.extra_arguments ?? [])];
  const file = (value: string | undefined, option: string): string => {
    if (value === undefined || value === '') return '';
    const bad = checkFile(value, option);
    if (bad) errors.push(bad, option);
    return value;
  };
  if (config.playbook_file === '') errors.push('playbook_file must be specified.', 'playbook_file');
  else file(config.playbook_file, 'playbook_file');
  const hostKeyFile = file(config.ssh_host_key_file, 'ssh_host_key_file');
  if (hostKeyFile === '') envVars.push('ANSIBLE_HOST_KEY_CHECKING=False');
  if (!config.use_sftp) envVars.push('ANSIBLE_SCP_IF_SSH=True');
  const localPort = config.local_port ?? 0;
  if (localPort > 65535 || localPort < 0) errors.push(`local_port: ${localPort} must be a valid port`, 'local_port');
  const inventoryDirectory = config.inventory_directory ?? '';
  if (inventoryDirectory !== '') {
    try {
      if (!statSync(inventoryDirectory).isDirectory()) errors.push(`inventory_directory: ${inventoryDirectory} must point to a directory`, 'inventory_directory');
    } catch (err) {
      errors.push(`inventory_directory: ${inventoryDirectory} is invalid: ${statMessage(inventoryDirectory, err)}`, 'inventory_directory');
    }
  }
  const keyType = (config.ansible_proxy_key_type || 'ECDSA').toUpperCase();
  if (keyType !== 'ECDSA' && keyType !== 'RSA' && keyType !== 'ED25519') {
    errors.push(`Invalid value for ansible_proxy_key_type: "${config.ansible_proxy_key_type ?? ''}". Supported values are ECDSA, ED25519 or RSA.`, 'ansible_proxy_key_type');
  }
  if (config.ansible_winrm_use_http && !extraArguments.some((a) => a.startsWith('ansible_winrm_scheme'))) {
    extraArguments.push('-e', 'ansible_winrm_scheme=http');
  }
  const settings: AnsibleSettings = {
    command: config.command || 'ansible-playbook',
    extraArguments,
    envVars,
    playbookFile: config.playbook_file,
    sshExtraArgs: config.ansible_ssh_extra_args ?? [],
    groups: config.groups ?? [],
    emptyGroups: config.empty_groups ?? [],
    hostAlias: config.host_alias || 'default',
    user: config.user || undefined,
    localPort,
    hostKeyFile,
    authorizedKeyFile: file(config.ssh_authorized_key_file, 'ssh_authorized_key_file'),
    keyType: keyType === 'RSA' || keyType === 'ED25519' ? keyType : 'ECDSA',
    sftpCommand: config.sftp_command ?? '',
    skipVersionCheck: config.skip_version_check ?? false,
    inventoryDirectory,
    inventoryFileTemplate: config.inventory_file_template ?? '',
    inventoryFile: config.inventory_file ?? '',
    keepInventoryFile: config.keep_inventory_file ?? false,
    galaxy: {
      file: file(config.galaxy_file, 'galaxy_file'),
      command: config.galaxy_command || 'ansible-galaxy',
      force: config.galaxy_force_install ?? false,
      forceWithDeps: config.galaxy_force_with_deps ?? false,
      rolesPath: config.roles_path ?? '',
      collectionsPath: config.collections_path ?? '',
    },
    useProxy: config.use_proxy,
  };
  return { settings, diagnostics };
}

/** The local user's name (Packer's `user.Current()`), or undefined when there is none. */
export function localUser(): string | undefined {
  try {
    return os.userInfo().username || undefined;
  } catch {
    return process.env['USER'] || undefined;
  }
}

/**
 * Where `program` would be run from: itself when it holds a `/`, else the first
 * executable of that name on PATH; undefined when there is none.
 */
export function findProgram(program: string, envPath = process.env['PATH'] ?? ''): string | undefined {
  const executable = (p: string): boolean => {
    try {
      const st = statSync(p);
      return st.isFile() && (st.mode & 0o111) !== 0;
    } catch {
      return false;
    }
  };
  if (program.includes('/')) return executable(program) ? program : undefined;
  for (const dir of envPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, program);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}
