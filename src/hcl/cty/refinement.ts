/**
 * Refinements of unknown values — the part of cty's `Refine()` kiln tracks: the known
 * prefix of an unknown string. Kept beside the value rather than in it, so values stay
 * small; a refined unknown is a distinct Value instance. Operations that build new
 * values (marks, conversion) drop the refinement, which only loses precision: an
 * unrefined unknown is always a correct answer.
 */
import type { Value } from './value.js';
import { unknownVal } from './value.js';
import { stringType } from './type.js';

const prefixes = new WeakMap<Value, string>();

/** An unknown string whose value is known to start with `prefix`. */
export function unknownStringWithPrefix(prefix: string): Value {
  const v = unknownVal(stringType);
  // unknownVal may share one instance per type; a refined value needs its own.
  const refined = Object.create(Object.getPrototypeOf(v) as object, Object.getOwnPropertyDescriptors(v)) as Value;
  if (prefix !== '') prefixes.set(refined, prefix);
  return refined;
}

/** The known prefix of an unknown string, or '' when nothing is known. */
export function stringPrefixOf(v: Value): string {
  return prefixes.get(v) ?? '';
}
