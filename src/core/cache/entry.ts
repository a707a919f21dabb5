/**
 * A step cache entry: the proof that the machine after a step was saved. It is the
 * JSON file `entries/<ab>/<key>.json`, published last (see `store.ts`); anything that
 * does not parse into this shape, or names another key, is corrupt and treated as a
 * miss. It holds no secret: sensitive inputs appear only as HMACs (fingerprint module).
 */
import type { SnapshotRef } from '../../sdk/component.js';

/** One input of a step as the fingerprint recorded it (`inline[0]`, `files/setup.sh`). */
export interface InputRecord {
  readonly path: string;
  /** A printable value or digest (`sha256:…`, `hmac:…`); never a secret in clear. */
  readonly value: string;
  /** The value is an HMAC of a sensitive value. */
  readonly sensitive?: true;
}

export interface CacheEntry {
  readonly v: 1;
  /** 64 hex. */
  readonly key: string;
  /** The key of the step (or base) before it. */
  readonly parent: string;
  /** The build that recorded it (`docker.app`), for `kiln cache ls`. */
  readonly build: string;
  /** 1-based provisioner position. */
  readonly index: number;
  /** The provisioner type (`shell`). */
  readonly component: string;
  readonly inputs: readonly InputRecord[];
  readonly snapshot: SnapshotRef;
  /** ISO time of the recording. */
  readonly created: string;
  /**
   * On a build's first step only: the base it chains from — the builder's source
   * identity and the base's inputs — so `kiln cache explain` can key the base again
   * without the builder and say what changed in its config.
   */
  readonly base?: { readonly identity: string; readonly inputs: readonly InputRecord[] };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Parses an entry file's text; a string says why it is not a valid entry for `key`. */
export function parseEntry(text: string, key: string): CacheEntry | string {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (err) {
    return `not JSON (${(err as Error).message})`;
  }
  if (typeof j !== 'object' || j === null) return 'not an object';
  const e = j as Record<string, unknown>;
  if (e['v'] !== 1) return `unknown version ${JSON.stringify(e['v'])}`;
  if (e['key'] !== key) return `names key ${String(e['key']).slice(0, 12)}`;
  if (typeof e['parent'] !== 'string' || !HEX64.test(e['parent'])) return 'no parent key';
  if (typeof e['build'] !== 'string' || typeof e['component'] !== 'string' || typeof e['created'] !== 'string') return 'missing fields';
  if (typeof e['index'] !== 'number' || !Number.isInteger(e['index']) || e['index'] < 1) return 'bad index';
  const snap = e['snapshot'] as Record<string, unknown> | undefined;
  if (typeof snap !== 'object' || snap === null || typeof snap['builderType'] !== 'string' || typeof snap['id'] !== 'string' || snap['id'] === '') return 'no snapshot';
  if (snap['size'] !== undefined && typeof snap['size'] !== 'number') return 'bad snapshot size';
  const inputs = e['inputs'];
  if (!Array.isArray(inputs) || !inputs.every((r) => typeof r === 'object' && r !== null && typeof (r as InputRecord).path === 'string' && typeof (r as InputRecord).value === 'string')) return 'bad inputs';
  return j as CacheEntry;
}

/** Whether `key` is a cache key (64 lowercase hex). */
export function isKey(key: string): boolean {
  return HEX64.test(key);
}
