/**
 * Where the getters fetch from. `KILN_PLUGIN_MIRROR` points both at one base URL for
 * mirrors, air-gapped sites and tests; below it, each upstream host is a folder:
 *
 *   <mirror>/releases.hashicorp.com/packer-plugin-<name>/index.json …
 *   <mirror>/api.github.com/repos/<ns>/packer-plugin-<name>/git/matching-refs/tags
 *   <mirror>/github.com/<ns>/packer-plugin-<name>/releases/download/v<ver>/<file>
 */

/** The base URLs of the three upstream services, without trailing slashes. */
export interface Endpoints {
  readonly releases: string;
  readonly githubApi: string;
  readonly githubDownloads: string;
}

/** The environment variable that redirects every getter to a mirror. */
export const MIRROR_ENV = 'KILN_PLUGIN_MIRROR';

/** The upstream services, or the mirror's folders when `KILN_PLUGIN_MIRROR` is set. */
export function endpointsFrom(env: NodeJS.ProcessEnv): Endpoints {
  const mirror = env[MIRROR_ENV]?.replace(/\/+$/, '');
  if (!mirror) return { releases: 'https://releases.hashicorp.com', githubApi: 'https://api.github.com', githubDownloads: 'https://github.com' };
  return { releases: `${mirror}/releases.hashicorp.com`, githubApi: `${mirror}/api.github.com`, githubDownloads: `${mirror}/github.com` };
}
