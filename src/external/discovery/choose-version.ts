/**
 * Choosing among installed versions of one plugin: the ones a `required_plugins`
 * entry matches, in Packer's order, the last being the one a build uses.
 */
import type { VersionConstraints } from '../../support/version-constraint.js';
import { parseConstraints, parseVersion, satisfies, versionCore } from '../../support/version-constraint.js';
import { apiVersionProblem } from './api-version.js';
import type { InstalledPlugin } from './types.js';

export interface MatchOptions {
  /** Keep API versions kiln cannot speak (what `plugins installed` and `plugins remove` do). Default false. */
  readonly anyApiVersion?: boolean;
  /** Drop prerelease installs (`-ignore-prerelease-plugins`). Default false. */
  readonly releasesOnly?: boolean;
}

function sourceMatches(p: InstalledPlugin, source: string): boolean {
  // Packer looks for `packer-plugin-<name>_…` anywhere below `<host>/<ns>`.
  const slash = source.lastIndexOf('/');
  const name = source.slice(slash + 1);
  const parent = source.slice(0, slash);
  return p.form === 'multi' && p.name === name && p.source !== undefined && (p.source === source || p.source.startsWith(`${parent}/`));
}

/**
 * The installs of `source` (`github.com/hashicorp/amazon`) whose version satisfies
 * `constraint` (go-version syntax; empty or undefined: any), in `plugins`' order
 * (findInstalledPlugins sorts ascending). As Packer, the constraint is checked against
 * the version without its prerelease part, so `1.2.0-dev` matches `>= 1.2.0`. An
 * unparsable constraint matches nothing.
 */
export function installsMatching(plugins: readonly InstalledPlugin[], source: string, constraint?: string | VersionConstraints, opts: MatchOptions = {}): InstalledPlugin[] {
  const c = typeof constraint === 'string' ? (constraint.trim() === '' ? undefined : parseConstraints(constraint)) : constraint;
  if (typeof constraint === 'string' && constraint.trim() !== '' && !c) return [];
  return plugins.filter((p) => {
    if (!sourceMatches(p, source)) return false;
    const v = parseVersion(p.version ?? '');
    if (!v) return false;
    if (opts.releasesOnly && v.prerelease !== '') return false;
    if (!opts.anyApiVersion && apiVersionProblem(p.apiVersion ?? '') !== undefined) return false;
    return c === undefined || satisfies(versionCore(v), c);
  });
}

/** The highest install of `source` matching `constraint` that kiln can speak to; undefined when none. */
export function chooseVersion(plugins: readonly InstalledPlugin[], source: string, constraint?: string | VersionConstraints, opts: MatchOptions = {}): InstalledPlugin | undefined {
  return installsMatching(plugins, source, constraint, { ...opts, anyApiVersion: false }).at(-1);
}
