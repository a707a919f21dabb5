/**
 * cty for kiln: types, values, operations and conversion, after zclconf/go-cty.
 * Import this module as a namespace: `import * as cty from '../cty/index.js'`.
 */
export * from './type.js';
export * from './value.js';
export * from './number.js';
export * from './strings.js';
export * from './marks.js';
export * from './set.js';
export * from './equals.js';
export * from './operations.js';
export * from './conform.js';
export * from './json-type.js';
export { convertValue, canConvert, getConversion } from './convert/convert.js';
export type { Conversion } from './convert/convert.js';
export { mismatchMessage } from './convert/mismatch.js';
export { unify, unifyUnsafe } from './convert/unify.js';
export type { Unified, UnifyConversion } from './convert/unify.js';
export { dynamicReplace } from './convert/conversion.js';
