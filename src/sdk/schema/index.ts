/** The schema DSL: declare a component's options once; decode, type and document them from it. */
export * from './field.js';
export { decodeConfig, anyToPlain } from './decode.js';
export type { ConfigNode, ConfigObject, DecodeResult, Dialect } from './decode.js';
export { jsonConfigObject, jsonToCty } from './json-input.js';
export { ctyTypeOf } from './cty-type.js';
