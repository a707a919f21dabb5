/**
 * GitHub releases of `github.com/<ns>/packer-plugin-<name>`: versions are the repository's
 * tags (the git matching-refs API), each release carries
 * `packer-plugin-<name>_v<ver>_SHA256SUMS` and zips named
 * `packer-plugin-<name>_v<ver>_x<api>_<os>_<arch>.zip`. A token from
 * `PACKER_GITHUB_API_TOKEN` (Packer's) or `GITHUB_TOKEN` goes to the API only.
 */
import { formatDuration } from '../../sdk/duration.js';
import { apiVersionProblem } from '../discovery/api-version.js';
import type { GoPlatform } from '../discovery/platform.js';
import { parseChecksumsFile } from './checksums-file.js';
import type { HttpResponse } from './http.js';
import { httpGet } from './http.js';
import type { GetterAnswer, PluginAddress, ReleaseAsset, ReleaseGetter } from './types.js';

export interface GithubReleasesOptions {
  readonly apiUrl: string;
  readonly downloadsUrl: string;
  readonly platform: GoPlatform;
  readonly env: NodeJS.ProcessEnv;
  /** For "try again in …"; default Date.now. */
  readonly now?: () => number;
}

const TOKEN_ENV = 'PACKER_GITHUB_API_TOKEN';

function apiError(url: string, res: HttpResponse, now: number): string {
  let message = '';
  try {
    const body = JSON.parse(res.body.toString('utf8')) as { message?: unknown };
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON: the status alone says enough
  }
  const base = `GET ${url}: ${res.status} ${message}`.trim();
  if ((res.status === 403 || res.status === 429) && res.headers['x-ratelimit-remaining'] === '0') {
    const reset = Number(res.headers['x-ratelimit-reset']) * 1000;
    const wait = Number.isFinite(reset) ? formatDuration(Math.max(0, Math.round((reset - now) / 1000)) * 1000) : 'a while';
    return (
      `Plugin host rate limited the plugin getter. Try again in ${wait}.\n` +
      `HINT: Set the ${TOKEN_ENV} (or GITHUB_TOKEN) env var with a token to get more requests.\n` +
      `${base} [rate reset in ${wait}]`
    );
  }
  return base;
}

/** The GitHub releases getter. */
export function githubReleases(opts: GithubReleasesOptions): ReleaseGetter {
  const token = opts.env[TOKEN_ENV] || opts.env.GITHUB_TOKEN;
  const now = opts.now ?? Date.now;
  const repo = (p: PluginAddress): string => `${p.parts[1]}/packer-plugin-${p.name.replace(/^packer-plugin-/, '')}`;
  const get = (url: string, signal?: AbortSignal) =>
    httpGet(url, {
      env: opts.env,
      headers: { accept: 'application/vnd.github.v3+json' },
      ...(token ? { scopedHeaders: { prefix: `${opts.apiUrl}/`, headers: { authorization: `Bearer ${token}` } } } : {}),
      ...(signal ? { signal } : {}),
    });
  return {
    name: 'github.com',
    serves: () => true,
    async versions(p, signal): Promise<GetterAnswer<string[]>> {
      if (p.parts.length !== 3) return { error: `Invalid github.com URI ${JSON.stringify(p.source)}: a Github-compatible source must be in the github.com/<namespace>/<name> format.` };
      if (p.parts[0] !== 'github.com') return { error: `${JSON.stringify(p.source)} doesn't appear to be a valid "github.com" source address; check source and try again.` };
      const url = `${opts.apiUrl}/repos/${repo(p)}/git/matching-refs/tags`;
      const r = await get(url, signal);
      if ('error' in r) return r;
      if (r.response.status >= 400) return { error: apiError(url, r.response, now()) };
      let refs: unknown;
      try {
        refs = JSON.parse(r.response.body.toString('utf8'));
      } catch {
        return { error: `GET ${url}: the answer is not JSON` };
      }
      if (!Array.isArray(refs)) return { error: `GET ${url}: expected a list of tags` };
      return { ok: refs.flatMap((t: { ref?: unknown }) => (typeof t?.ref === 'string' ? [t.ref.replace(/^refs\/tags\//, '').replace(/^v/, '')] : [])) };
    },
    async asset(p, version, signal): Promise<GetterAnswer<ReleaseAsset | { skipped: string[] }>> {
      const prefix = `packer-plugin-${p.name}_v${version}`;
      const dir = `${opts.downloadsUrl}/${repo(p)}/releases/download/v${version}`;
      const sumsUrl = `${dir}/${prefix}_SHA256SUMS`;
      const r = await get(sumsUrl, signal);
      if ('error' in r) return r;
      if (r.response.status >= 400) {
        return { ok: { skipped: [`could not get sha256 checksum file for ${p.source} version ${version}. Is the file present on the release and correctly named ? ${apiError(sumsUrl, r.response, now())}`] } };
      }
      const skipped: string[] = [];
      const suffix = `_${opts.platform.os}_${opts.platform.arch}.zip`;
      for (const e of parseChecksumsFile(r.response.body.toString('utf8'))) {
        if (!e.file.startsWith(`${prefix}_`) || !e.file.endsWith(suffix)) continue;
        const apiVersion = e.file.slice(prefix.length + 1, e.file.length - suffix.length);
        if (!/^x\d+\.\d+$/.test(apiVersion)) continue;
        const problem = apiVersionProblem(apiVersion);
        if (problem) {
          skipped.push(`${e.file}: ${problem}`);
          continue;
        }
        const binaryName = e.file.slice(0, -'.zip'.length) + opts.platform.ext;
        return { ok: { version, apiVersion, zipUrl: `${dir}/${e.file}`, zipName: e.file, binaryName, sha256: e.sha256 } };
      }
      if (skipped.length === 0) skipped.push(`release v${version} has no ${opts.platform.os}_${opts.platform.arch} build in ${prefix}_SHA256SUMS`);
      return { ok: { skipped } };
    },
  };
}
