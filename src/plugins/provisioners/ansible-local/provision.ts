/**
 * Runs `ansible-local` (Packer's Provision): uploads the playbook directory, playbooks,
 * inventory, vars, roles and collections to the staging directory through the
 * communicator, installs `galaxy_file` there, runs `ansible-playbook -c local` on the
 * machine, and removes the staging directory when `clean_staging_directory` is set.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProvisionContext } from '../../../sdk/component.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import { uiOutput } from '../../../sdk/shell-local/index.js';
import { shellQuote } from '../../../support/shell-quote.js';
import type { AnsibleLocalSettings } from './config.js';

/** Runs `command` on the machine with its output on the UI; resolves with the exit status (-1: disconnected). */
async function remote(ctx: ProvisionContext, command: string): Promise<number> {
  const out = uiOutput(ctx.ui);
  try {
    const res = await ctx.communicator.run({ command, onStdout: out.onStdout, onStderr: out.onStderr }, ctx.signal);
    return res.kind === 'exited' ? res.exitStatus : -1;
  } finally {
    out.end();
  }
}

async function createDir(ctx: ProvisionContext, dir: string): Promise<void> {
  ctx.ui.say(`Creating directory: ${dir}`);
  if ((await remote(ctx, `mkdir -p ${shellQuote(dir)}`)) !== 0) throw new Error('Non-zero exit status. See output above for more information.');
}

async function uploadFile(ctx: ProvisionContext, dst: string, src: string): Promise<void> {
  const data = await readFile(src).catch((err: Error) => {
    throw new Error(`Error opening: ${err.message}`);
  });
  await ctx.communicator.upload(dst, data, { size: data.length }, ctx.signal).catch((err: Error) => {
    throw new Error(`Error uploading ${src}: ${err.message}`);
  });
}

async function uploadDir(ctx: ProvisionContext, dst: string, src: string): Promise<void> {
  await createDir(ctx, dst);
  // A trailing slash copies the folder's contents, not the folder itself.
  await ctx.communicator.uploadDir(dst, src.endsWith('/') ? src : `${src}/`, [], ctx.signal);
}

/** Wraps a step so its failure carries Packer's prefix. */
async function step(what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
  }
}

export async function provisionAnsibleLocal(s: AnsibleLocalSettings, ctx: ProvisionContext): Promise<Result<void>> {
  ctx.ui.say('Provisioning with Ansible...');
  const staging = s.stagingDir;
  const at = (...parts: string[]): string => path.posix.join(staging, ...parts);
  try {
    if (s.playbookDir !== '') {
      ctx.ui.say('Uploading Playbook directory to Ansible staging directory...');
      await step('Error uploading playbook_dir directory', () => uploadDir(ctx, staging, s.playbookDir));
    } else {
      ctx.ui.say('Creating Ansible staging directory...');
      await step('Error creating staging directory', () => createDir(ctx, staging));
    }
    const playbooks: string[] = [];
    if (s.playbookFile !== '') {
      ctx.ui.say('Uploading main Playbook file...');
      const dst = at(path.basename(s.playbookFile));
      await step('Error uploading main playbook', () => uploadFile(ctx, dst, s.playbookFile));
      playbooks.push(dst);
    } else {
      playbooks.push(...(await uploadPlaybookFiles(s, ctx)));
    }
    const inventory = s.inventoryFile !== '' ? path.basename(s.inventoryFile) : 'packer-provisioner-ansible-local-inventory';
    if (s.galaxyFile !== '') {
      ctx.ui.say('Uploading galaxy file...');
      await step('Error uploading galaxy file', () => uploadFile(ctx, at(path.basename(s.galaxyFile)), s.galaxyFile));
    }
    ctx.ui.say('Uploading inventory file...');
    await step('Error uploading inventory file', async () => {
      if (s.inventoryFile !== '') return uploadFile(ctx, at(inventory), s.inventoryFile);
      const text = s.inventoryGroups.length > 0 ? s.inventoryGroups.map((g) => `[${g}]\n127.0.0.1\n`).join('') : '127.0.0.1';
      await ctx.communicator.upload(at(inventory), Buffer.from(text), { size: Buffer.byteLength(text) }, ctx.signal);
    });
    for (const [sub, src] of [['group_vars', s.groupVars], ['host_vars', s.hostVars]] as const) {
      if (src === '') continue;
      ctx.ui.say(`Uploading ${sub} directory...`);
      await step(`Error uploading ${sub} directory`, () => uploadDir(ctx, at(sub), src));
    }
    const sets: [string, string, string, readonly string[]][] = [
      ['Uploading role directories...', 'Error uploading roles', 'roles', s.rolePaths],
      ['Uploading collection directories...', 'Error uploading collections', 'collections', s.collectionPaths],
    ];
    for (const [say, err, sub, srcs] of sets) {
      if (srcs.length === 0) continue;
      ctx.ui.say(say);
      for (const src of srcs) await step(err, () => uploadDir(ctx, at(sub, path.basename(src)), src));
    }
    if (s.playbookPaths.length > 0) {
      ctx.ui.say('Uploading additional Playbooks...');
      await step('Error creating playbooks directory', () => createDir(ctx, at('playbooks')));
      for (const src of s.playbookPaths) await step('Error uploading playbooks', () => uploadDir(ctx, at('playbooks', path.basename(src)), src));
    }
    await step('Error executing Ansible', () => executeAnsible(s, ctx, playbooks, at(inventory)));
    if (s.cleanStagingDir) {
      ctx.ui.say('Removing staging directory...');
      ctx.ui.say(`Removing directory: ${staging}`);
      if ((await remote(ctx, `rm -rf ${shellQuote(staging)}`)) !== 0) return fail('Error removing staging directory: Non-zero exit status. See output above for more information.');
    }
    return ok(undefined);
  } catch (err) {
    if (ctx.signal.aborted) return fail('provisioning cancelled');
    return fail(err as Error);
  }
}

