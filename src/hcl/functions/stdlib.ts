/**
 * The functions implemented so far, keyed by the implementation id the conformance
 * vectors use (`zclconf/go-cty:stdlib.UpperFunc`). HCL scopes map user-facing names
 * (`upper`) onto these.
 */
import type { CtyFunction } from './function.js';
import { maxFunc, minFunc } from './number.js';
import * as ops from './operators.js';
import { concatFunc } from './sequence.js';
import { upperFunc } from './string.js';

export const CTY_STDLIB: ReadonlyMap<string, CtyFunction> = new Map([
  ['zclconf/go-cty:stdlib.UpperFunc', upperFunc],
  ['zclconf/go-cty:stdlib.ConcatFunc', concatFunc],
  ['zclconf/go-cty:stdlib.MinFunc', minFunc],
  ['zclconf/go-cty:stdlib.MaxFunc', maxFunc],
  ['zclconf/go-cty:stdlib.AddFunc', ops.addFunc],
  ['zclconf/go-cty:stdlib.SubtractFunc', ops.subtractFunc],
  ['zclconf/go-cty:stdlib.MultiplyFunc', ops.multiplyFunc],
  ['zclconf/go-cty:stdlib.DivideFunc', ops.divideFunc],
  ['zclconf/go-cty:stdlib.ModuloFunc', ops.moduloFunc],
  ['zclconf/go-cty:stdlib.NegateFunc', ops.negateFunc],
  ['zclconf/go-cty:stdlib.AbsoluteFunc', ops.absoluteFunc],
  ['zclconf/go-cty:stdlib.GreaterThanFunc', ops.greaterThanFunc],
  ['zclconf/go-cty:stdlib.GreaterThanOrEqualToFunc', ops.greaterThanOrEqualToFunc],
  ['zclconf/go-cty:stdlib.LessThanFunc', ops.lessThanFunc],
  ['zclconf/go-cty:stdlib.LessThanOrEqualToFunc', ops.lessThanOrEqualToFunc],
  ['zclconf/go-cty:stdlib.EqualFunc', ops.equalFunc],
  ['zclconf/go-cty:stdlib.NotEqualFunc', ops.notEqualFunc],
  ['zclconf/go-cty:stdlib.AndFunc', ops.andFunc],
  ['zclconf/go-cty:stdlib.OrFunc', ops.orFunc],
  ['zclconf/go-cty:stdlib.NotFunc', ops.notFunc],
]);
