/**
 * The `ansible-local` provisioner's options (packer-plugin-ansible's
 * `provisioner/ansible-local`), Packer's defaults and checks.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { PrepareDiagnostic } from '../../../sdk/component.js';
import { prepareError } from '../../../sdk/component.js';
import { bool, list, str } from '../../../sdk/schema/index.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { statMessage } from '../../../sdk/shell-local/index.js';

export const ansibleLocalSchema = {
  command: str().doc('The command run on the machine; default `ANSIBLE_FORCE_COLOR=1 PYTHONUNBUFFERED=1 ansible-playbook`.'),
  extra_arguments: list(str()).doc('Extra arguments for `ansible-playbook`, joined with spaces into the remote command line.'),
  group_vars: str().localPath().doc('A local `group_vars` folder uploaded to the staging directory.'),
  host_vars: str().localPath().doc('A local `host_vars` folder uploaded to the staging directory.'),
  playbook_dir: str().localPath().doc('A local folder uploaded as the staging directory before anything else.'),
  playbook_file: str().localPath().doc('The playbook to run; uploaded to the staging directory. Not with `playbook_files`.'),
  playbook_files: list(str()).localPath().doc('Playbooks run in order; those outside `playbook_dir` are uploaded. Not with `playbook_file`.'),
  playbook_paths: list(str()).localPath().doc('Local folders of playbooks uploaded under `<staging>/playbooks`.'),
  role_paths: list(str()).localPath().doc('Local role folders uploaded under `<staging>/roles`.'),
  collection_paths: list(str()).localPath().doc('Local collection folders uploaded under `<staging>/collections`.'),
  staging_directory: str().doc('Where files go on the machine; default `/tmp/packer-provisioner-ansible-local/<uuid>`.'),
  clean_staging_directory: bool().doc('Remove the staging directory after the run (default: kept, as in Packer).'),
  inventory_file: str().localPath().doc('A local inventory uploaded and used; default one listing `127.0.0.1`.'),
  inventory_groups: list(str()).doc('Groups `127.0.0.1` is put in when kiln writes the inventory.'),
  galaxy_file: str().localPath().doc('A requirements file uploaded and installed with `ansible-galaxy` on the machine.'),
  galaxy_command: str().doc('The `ansible-galaxy` command on the machine; default `ansible-galaxy`.'),
  galaxy_force_install: bool().doc('Add `-f` to the galaxy installs.'),
  galaxy_roles_path: str().doc('Where galaxy installs roles on the machine; default `<staging>/galaxy_roles`.'),
  galaxy_collections_path: str().doc('Where galaxy installs collections on the machine; default `<staging>/galaxy_collections`.'),
};

export type AnsibleLocalConfig = Infer<typeof ansibleLocalSchema>;

export const DEFAULT_STAGING_DIR = '/tmp/packer-provisioner-ansible-local';

export interface AnsibleLocalSettings {
  readonly command: string;
  readonly extraArguments: readonly string[];
  readonly groupVars: string;
  readonly hostVars: string;
  readonly playbookDir: string;
  readonly playbookFile: string;
  /** Absolute local paths. */
  readonly playbookFiles: readonly string[];
  readonly playbookPaths: readonly string[];
  readonly rolePaths: readonly string[];
  readonly collectionPaths: readonly string[];
  readonly stagingDir: string;
  readonly cleanStagingDir: boolean;
  readonly inventoryFile: string;
  readonly inventoryGroups: readonly string[];
  readonly galaxyFile: string;
  readonly galaxyCommand: string;
  readonly galaxyForce: boolean;
  readonly galaxyRolesPath: string;
  readonly galaxyCollectionsPath: string;
}

/** A time-ordered UUID (Packer's `uuid.TimeOrderedUUID`): nanoseconds first, then random bits. */
function timeOrderedUuid(): string {
  const ns = BigInt(Date.now()) * 1_000_000n;
  const hi = (ns >> 32n).toString(16).padStart(8, '0');
  const lo = (ns & 0xffffffffn).toString(16).padStart(8, '0');
  const r = randomBytes(10).toString('hex');
  return `${hi}-${lo.slice(0, 4)}-${lo.slice(4)}-${r.slice(0, 4)}-${r.slice(4)}`;
}

function checkPath(value: string, option: string, want: 'file' | 'dir'): string | undefined {
  try {
    const dir = statSync(value).isDirectory();
    if (want === 'file' && dir) return `${option}: ${value} must point to a file`;
    if (want === 'dir' && !dir) return `${option}: ${value} must point to a directory`;
    return undefined;
  } catch (err) {
    return `${option}: ${value} is invalid: ${statMessage(value, err)}`;
  }
}

export function resolveAnsibleLocal(config: AnsibleLocalConfig): { settings: AnsibleLocalSettings; diagnostics: PrepareDiagnostic[] } {
  const diagnostics: PrepareDiagnostic[] = [];
  const errors = { push: (message: string, attribute?: string) => void diagnostics.push(prepareError(message, attribute)) };
  const check = (value: string | undefined, option: string, want: 'file' | 'dir'): string => {
    if (value === undefined || value === '') return '';
    const bad = checkPath(value, option, want);
    if (bad) errors.push(bad, option);
    return value;
  };
  const playbookFile = config.playbook_file ?? '';
  const files = config.playbook_files ?? [];
  if (files.length > 0 && playbookFile !== '') errors.push('Either playbook_file or playbook_files can be specified, not both', 'playbook_files');
  if (files.length === 0 && playbookFile === '') errors.push('Either playbook_file or playbook_files must be specified');
  check(playbookFile, 'playbook_file', 'file');
  const playbookFiles: string[] = [];
  for (const f of files) if (check(f, 'playbook_files', 'file') && !checkPath(f, 'playbook_files', 'file')) playbookFiles.push(path.resolve(f));
  const dirs = (values: readonly string[] | undefined, option: string): string[] => (values ?? []).map((v) => check(v, option, 'dir'));
  const stagingDir = config.staging_directory || `${DEFAULT_STAGING_DIR}/${timeOrderedUuid()}`;
  const settings: AnsibleLocalSettings = {
    command: config.command || 'ANSIBLE_FORCE_COLOR=1 PYTHONUNBUFFERED=1 ansible-playbook',
    extraArguments: config.extra_arguments ?? [],
    groupVars: check(config.group_vars, 'group_vars', 'dir'),
    hostVars: check(config.host_vars, 'host_vars', 'dir'),
    playbookDir: check(config.playbook_dir, 'playbook_dir', 'dir'),
    playbookFile,
    playbookFiles,
    playbookPaths: dirs(config.playbook_paths, 'playbook_paths'),
    rolePaths: dirs(config.role_paths, 'role_paths'),
    collectionPaths: dirs(config.collection_paths, 'collection_paths'),
    stagingDir,
    cleanStagingDir: config.clean_staging_directory ?? false,
    inventoryFile: check(config.inventory_file, 'inventory_file', 'file'),
    inventoryGroups: config.inventory_groups ?? [],
    galaxyFile: check(config.galaxy_file, 'galaxy_file', 'file'),
    galaxyCommand: config.galaxy_command || 'ansible-galaxy',
    galaxyForce: config.galaxy_force_install ?? false,
    galaxyRolesPath: config.galaxy_roles_path || `${stagingDir}/galaxy_roles`,
    galaxyCollectionsPath: config.galaxy_collections_path || `${stagingDir}/galaxy_collections`,
  };
  return { settings, diagnostics };
}
