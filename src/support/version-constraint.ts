/**
 * HashiCorp go-version constraints (`>= 1.7.0, < 2`, `~> 1.10`, `!= 1.9.1`), which
 * `required_version` uses. A generic semver library gets `~>` wrong: `~> 1.2` allows
 * every 1.x from 1.2 on, `~> 1.2.0` only 1.2.x.
 */

/** A parsed go-version version. */
export interface Version {
  /** Numeric segments, padded to at least three. */
  readonly segments: readonly number[];
  /** How many segments were written (`1.2` → 2). */
  readonly specified: number;
  readonly prerelease: string;
  /** Build metadata after `+` (ignored by comparisons). */
  readonly metadata: string;
}

const VERSION_RE =
  /^v?([0-9]+(?:\.[0-9]+)*?)(?:-([0-9]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)|(?:-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)))?(?:\+([0-9A-Za-z\-~]+(?:\.[0-9A-Za-z\-~]+)*))?$/;

/** Parses a version as go-version does; undefined when malformed. */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION_RE.exec(text.trim());
  if (!m) return undefined;
  const parts = m[1]!.split('.').map(Number);
  if (parts.some((n) => !Number.isSafeInteger(n))) return undefined;
  const specified = parts.length;
  while (parts.length < 3) parts.push(0);
  return { segments: parts, specified, prerelease: m[2] ?? m[3] ?? '', metadata: m[4] ?? '' };
}

/**
 * go-version's `String()`: the segments (at least three) joined by dots, then
 * `-prerelease` and `+metadata` when present, without a leading `v`.
 */
export function canonicalVersion(v: Version): string {
  return v.segments.join('.') + (v.prerelease ? `-${v.prerelease}` : '') + (v.metadata ? `+${v.metadata}` : '');
}

/** The version without prerelease and metadata (go-version's `Core()`), as text. */
export function versionCore(v: Version): string {
  return v.segments.slice(0, 3).join('.');
}

function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Orders two parsed versions as go-version does: -1, 0 or 1 (a release sorts after its prereleases). */
export function compareVersions(a: Version, b: Version): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const x = a.segments[i] ?? 0;
    const y = b.segments[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return comparePrerelease(a.prerelease, b.prerelease);
}

type Operator = '=' | '!=' | '>' | '<' | '>=' | '<=' | '~>';

interface Constraint {
  readonly op: Operator;
  readonly version: Version;
}

/** A parsed constraint list; every member must hold. */
export interface VersionConstraints {
  readonly text: string;
  readonly constraints: readonly Constraint[];
}

const CONSTRAINT_RE = /^\s*(=|!=|>=|<=|>|<|~>)?\s*(\S+)\s*$/;

/** Parses `>= 1.2, < 2`; undefined when any member is malformed. */
export function parseConstraints(text: string): VersionConstraints | undefined {
  const constraints: Constraint[] = [];
  for (const part of text.split(',')) {
    const m = CONSTRAINT_RE.exec(part);
    if (!m) return undefined;
    const version = parseVersion(m[2]!);
    if (!version) return undefined;
    constraints.push({ op: (m[1] ?? '=') as Operator, version });
  }
  return { text, constraints };
}

/** Whether any member names a prerelease (`>= 1.2.0-beta`). */
export function hasPrerelease(c: VersionConstraints): boolean {
  return c.constraints.some((x) => x.version.prerelease !== '');
}

function pessimistic(v: Version, c: Version): boolean {
  if ((c.prerelease !== '') !== (v.prerelease !== '')) return false;
  if (compareVersions(v, c) < 0) return false;
  for (let i = 0; i < c.specified - 1; i++) if (v.segments[i] !== c.segments[i]) return false;
  return (c.segments[c.specified - 1] ?? 0) <= (v.segments[c.specified - 1] ?? 0);
}

function prereleaseOk(v: Version, c: Version): boolean {
  if (v.prerelease !== '' && c.prerelease !== '') return v.segments.join('.') === c.segments.join('.');
  return !(v.prerelease !== '' && c.prerelease === '');
}

function holds(v: Version, { op, version: c }: Constraint): boolean {
  if (op === '~>') return pessimistic(v, c);
  if (!prereleaseOk(v, c)) return false;
  const cmp = compareVersions(v, c);
  switch (op) {
    case '=':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '>':
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0;
  }
}

/** Whether `version` satisfies every member of `constraints`. */
export function satisfies(version: string, constraints: VersionConstraints): boolean {
  const v = parseVersion(version);
  return v !== undefined && constraints.constraints.every((c) => holds(v, c));
}
