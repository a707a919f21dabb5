/**
 * Installing the newest release of a plugin that matches a constraint, as Packer 1.16's
 * InstallLatest does: getters in order (the releases service falls through to GitHub),
 * matching versions highest first, the zip's checksum from the release's SHA256SUMS,
 * the binary's `describe` checked against its name, then an atomic placement under a
 * per-plugin lock. Never throws for network or release problems: they are returned.
 */
import path from 'node:path';
import { verifyBinaryChecksum, sha256Hex } from '../discovery/checksum.js';
import type { GoPlatform } from '../discovery/platform.js';
import type { VersionConstraints } from '../../support/version-constraint.js';
import { compareVersions, parseVersion, satisfies } from '../../support/version-constraint.js';
import { httpGet } from './http.js';
import { acquireLock } from './lock.js';
import { placeBinary } from './place-binary.js';
import type { PluginAddress, ReleaseAsset, ReleaseGetter } from './types.js';
import { extractZipFile } from './zip-reader.js';

/** Download progress of one zip. */
export interface DownloadProgress {
  readonly file: string;
  readonly received: number;
  readonly total: number | undefined;
  readonly done: boolean;
}

export interface InstallOptions {
  readonly pluginDir: string;
  readonly platform: GoPlatform;
  readonly env: NodeJS.ProcessEnv;
  readonly getters: readonly ReleaseGetter[];
  /** Reinstall even when the chosen version is installed and intact. */
  readonly force?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: DownloadProgress) => void;
}

export type InstallOutcome =
  | { readonly kind: 'installed'; readonly path: string; readonly version: string }
  | { readonly kind: 'already'; readonly path: string; readonly version: string }
  | { readonly kind: 'failed'; readonly errors: readonly string[] };

function byVersionDesc(a: string, b: string): number {
  return compareVersions(parseVersion(b)!, parseVersion(a)!);
}

/** Installs the highest release of `plugin` matching `constraint` (undefined: any release). */
export async function installLatest(plugin: PluginAddress, constraint: VersionConstraints | undefined, opts: InstallOptions): Promise<InstallOutcome> {
  const errors: string[] = [];
  const dir = path.join(opts.pluginDir, ...plugin.parts);
  let sawVersions = false;
  for (const getter of opts.getters) {
    if (!getter.serves(plugin)) continue;
    const listed = await getter.versions(plugin, opts.signal);
    if ('unavailable' in listed) continue;
    if ('error' in listed) return { kind: 'failed', errors: [...errors, listed.error] };
    const all = listed.ok.filter((v) => parseVersion(v) !== undefined).sort(byVersionDesc);
    if (all.length === 0) {
      errors.push(`no release found for ${plugin.source} on ${getter.name}`);
      continue;
    }
    // Only releases install remotely (Packer refuses a prerelease binary after downloading it).
    const matching = all.filter((v) => parseVersion(v)!.prerelease === '' && (constraint === undefined || satisfies(v, constraint)));
    if (matching.length === 0) {
      errors.push(`no matching version found in releases of ${plugin.source} on ${getter.name} for ${JSON.stringify(constraint?.text ?? '')}. Versions seen: ${all.map((v) => `v${v}`).join(', ')}`);
      continue;
    }
    sawVersions = true;
    for (const version of matching) {
      const found = await getter.asset(plugin, version, opts.signal);
      if ('unavailable' in found) break;
      if ('error' in found) return { kind: 'failed', errors: [...errors, found.error] };
      if ('skipped' in found.ok) {
        errors.push(...found.ok.skipped);
        continue;
      }
      const r = await installAsset(found.ok, dir, opts);
      if (r.kind !== 'failed') return r;
      errors.push(...r.errors);
      if (r.fatal) return { kind: 'failed', errors };
    }
  }
  if (!sawVersions && errors.length === 0) errors.push(`no release version found for ${plugin.source}${constraint ? ` matching ${JSON.stringify(constraint.text)}` : ''}`);
  errors.push(`could not install any compatible version of plugin ${JSON.stringify(plugin.source)}`);
  return { kind: 'failed', errors };
}

async function installAsset(asset: ReleaseAsset, dir: string, opts: InstallOptions): Promise<Exclude<InstallOutcome, { kind: 'failed' }> | { kind: 'failed'; errors: string[]; fatal: boolean }> {
  const target = path.join(dir, asset.binaryName);
  const intact = async () => !opts.force && (await verifyBinaryChecksum(target)).ok;
  if (await intact()) return { kind: 'already', path: target, version: asset.version };
  let release: () => Promise<void>;
  try {
    release = await acquireLock(dir, opts.signal);
  } catch (e) {
    return { kind: 'failed', errors: [opts.signal?.aborted ? 'cancelled' : `could not lock ${dir}: ${(e as Error).message}`], fatal: true };
  }
  try {
    // Another process may have installed it while this one waited for the lock.
    if (await intact()) return { kind: 'already', path: target, version: asset.version };
    const got = await httpGet(asset.zipUrl, {
      env: opts.env,
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (received, total) => opts.onProgress?.({ file: asset.zipName, received, total, done: false }),
    });
    if ('error' in got) return { kind: 'failed', errors: [`Error getting plugin ${asset.zipName}: ${got.error}`], fatal: true };
    if (got.response.status >= 400) return { kind: 'failed', errors: [`could not get binary for ${asset.zipName}: GET ${asset.zipUrl}: ${got.response.status}`], fatal: false };
    const zip = got.response.body;
    opts.onProgress?.({ file: asset.zipName, received: zip.length, total: zip.length, done: true });
    const actual = sha256Hex(zip);
    if (actual !== asset.sha256) {
      return { kind: 'failed', errors: [`Checksums (sha256) did not match for ${asset.zipName}.\nExpected: ${asset.sha256}\nGot     : ${actual}\nIs the checksum file correct ? Is the binary file correct ?`], fatal: false };
    }
    const extracted = extractZipFile(zip, asset.binaryName);
    if ('error' in extracted) return { kind: 'failed', errors: [`zip ${asset.zipName}: ${extracted.error}`], fatal: true };
    if ('missing' in extracted) return { kind: 'failed', errors: [`could not find a ${JSON.stringify(asset.binaryName)} file in zipfile ${asset.zipName}`], fatal: true };
    const placed = await placeBinary(dir, asset.binaryName, extracted.data, opts.env, (d) => describeProblem(d, asset));
    if ('error' in placed) return { kind: 'failed', errors: [`Continuing to next available version: ${placed.error}`], fatal: false };
    return { kind: 'installed', path: placed.path, version: asset.version };
  } finally {
    await release();
  }
}

/** Why a downloaded binary's `describe` disqualifies it (Packer's checkVersion, plus the API version). */
function describeProblem(d: { version: string; apiVersion: string }, asset: ReleaseAsset): string | undefined {
  const described = parseVersion(d.version);
  if (!described) return `invalid self-reported version ${JSON.stringify(d.version)}`;
  const expected = parseVersion(asset.version)!;
  if (described.segments.slice(0, 3).join('.') !== expected.segments.slice(0, 3).join('.')) {
    return `binary reported version (${JSON.stringify(d.version)}) is different from the expected ${JSON.stringify(asset.version)}, skipping`;
  }
  if (described.prerelease !== '') return `binary reported a pre-release version of ${d.version}; remote installation of pre-release plugin versions is unsupported`;
  if (d.apiVersion !== asset.apiVersion) return `binary reported API version ${JSON.stringify(d.apiVersion)} while its name implies ${JSON.stringify(asset.apiVersion)}, skipping`;
  return undefined;
}
