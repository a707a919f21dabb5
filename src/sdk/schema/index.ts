/** The schema DSL: declare a component's options once; decode, type and document them from it. */
export * from './field.js';
export { anyToPlain, typedConfig } from './decode.js';
export type { TypedConfig, ValueRanges } from './decode.js';
export { decodeBlockBody, decodeJsonValue } from './decode-source.js';
export type { SourceDecode } from './decode-source.js';
export { decodeComponentConfig } from './decode-config.js';
export type { ConfigSource, DecodedConfig } from './decode-config.js';
export { jsonToCty } from './json-input.js';
export { ctyTypeOf } from './cty-type.js';
export { RuntimeSpec, isRuntimeSpec, schemaSpec, specOf } from './spec.js';
export type { ComponentSchema, ConfigOf } from './spec.js';
export { cacheMarks } from './cache-marks.js';
export type { CacheMarks } from './cache-marks.js';