/** Uploads the `playbook_files` that are not inside `playbook_dir`; resolves with every playbook's remote path. */
async function uploadPlaybookFiles(s: AnsibleLocalSettings, ctx: ProvisionContext): Promise<string[]> {
  const dir = s.playbookDir !== '' ? path.resolve(s.playbookDir) : '';
  const out: string[] = [];
  for (const file of s.playbookFiles) {
    if (dir !== '' && file.startsWith(dir)) {
      out.push(path.posix.join(s.stagingDir, file.slice(dir.length)));
      continue;
    }
    ctx.ui.say(`Uploading playbook file: ${file}`);
    const dst = path.posix.join(s.stagingDir, file);
    await step(`Error uploading playbook file: ${file}`, async () => {
      await createDir(ctx, path.posix.dirname(dst));
      await uploadFile(ctx, dst, file);
    });
    out.push(dst);
  }
  return out;
}

async function executeAnsible(s: AnsibleLocalSettings, ctx: ProvisionContext, playbooks: readonly string[], inventory: string): Promise<void> {
  const httpAddr = String(ctx.generatedData['PackerHTTPAddr'] ?? '');
  let extraArgs = ` --extra-vars "packer_build_name=${ctx.packer.buildName} packer_builder_type=${ctx.packer.builderType} packer_http_addr=${httpAddr} -o IdentitiesOnly=yes" `;
  if (s.extraArguments.length > 0) extraArgs += s.extraArguments.join(' ');
  let requirements = '';
  if (s.galaxyFile !== '') {
    requirements = await readFile(s.galaxyFile, 'utf8');
    await step('Error executing Ansible Galaxy', () => executeGalaxy(s, ctx, requirements));
  }
  const hasCollections = /^collections:/m.test(requirements);
  const hasRoles = /^roles:/m.test(requirements);
  const collections: string[] = [];
  if (hasCollections) collections.push(s.galaxyCollectionsPath);
  if (s.collectionPaths.length > 0) collections.push(path.posix.join(s.stagingDir, 'collections'));
  let envVars = '';
  if (collections.length > 0) envVars += ` ANSIBLE_COLLECTIONS_PATH=$ANSIBLE_COLLECTIONS_PATH:${collections.join(':')}`;
  if (hasRoles) envVars += ` ANSIBLE_ROLES_PATH=$ANSIBLE_ROLES_PATH:${s.galaxyRolesPath}`;
  for (const playbook of playbooks) {
    const command = `cd ${s.stagingDir} && ${envVars} ${s.command} ${playbook}${extraArgs} -c local -i ${inventory}`;
    ctx.ui.say(`Executing Ansible: ${command}`);
    const status = await remote(ctx, command);
    if (status === 127) throw new Error(`${s.command} could not be found. Verify that it is available on the\nPATH after connecting to the machine.`);
    if (status !== 0) throw new Error(`Non-zero exit status: ${status}`);
  }
}

async function executeGalaxy(s: AnsibleLocalSettings, ctx: ProvisionContext, requirements: string): Promise<void> {
  const file = path.posix.join(s.stagingDir, path.basename(s.galaxyFile));
  const roles = ['install', '-r', file, '-p', s.galaxyRolesPath];
  const collections = ['collection', 'install', '-r', file, '-p', s.galaxyCollectionsPath];
  if (s.galaxyForce) {
    roles.push('-f');
    collections.push('-f');
  }
  const hasRoles = /^roles:/m.test(requirements);
  const hasCollections = /^collections:/m.test(requirements);
  const runs = [...(hasRoles || !hasCollections ? [roles] : []), ...(hasCollections ? [collections] : [])];
  for (const args of runs) {
    const command = `cd ${s.stagingDir} && ${s.galaxyCommand} ${args.join(' ')}`;
    ctx.ui.say(`Executing Ansible Galaxy: ${command}`);
    const status = await remote(ctx, command);
    if (status !== 0) throw new Error(`Non-zero exit status: ${status}`);
  }
}
