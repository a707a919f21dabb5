/**
 * HashiCorp's releases service (releases.hashicorp.com), tried first for official
 * `github.com/hashicorp/*` plugins: `index.json` lists versions, each version has a
 * `SHA256SUMS`, a `manifest.json` giving the plugin API version, and zips named
 * `packer-plugin-<name>_<ver>_<os>_<arch>.zip`. Any HTTP failure makes the installer
 * fall through to GitHub, as in Packer.
 */
import { apiVersionProblem } from '../discovery/api-version.js';
import type { GoPlatform } from '../discovery/platform.js';
import { pluginFileName } from '../discovery/plugin-file-name.js';
import { parseChecksumsFile } from './checksums-file.js';
import { httpGet } from './http.js';
import type { GetterAnswer, PluginAddress, ReleaseAsset, ReleaseGetter } from './types.js';

export interface ReleasesServiceOptions {
  readonly baseUrl: string;
  readonly platform: GoPlatform;
  readonly env: NodeJS.ProcessEnv;
}

async function getOk(url: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<{ body: Buffer } | { unavailable: string }> {
  const r = await httpGet(url, { env, ...(signal ? { signal } : {}) });
  if ('error' in r) return { unavailable: r.error };
  if (r.response.status >= 400) return { unavailable: `GET ${url}: ${r.response.status}` };
  return { body: r.response.body };
}

function jsonOf(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The releases service getter for `opts.baseUrl`. */
export function releasesService(opts: ReleasesServiceOptions): ReleaseGetter {
  const product = (p: PluginAddress): string => `packer-plugin-${p.name}`;
  return {
    name: 'releases.hashicorp.com',
    serves: (p) => p.parts.length === 3 && p.parts[0] === 'github.com' && p.parts[1] === 'hashicorp',
    async versions(p, signal): Promise<GetterAnswer<string[]>> {
      const r = await getOk(`${opts.baseUrl}/${product(p)}/index.json`, opts.env, signal);
      if ('unavailable' in r) return r;
      const index = jsonOf(r.body) as { versions?: Record<string, { version?: unknown }> } | undefined;
      if (!index || typeof index.versions !== 'object' || index.versions === null) return { unavailable: `${opts.baseUrl}/${product(p)}/index.json: not a release index` };
      return { ok: Object.values(index.versions).flatMap((v) => (typeof v?.version === 'string' ? [v.version] : [])) };
    },
    async asset(p, version, signal): Promise<GetterAnswer<ReleaseAsset | { skipped: string[] }>> {
      const dir = `${opts.baseUrl}/${product(p)}/${version}`;
      const sums = await getOk(`${dir}/${product(p)}_${version}_SHA256SUMS`, opts.env, signal);
      if ('unavailable' in sums) return sums;
      const zipName = `${product(p)}_${version}_${opts.platform.os}_${opts.platform.arch}.zip`;
      const entry = parseChecksumsFile(sums.body.toString('utf8')).find((e) => e.file === zipName);
      if (!entry) return { ok: { skipped: [`release ${version} has no ${opts.platform.os}_${opts.platform.arch} build (no ${zipName} in its SHA256SUMS)`] } };
      const manifest = await getOk(`${dir}/${product(p)}_${version}_manifest.json`, opts.env, signal);
      if ('unavailable' in manifest) return manifest;
      const proto = (jsonOf(manifest.body) as { metadata?: { protocol_version?: unknown } } | undefined)?.metadata?.protocol_version;
      if (typeof proto !== 'string') return { unavailable: `${dir}/${product(p)}_${version}_manifest.json: no metadata.protocol_version` };
      const apiVersion = `x${proto}`;
      const problem = apiVersionProblem(apiVersion);
      if (problem) return { ok: { skipped: [`${zipName} (API ${apiVersion}): ${problem}`] } };
      return {
        ok: { version, apiVersion, zipUrl: `${dir}/${zipName}`, zipName, binaryName: pluginFileName(p.name, version, apiVersion, opts.platform), sha256: entry.sha256 },
      };
    },
  };
}
