/**
 * `galaxy_file`: installs the roles and collections a requirements file lists with
 * `ansible-galaxy` on this host before the playbook runs (Packer's executeGalaxy).
 * A file with a `roles:` key, or without a `collections:` key (the old flat list), is
 * installed as roles; one with `collections:` also as collections.
 */
import { readFile } from 'node:fs/promises';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import type { Ui } from '../../../sdk/ui.js';
import type { GalaxySettings } from './config.js';
import { childEnv, runLocal } from './command-line.js';

/** The `ansible-galaxy` argument lists to run, in order. */
export function galaxyInvocations(g: GalaxySettings, requirements: string): string[][] {
  const roles = ['install', '-r', g.file];
  const collections = ['collection', 'install', '-r', g.file];
  for (const args of [roles, collections]) {
    if (g.force) args.push('-f');
    if (g.forceWithDeps) args.push('--force-with-deps');
  }
  if (g.rolesPath !== '') roles.push('-p', g.rolesPath);
  if (g.collectionsPath !== '') collections.push('-p', g.collectionsPath);
  const hasRoles = /^roles:/m.test(requirements);
  const hasCollections = /^collections:/m.test(requirements);
  const out: string[][] = [];
  if (hasRoles || !hasCollections) out.push(roles);
  if (hasCollections) out.push(collections);
  return out;
}

export async function installGalaxy(g: GalaxySettings, envVars: readonly string[], ui: Ui, signal: AbortSignal): Promise<Result<void>> {
  let requirements: string;
  try {
    requirements = await readFile(g.file, 'utf8');
  } catch (err) {
    return fail(`Error executing Ansible Galaxy: ${(err as Error).message}`);
  }
  for (const args of galaxyInvocations(g, requirements)) {
    ui.say('Executing Ansible Galaxy');
    let status: number;
    try {
      status = await runLocal([g.command, ...args], childEnv(envVars), ui, signal);
    } catch (err) {
      return fail(`Error executing Ansible Galaxy: ${(err as Error).message}`);
    }
    if (status !== 0) return fail(`Error executing Ansible Galaxy: Non-zero exit status: exit status ${status}`);
  }
  return ok(undefined);
}
