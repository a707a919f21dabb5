/**
 * The docker step cache's registry side (`-cache-from`, `-cache-to`): step images
 * travel as tags `<repository>:kiln-<key>` of one repository. `-cache-to` tags each
 * snapshot and pushes it in the background while the build goes on (layers already
 * in the registry are not sent again); the build waits for the pushes at its end and
 * drops the local push tags. `-cache-from` is asked when the local engine lacks a
 * step image: a manifest HEAD on the registry (about 1 ms on loopback) says whether
 * the tag exists before a `docker pull`, which then becomes `kiln-cache:<key>`.
 * A registry failure is a warning, never a build failure: the step runs instead.
 */
import type { DockerDriver } from '../../../../sdk/docker/driver.js';
import type { LedgerHandle } from '../../../../sdk/ledger/ledger.js';
import { parseImageRef } from '../../../../sdk/docker/image-ref.js';
import type { Result } from '../../../../sdk/result.js';
import { fail, ok } from '../../../../sdk/result.js';
import type { Ui } from '../../../../sdk/ui.js';

/** The local repository that holds step images, tagged by their full key. */
export const CACHE_REPOSITORY = 'kiln-cache';

/**
 * `oci://host/repo` or `host/repo` → `host/repo`; undefined (having warned) when `ref`
 * names no image repository (an `s3://` cache, a reference with a tag).
 */
export function cacheRepository(ref: string | undefined, flag: string, ui: Ui): string | undefined {
  if (ref === undefined || ref === '') return undefined;
  const repo = ref.replace(/^oci:\/\//, '');
  const parsed = parseImageRef(repo);
  if (typeof parsed === 'string' || parsed.tag !== undefined || parsed.digest !== undefined) {
    ui.error(`Warning: ${flag}=${ref} is not an image repository (host/path, no tag): the docker builder does not use it`);
    return undefined;
  }
  return repo;
}

export class CacheRemote {
  readonly #pushes: Promise<void>[] = [];
  readonly #pushed: string[] = [];
  #warned = false;

  constructor(
    private readonly driver: DockerDriver,
    private readonly ui: Ui,
    readonly from: string | undefined,
    readonly to: string | undefined,
    /** Records a step image about to be made locally in the run's ledger (see `recordImage`). */
    private readonly record: (ref: string) => LedgerHandle,
  ) {}

  /**
   * Whether `-cache-from` has the step image of `key`: its reference there when the
   * registry says so (pulled later by `materialize`, so a chain costs one pull), or
   * `kiln-cache:<key>` when it had to be pulled to find out; undefined when it is not there.
   */
  async find(key: string, signal: AbortSignal): Promise<string | undefined> {
    if (this.from === undefined) return undefined;
    const exists = await manifestExists(this.from, `kiln-${key}`, signal);
    if (exists === true) return `${this.from}:kiln-${key}`;
    if (exists === false) return undefined;
    return (await this.#pull(key, signal)).kind === 'ok' ? `${CACHE_REPOSITORY}:${key}` : undefined;
  }

  /** Makes sure the step image `ref` (`find`'s answer) is in the engine; resolves with its local name. */
  async materialize(ref: string, key: string, signal: AbortSignal): Promise<Result<string>> {
    if (this.from === undefined || !ref.startsWith(`${this.from}:`)) return ok(ref);
    const pulled = await this.#pull(key, signal);
    return pulled.kind === 'ok' ? ok(`${CACHE_REPOSITORY}:${key}`) : fail(`the cache registry has ${ref}, but it could not be pulled: ${pulled.error.message}. Run again without -cache-from.`);
  }

  /** Pulls `<from>:kiln-<key>` and names it `kiln-cache:<key>`. */
  async #pull(key: string, signal: AbortSignal): Promise<Result<void>> {
    const remote = `${this.from ?? ''}:kiln-${key}`;
    const pulled = await this.driver.pull(remote, undefined, signal);
    if (pulled.kind === 'error') {
      if (!/not found|manifest unknown/i.test(pulled.stderr)) this.#warn(`could not pull ${remote}: ${pulled.message}`);
      return fail(pulled.message);
    }
    const local = `${CACHE_REPOSITORY}:${key}`;
    const handle = this.record(local);
    const tagged = await this.driver.tagImage(remote, local, signal);
    await this.driver.deleteImage(remote);
    if (tagged.kind === 'error') {
      handle.done();
      return fail(tagged.message);
    }
    handle.kept();
    this.ui.message(`Pulled step image ${remote} from the cache registry`);
    return ok(undefined);
  }

  /** Starts pushing the step image of `key` to `<to>:kiln-<key>` (one push at a time, in order). */
  push(key: string): void {
    if (this.to === undefined) return;
    const remote = `${this.to}:kiln-${key}`;
    const previous = this.#pushes.at(-1) ?? Promise.resolve();
    this.#pushes.push(
      previous.then(async () => {
        const tagged = await this.driver.tagImage(`${CACHE_REPOSITORY}:${key}`, remote);
        if (tagged.kind === 'error') return this.#warn(tagged.message);
        this.#pushed.push(remote);
        const pushed = await this.driver.push(remote);
        if (pushed.kind === 'error') this.#warn(pushed.message);
      }),
    );
  }

  /** Waits for the pushes started so far and removes their local tags (the images stay as `kiln-cache:<key>`). */
  async settle(): Promise<number> {
    await Promise.all(this.#pushes);
    const count = this.#pushed.length;
    for (const tag of this.#pushed.splice(0)) await this.driver.deleteImage(tag);
    if (count > 0 && this.to !== undefined) this.ui.message(`Pushed ${count} step image(s) to ${this.to}`);
    return count;
  }

  #warn(text: string): void {
    if (this.#warned) return;
    this.#warned = true;
    this.ui.error(`Warning: the cache registry failed; the build goes on without it: ${text}`);
  }
}

/**
 * HEAD of the tag's manifest on the repository's registry: true or false when the
 * registry answered, undefined when it could not say (no registry host in the name,
 * authentication needed, unreachable) — the caller then just tries the pull.
 */
async function manifestExists(repository: string, tag: string, signal: AbortSignal): Promise<boolean | undefined> {
  const parsed = parseImageRef(repository);
  if (typeof parsed === 'string' || parsed.registry === undefined) return undefined;
  const host = parsed.registry;
  const scheme = /^(localhost|127\.|\[::1\])/.test(host) ? 'http' : 'https';
  try {
    const res = await fetch(`${scheme}://${host}/v2/${parsed.path}/manifests/${tag}`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.index.v1+json' },
      signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]),
    });
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    return undefined;
  } catch {
    if (signal.aborted) throw signal.reason;
    return undefined;
  }
}
