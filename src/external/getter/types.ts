/** The contract between the installer and the places releases come from. */

/** A plugin source address split up: `github.com/hashicorp/amazon`. */
export interface PluginAddress {
  readonly source: string;
  readonly parts: readonly string[];
  /** The last part (`amazon`). */
  readonly name: string;
}

/** One downloadable build of a release for this platform. */
export interface ReleaseAsset {
  /** Without `v`. */
  readonly version: string;
  /** `x5.0`. */
  readonly apiVersion: string;
  readonly zipUrl: string;
  readonly zipName: string;
  /** The binary's name inside the zip, which is also its installed name. */
  readonly binaryName: string;
  /** Lower-case hex SHA-256 of the zip. */
  readonly sha256: string;
}

/**
 * What a getter answers. `unavailable`: this getter cannot serve the plugin (any HTTP
 * failure of the releases service) and the next getter is tried; `error`: the install
 * stops (a GitHub API error, a rate limit).
 */
export type GetterAnswer<T> = { readonly ok: T } | { readonly unavailable: string } | { readonly error: string };

/** A place plugin releases come from: HashiCorp's releases service or GitHub releases. */
export interface ReleaseGetter {
  /** `releases.hashicorp.com` or `github.com`, for messages. */
  readonly name: string;
  /** Whether this getter serves `plugin` at all. */
  serves(plugin: PluginAddress): boolean;
  /** Every released version (without `v`), unsorted. */
  versions(plugin: PluginAddress, signal?: AbortSignal): Promise<GetterAnswer<string[]>>;
  /**
   * The asset of `version` for this platform and an API version kiln speaks; `ok` with
   * reasons instead of an asset when the release has none (wrong platform, API version).
   */
  asset(plugin: PluginAddress, version: string, signal?: AbortSignal): Promise<GetterAnswer<ReleaseAsset | { readonly skipped: readonly string[] }>>;
}
