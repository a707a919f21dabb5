/** Type conformance (cty's `Type.TestConformance`) and the path-carrying error cty uses. */
import type { Type } from './type.js';
import { friendlyName, typeEquals } from './type.js';
import type { Value } from './value.js';
import { numberIntVal, unknownVal } from './value.js';

/** One step of a path into a value: an attribute or an index (number or string key). */
export type PathStep = { readonly kind: 'attr'; readonly name: string } | { readonly kind: 'index'; readonly key: Value };

/**
 * An error about a part of a value (cty.PathError). `message` is the text cty's `Error()`
 * returns (the path is not part of it); `path` says where, for diagnostics.
 */
export class PathError {
  constructor(
    readonly message: string,
    readonly path: readonly PathStep[] = [],
  ) {}
  toString(): string {
    return this.message;
  }
}

/**
 * The reasons `given` does not conform to `want` (empty when it does). `want` may contain
 * the dynamic pseudo-type, which accepts anything at that position.
 */
export function testConformance(given: Type, want: Type): PathError[] {
  const errs: PathError[] = [];
  conform(given, want, [], errs);
  return errs;
}

function conform(given: Type, want: Type, path: PathStep[], errs: PathError[]): void {
  if (want.kind === 'dynamic' || typeEquals(given, want)) return;
  if (given.kind === 'object' && want.kind === 'object') {
    for (const k of given.attributes.keys()) {
      if (!want.attributes.has(k)) errs.push(new PathError(`unsupported attribute "${k}"`, [...path]));
    }
    for (const k of want.attributes.keys()) {
      if (!given.attributes.has(k)) errs.push(new PathError(`missing required attribute "${k}"`, [...path]));
    }
    for (const [k, wt] of want.attributes) {
      const gt = given.attributes.get(k);
      if (gt !== undefined) conform(gt, wt, [...path, { kind: 'attr', name: k }], errs);
    }
    return;
  }
  if (given.kind === 'tuple' && want.kind === 'tuple') {
    if (given.elements.length !== want.elements.length) {
      errs.push(new PathError(`${want.elements.length} elements are required, but got ${given.elements.length}`, [...path]));
      return;
    }
    want.elements.forEach((wt, i) => conform(given.elements[i]!, wt, [...path, { kind: 'index', key: numberIntVal(i) }], errs));
    return;
  }
  if ((given.kind === 'list' || given.kind === 'map' || given.kind === 'set') && given.kind === want.kind) {
    const keyType = given.kind === 'list' ? unknownVal({ kind: 'number' }) : given.kind === 'map' ? unknownVal({ kind: 'string' }) : unknownVal(given.element);
    conform(given.element, want.element, [...path, { kind: 'index', key: keyType }], errs);
    return;
  }
  errs.push(new PathError(`${friendlyName(want)} required, but received ${friendlyName(given)}`, [...path]));
}
