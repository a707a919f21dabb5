/**
 * What the cache engine needs from the fingerprint module: the base key of a build
 * from its source's identity, and each provisioner's key chained from its parent.
 * `fingerprintKeyer` (keyer-fingerprint.ts) is the real one; tests may key otherwise.
 */
import type { Fingerprint } from '../fingerprint/fingerprint.js';

/**
 * One link of a build's chain of keys: the parts of a `Fingerprint` the engine uses —
 * its key, component type, inputs (kept in the entry for `kiln cache explain`),
 * volatile expressions (warned about), barrier (where caching stops) and the side
 * file's time to live.
 */
export type KeyedStep = Pick<Fingerprint, 'key' | 'component' | 'inputs' | 'volatile' | 'barrier' | 'ttl'>;

export interface StepKeyer {
  /** The base: the builder's config and its source's content identity. */
  base(identity: string): Promise<KeyedStep>;
  /** Provisioner `index` (0-based), chained from `parent`. */
  step(index: number, parent: string): Promise<KeyedStep>;
}
