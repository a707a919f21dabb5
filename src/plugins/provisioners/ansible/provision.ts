/**
 * Runs the `ansible` provisioner (Packer's Provision): set up the SSH proxy (or the
 * build's own SSH credentials with `use_proxy = false`), write the inventory, install
 * `galaxy_file`, run `ansible-playbook` with its output on the UI; everything made for
 * the run (proxy, keys, inventory) is removed after, whatever happened.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { ProvisionContext } from '../../../sdk/component.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import { createTempFile } from '../../../sdk/shell-local/index.js';
import { proxyKeys } from './adapter/keys.js';
import { capture } from './adapter/remote.js';
import { startProxy } from './adapter/server.js';
import type { AnsibleSettings } from './config.js';
import { localUser } from './config.js';
import { ansibleArgs, childEnv, maskedCommand, runLocal } from './command-line.js';
import { installGalaxy } from './galaxy.js';
import { inventoryText, writeInventory } from './inventory.js';
import { ansibleVersion, notInstalledMessage } from './version.js';

type Cleanup = () => Promise<unknown>;

interface Target {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly privateKeyFile: string;
  readonly direct: boolean;
}

export async function provisionAnsible(s: AnsibleSettings, ctx: ProvisionContext): Promise<Result<void>> {
  ctx.ui.say('Provisioning with Ansible...');
  const cleanups: Cleanup[] = [];
  try {
    let major = 0;
    if (!s.skipVersionCheck) {
      const v = await ansibleVersion(s.command);
      if (v instanceof Error) return fail(v);
      major = v.major;
    }
    const target = await connect(s, ctx, cleanups);
    if (target.kind === 'error') return target;
    let inventory = s.inventoryFile;
    if (inventory === '') {
      const text = inventoryText(
        {
          template: s.inventoryFileTemplate,
          hostAlias: s.hostAlias,
          user: target.value.user,
          host: target.value.host,
          port: target.value.port,
          groups: s.groups,
          emptyGroups: s.emptyGroups,
          ansibleMajor: major,
          winrm: target.value.direct && ctx.generatedData['ConnType'] === 'winrm',
        },
        ctx.packer,
        ctx.generatedData,
      );
      if (text.kind === 'error') return text;
      const file = await writeInventory(text.value, s.inventoryDirectory);
      if (file.kind === 'error') return file;
      inventory = file.value;
      if (!s.keepInventoryFile) cleanups.push(() => rm(file.value, { force: true }));
    }
    if (s.galaxy.file !== '') {
      const g = await installGalaxy(s.galaxy, s.envVars, ctx.ui, ctx.signal);
      if (g.kind === 'error') return fail(`Error executing Ansible: ${g.error.message}`);
    }
    return await runPlaybook(s, ctx, inventory, target.value);
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}

async function runPlaybook(s: AnsibleSettings, ctx: ProvisionContext, inventory: string, target: Target): Promise<Result<void>> {
  const { args, env } = ansibleArgs({
    settings: s,
    packer: ctx.packer,
    data: ctx.generatedData,
    inventory,
    playbook: path.resolve(s.playbookFile),
    privateKeyFile: target.privateKeyFile,
    direct: target.direct,
  });
  ctx.ui.say(`Executing Ansible: ${maskedCommand(s.command, args, s.extraArguments, ctx.generatedData)}`);
  let status: number;
  try {
    status = await runLocal([s.command, ...args], childEnv(env), ctx.ui, ctx.signal);
  } catch (err) {
    if (ctx.signal.aborted) return fail('provisioning cancelled');
    const code = (err as NodeJS.ErrnoException).code;
    return fail(`Error executing Ansible: ${code === 'ENOENT' ? notInstalledMessage(s.command) : (err as Error).message}`);
  }
  if (status !== 0) return fail(`Error executing Ansible: Non-zero exit status: exit status ${status}${exitHint(status, target)}`);
  return ok(undefined);
}

/** What ansible-playbook's exit status says, beyond the output above it. */
function exitHint(status: number, target: Target): string {
  // ansible-playbook ORs its results: 2 failed hosts, 4 unreachable hosts.
  if ((status & 4) === 0 || status > 8) return '';
  const where = target.direct
    ? `check that ${target.host}:${target.port} accepts SSH as "${target.user}" with the build's key`
    : `kiln's proxy runs Ansible's commands through the build's communicator as "${target.user}"; a command that failed there (see UNREACHABLE above) or a \`user\` the machine does not know is the usual cause`;
  return ` (the machine was unreachable: ${where})`;
}

