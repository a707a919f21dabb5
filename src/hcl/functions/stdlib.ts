/**
 * The functions implemented so far, keyed by the implementation id the conformance
 * vectors use (`zclconf/go-cty:stdlib.UpperFunc`). HCL scopes map user-facing names
 * (`upper`) onto these.
 */
import type { CtyFunction } from './function.js';
import { maxFunc, minFunc } from './number.js';
import { concatFunc } from './sequence.js';
import { upperFunc } from './string.js';

export const CTY_STDLIB: ReadonlyMap<string, CtyFunction> = new Map([
  ['zclconf/go-cty:stdlib.UpperFunc', upperFunc],
  ['zclconf/go-cty:stdlib.ConcatFunc', concatFunc],
  ['zclconf/go-cty:stdlib.MinFunc', minFunc],
  ['zclconf/go-cty:stdlib.MaxFunc', maxFunc],
]);
