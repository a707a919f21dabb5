/**
 * What a step cache needs to know of a component's options, read from its schema: which
 * fields name local files or folders (their content goes into the fingerprint) and
 * which do not change the result (left out of it). Only the contract: the cache itself
 * reads these.
 */
import type { ObjectSchema } from './field.js';

export interface CacheMarks {
  /** Paths (`script`, `scripts`, `http_directory`, `block.field`) of fields marked `.localPath()`. */
  readonly localPaths: readonly string[];
  /** Paths of fields marked `.noEffect()`: timeouts, retries, pauses, connection settings. */
  readonly noEffect: readonly string[];
}

/** The cache marks of `schema`, nested blocks and object fields as `parent.child`. */
export function cacheMarks(schema: ObjectSchema): CacheMarks {
  const localPaths: string[] = [];
  const noEffect: string[] = [];
  const visit = (s: ObjectSchema, prefix: string): void => {
    for (const [key, field] of Object.entries(s)) {
      const path = `${prefix}${key}`;
      if (field.options.localPath) localPaths.push(path);
      if (field.options.noEffect) noEffect.push(path);
      const t = field.type;
      if (t.kind === 'block' || t.kind === 'object') visit(t.fields, `${path}.`);
    }
  };
  visit(schema, '');
  return { localPaths, noEffect };
}