/** Where Ansible connects: the proxy, or (`use_proxy = false`) the machine itself. */
async function connect(s: AnsibleSettings, ctx: ProvisionContext, cleanups: Cleanup[]): Promise<Result<Target>> {
  const data = ctx.generatedData;
  const connType = data['ConnType'];
  let direct = s.useProxy === false;
  if (direct && (typeof data['Host'] !== 'string' || data['Host'] === '')) {
    ctx.ui.error('Warning: use_proxy is false, but instance does not have an IP address to give to Ansible. Falling back to use localhost proxy.');
    direct = false;
  }
  if (direct && connType !== 'ssh' && connType !== 'winrm') {
    ctx.ui.error('Warning: use_proxy is false, but communicator is neither ssh nor winrm, so without the proxy ansible will not function. Falling back to localhost proxy.');
    direct = false;
  }
  if (direct) return ok(await directTarget(s, ctx, cleanups));

  ctx.ui.say('Setting up proxy adapter for Ansible....');
  let keys;
  try {
    keys = await proxyKeys({ hostKeyFile: s.hostKeyFile, authorizedKeyFile: s.authorizedKeyFile, type: s.keyType });
  } catch (err) {
    return fail(err as Error);
  }
  const keyFile = keys.userKeyFile;
  if (keyFile) cleanups.push(() => rm(keyFile, { force: true }));
  const user = s.user ?? (await machineUser(ctx));
  try {
    const proxy = await startProxy({ user, keys, localPort: s.localPort, sftpCommand: s.sftpCommand, comm: ctx.communicator, ui: ctx.ui, signal: ctx.signal });
    cleanups.push(() => proxy.close());
    return ok({ host: '127.0.0.1', port: proxy.port, user, privateKeyFile: keyFile ?? '', direct: false });
  } catch (err) {
    return fail(err as Error);
  }
}

async function directTarget(s: AnsibleSettings, ctx: ProvisionContext, cleanups: Cleanup[]): Promise<Target> {
  const data = ctx.generatedData;
  const text = (k: string): string => (typeof data[k] === 'string' ? (data[k] as string) : '');
  const user = s.user ?? text('User');
  const host = text('Host');
  const port = Number(data['Port']) || 22;
  if (data['ConnType'] !== 'ssh') {
    ctx.ui.say('Not using Proxy adapter for Ansible run:\n\tUsing WinRM Password from Packer communicator...');
    return { host, port, user, privateKeyFile: '', direct: true };
  }
  ctx.ui.say('Not using Proxy adapter for Ansible run:\n\tUsing ssh keys from Packer communicator...');
  let privateKeyFile = text('SSHPrivateKeyFile');
  if (privateKeyFile === '' && data['SSHAgentAuth'] !== true && text('SSHPrivateKey') !== '') {
    privateKeyFile = await createTempFile('ansible-key', text('SSHPrivateKey'), 0o600);
    const made = privateKeyFile;
    cleanups.push(() => rm(made, { force: true }));
  }
  return { host, port, user, privateKeyFile, direct: true };
}

/**
 * The user commands run as on the machine: the communicator's (`build.User`), else
 * what `id -un` says there, else the local user (Packer always takes the local one).
 */
async function machineUser(ctx: ProvisionContext): Promise<string> {
  const known = ctx.generatedData['User'];
  if (typeof known === 'string' && known !== '') return known;
  try {
    const res = await capture(ctx.communicator, 'id -un', ctx.signal);
    const name = res.stdout.trim();
    if (res.status === 0 && /^[A-Za-z0-9._-]+$/.test(name)) return name;
  } catch {
    // fall through to the local user
  }
  return localUser() ?? 'root';
}
