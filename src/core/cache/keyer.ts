/**
 * What the cache engine needs from the fingerprint module: the base key of a build
 * from its source's identity, and each provisioner's key chained from its parent.
 * `fingerprintKeyer` (keyer-fingerprint.ts) is the real one; tests may key otherwise.
 */
import type { InputRecord } from './entry.js';

/** One link of a build's chain of keys. */
export interface KeyedStep {
  /** 64 hex. */
  readonly key: string;
  /** The component type (`shell`; the builder type for the base). */
  readonly component: string;
  readonly inputs: readonly InputRecord[];
  /** Expressions that change the key on every run (`timestamp()` at build.pkr.hcl:12). */
  readonly volatile: readonly string[];
  /** Why caching stops here (`shell-local runs on this machine…`); undefined when it can go on. */
  readonly barrier?: string;
}

export interface StepKeyer {
  /** The base: the builder's config and its source's content identity. */
  base(identity: string): Promise<KeyedStep>;
  /** Provisioner `index` (0-based), chained from `parent`. */
  step(index: number, parent: string): Promise<KeyedStep>;
}
