/**
 * Per-build and per-step step-cache settings from the side file (`kiln.hcl`, parsed by
 * `core/cache/side-file.ts`), in the form the fingerprint module applies them. The
 * template itself never carries them: Packer must still run it.
 *
 * - `off` (`cache = false`): this component is a barrier — it and every later step run
 *   on every build;
 * - `bust`: a value that enters this component's key (a build's base: every step);
 * - `inputs`: local files or folders the step reads that its config does not name; their
 *   content digests enter the key, and a step kiln could not see into (`shell-local`, a
 *   plugin provisioner) becomes cacheable — the user vouches for the list;
 * - `affects = "guest"` (`affectsGuest`): a `shell-local` step that changes the machine
 *   being built (it reaches it over SSH, say) is keyed by its configuration and cached
 *   like a guest step, instead of a barrier — the user vouches that its result lives in
 *   the machine;
 * - `ttl`: an entry of this step older than it is a miss (not keyed: changing the TTL
 *   does not change the key, and a fresh entry is recorded over the stale one).
 */

/** Where a setting was written, for messages: `kiln.hcl:12`. */
export type SideLocation = string;

/** A time to live: milliseconds, as written (`24h`) and where. */
export interface SideTtl {
  readonly ms: number;
  readonly text: string;
  readonly at: SideLocation;
}

/** The side file's settings for one component (a build's base or one provisioner). */
export interface StepSideSettings {
  /** `cache = false`: where it was set. */
  readonly off?: SideLocation;
  readonly bust?: string;
  /** Paths as written; relative ones are read from `inputsDir` (the side file's folder). */
  readonly inputs?: readonly string[];
  readonly inputsDir?: string;
  /** `affects = "guest"` on a shell-local step: where it was set. */
  readonly affectsGuest?: SideLocation;
  readonly ttl?: SideTtl;
}

/** The side file's settings for one build. */
export interface BuildSideSettings {
  /** Build-wide `cache = false` and `bust` (they enter or stop the base). */
  readonly base: StepSideSettings;
  /** By provisioner index (0-based); undefined where nothing applies. */
  readonly steps: readonly (StepSideSettings | undefined)[];
}

/** Every build's settings, by build name (`docker.app`). */
export type SideSettings = ReadonlyMap<string, BuildSideSettings>;

/** The prefix of side-file inputs in `kiln cache explain` (`(kiln.hcl) bust: "a" → "b"`). */
export const SIDE_INPUT_PREFIX = '(kiln.hcl)';
