/**
 * What the fingerprint module knows of components beyond their schemas: the cache-schema
 * version of each built-in (bumped when a component's behaviour changes in a way that
 * changes results, so old entries miss), and the barriers — components after which a
 * step cache cannot go on, with the reason it says once.
 */
import type { ComponentKind } from '../../sdk/component.js';

/**
 * Cache-schema versions of built-in components, by `kind:type`; 1 when not listed. Bump
 * a component's entry when what it does with the same config changes.
 */
const SCHEMA_VERSIONS: Readonly<Record<string, number>> = {};

/** The cache-schema version of a built-in component. */
export function cacheSchemaVersion(kind: ComponentKind, type: string): number {
  return SCHEMA_VERSIONS[`${kind}:${type}`] ?? 1;
}

/** Builders that can save their machine between provisioners (see `MachineSnapshots`). */
const SNAPSHOT_BUILDERS: ReadonlySet<string> = new Set(['docker', 'qemu']);

/**
 * Why caching must stop at this component, or undefined when it can be cached.
 * `external`: the component runs in a plugin process (its inputs are not visible).
 */
export function barrierOf(kind: ComponentKind, type: string, external: boolean): string | undefined {
  if (kind === 'builder') {
    if (external) return `the ${type} builder is a plugin: kiln cannot snapshot its machine`;
    if (!SNAPSHOT_BUILDERS.has(type)) return `the ${type} builder cannot snapshot its machine`;
    return undefined;
  }
  if (kind !== 'provisioner') return undefined;
  if (external) return `the ${type} provisioner is a plugin: kiln cannot see the files it reads`;
  if (type === 'shell-local') return 'shell-local runs on this machine: kiln cannot tell what it changes';
  if (type === 'breakpoint') return 'breakpoint waits for the user at this point of the build';
  return undefined;
}
