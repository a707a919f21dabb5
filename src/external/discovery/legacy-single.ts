/**
 * Packer ≤ 1.6 single-component binaries (`packer-builder-NAME`,
 * `packer-provisioner-NAME`, `packer-post-processor-NAME`), run without arguments.
 * Packer 1.16 dropped them; kiln still runs them from the plugin folder's root and
 * from the folder kiln itself is installed in.
 */
import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { GoPlatform } from './platform.js';
import type { ComponentKind, ComponentNames, InstalledPlugin } from './types.js';

const SINGLE_RE = /^packer-(builder|provisioner|post-processor)-(.+)$/;

/** The kind and component name of a legacy binary's file name; undefined when it is not one. */
export function parseSingleName(base: string, platform: GoPlatform): { kind: ComponentKind; name: string } | undefined {
  if (platform.ext && !base.endsWith(platform.ext)) return undefined;
  const stem = platform.ext ? base.slice(0, -platform.ext.length) : base;
  const m = SINGLE_RE.exec(stem);
  if (!m || !m[2]) return undefined;
  return { kind: m[1] as ComponentKind, name: m[2] };
}

/** The legacy single-component executables directly inside `dir` (not below it); none when it does not exist. */
export async function findSingleBinaries(dir: string, platform: GoPlatform): Promise<InstalledPlugin[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: InstalledPlugin[] = [];
  for (const e of entries) {
    if (e.isDirectory()) continue;
    const parsed = parseSingleName(e.name, platform);
    if (!parsed) continue;
    const file = path.resolve(dir, e.name);
    try {
      await access(file, constants.X_OK);
    } catch {
      continue;
    }
    const components: ComponentNames = { builder: [], provisioner: [], 'post-processor': [], datasource: [] };
    components[parsed.kind].push(parsed.name);
    found.push({ name: parsed.name, path: file, form: 'single', components });
  }
  return found;
}
