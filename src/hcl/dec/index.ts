/** Schema-driven decoding of bodies into cty values (HCL's hcldec). */
export type * from './spec.js';
export { decode, partialDecode, sourceRange } from './decode.js';
export type { DecodeResult } from './decode.js';
export { childBlockTypes, impliedSchema, impliedType } from './schema.js';
export { variables } from './variables.js';
