/**
 * cty/convert's public entry points: `convertValue` (Convert), `getConversion`
 * (GetConversion / GetConversionUnsafe). Conversion failures are returned as
 * {@link PathError} values carrying cty's message, never thrown.
 */
import { PathError } from '../conform.js';
import type { Type } from '../type.js';
import { typeEquals, withoutOptionalAttributesDeep } from '../type.js';
import type { Value } from '../value.js';
import { getConversion } from './conversion.js';
import { mismatchMessage } from './mismatch.js';

/**
 * Converts `v` to type `want` (which may contain the dynamic pseudo-type and optional
 * object attributes), allowing unsafe conversions such as string→number, as
 * cty's `convert.Convert`. Returns the converted value or a PathError whose message is
 * cty's (`a number is required`, `attribute "x" is required`, `string required`, ...).
 * Marks on `v` are kept; unknown and null values convert to unknown/null of the target.
 */
export function convertValue(v: Value, want: Type): Value | PathError {
  if (typeEquals(v.type, withoutOptionalAttributesDeep(want))) return v;
  const conv = getConversion(v.type, want, true);
  if (conv === undefined) return new PathError(mismatchMessage(v.type, want));
  return conv(v, []);
}

/** Whether a (safe, or with `unsafe` any) conversion from `from` to `to` exists. */
export function canConvert(from: Type, to: Type, unsafe = true): boolean {
  return getConversion(from, to, unsafe) !== undefined;
}

export { getConversion };
export type { Conversion } from './conversion.js';
