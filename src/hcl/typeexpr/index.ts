/** Type expressions and type constraints (HCL's ext/typeexpr). */
export { getType, typeConstraint, typeConstraintWithDefaults, typeOf } from './get-type.js';
export type { TypeResult } from './get-type.js';
export { Defaults } from './defaults.js';
export { typeString } from './type-string.js';
