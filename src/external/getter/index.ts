/**
 * Installing plugins into the layout discovery reads: the releases service and GitHub
 * getters, downloads through proxies, zip extraction, atomic placement under a lock.
 */
import type { GoPlatform } from '../discovery/platform.js';
import { endpointsFrom } from './endpoints.js';
import { githubReleases } from './github-releases.js';
import { releasesService } from './releases-service.js';
import type { ReleaseGetter } from './types.js';

export { endpointsFrom, MIRROR_ENV } from './endpoints.js';
export type { Endpoints } from './endpoints.js';
export { installLatest } from './install-latest.js';
export type { DownloadProgress, InstallOptions, InstallOutcome } from './install-latest.js';
export { placeBinary } from './place-binary.js';
export { pluginAddress } from './plugin-address.js';
export type { GetterAnswer, PluginAddress, ReleaseAsset, ReleaseGetter } from './types.js';

/** Packer 1.16's getters in order: the releases service (official plugins), then GitHub releases. */
export function defaultGetters(env: NodeJS.ProcessEnv, platform: GoPlatform): ReleaseGetter[] {
  const e = endpointsFrom(env);
  return [releasesService({ baseUrl: e.releases, platform, env }), githubReleases({ apiUrl: e.githubApi, downloadsUrl: e.githubDownloads, platform, env })];
}
