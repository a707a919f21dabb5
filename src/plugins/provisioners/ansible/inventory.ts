/**
 * The inventory kiln writes for one run (Packer's createInventoryFile): the host line
 * from `inventory_file_template` (or the default for the Ansible version and
 * connection), again under each of `groups`, then the `empty_groups` headers.
 */
import type { GeneratedData, PackerConfig } from '../../../sdk/component.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import { createTempFile, renderTemplate, templateContext, tempDir } from '../../../sdk/shell-local/index.js';

const SSH_V2 = '{{ .HostAlias }} ansible_host={{ .Host }} ansible_user={{ .User }} ansible_port={{ .Port }}\n';
const SSH_V1 = '{{ .HostAlias }} ansible_ssh_host={{ .Host }} ansible_ssh_user={{ .User }} ansible_ssh_port={{ .Port }}\n';
const WINRM_V2 =
  '{{ .HostAlias}} ansible_host={{ .Host }} ansible_connection=winrm ansible_winrm_transport=basic ansible_shell_type=powershell ansible_user={{ .User}} ansible_port={{ .Port }}\n';

export interface InventoryInput {
  readonly template: string;
  readonly hostAlias: string;
  readonly user: string;
  readonly host: string;
  readonly port: number;
  readonly groups: readonly string[];
  readonly emptyGroups: readonly string[];
  /** 0 when the version was not checked (treated as 2 and later). */
  readonly ansibleMajor: number;
  /** WinRM without the proxy. */
  readonly winrm: boolean;
}

/** The inventory's text. */
export function inventoryText(input: InventoryInput, packer: PackerConfig, data: GeneratedData): Result<string> {
  const template = input.template || (input.winrm ? WINRM_V2 : input.ansibleMajor === 1 ? SSH_V1 : SSH_V2);
  const ctx = templateContext(packer, data, { HostAlias: input.hostAlias, User: input.user, Host: input.host, Port: input.port });
  const host = renderTemplate(template, ctx, 'Error generating inventory file from template');
  if (host.kind === 'error') return host;
  let text = host.value;
  for (const g of input.groups) text += `[${g}]\n${host.value}`;
  for (const g of input.emptyGroups) text += `[${g}]\n`;
  return ok(text);
}

/** Writes `text` to a new `packer-provisioner-ansible<digits>` file in `dir` (default the temp folder). */
export async function writeInventory(text: string, dir: string): Promise<Result<string>> {
  try {
    return ok(await createTempFile('packer-provisioner-ansible', text, 0o600, dir || tempDir()));
  } catch (err) {
    return fail(`Error preparing inventory file: ${(err as Error).message}`);
  }
}
