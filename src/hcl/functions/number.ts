/** cty stdlib number functions. */
import { lessThan } from '../cty/operations.js';
import { numberType } from '../cty/type.js';
import type { Value } from '../cty/value.js';
import { positiveInfinity } from '../cty/value.js';
import { CallError, defineFunction, staticReturnType } from './function.js';

/** `min(numbers...)`: the smallest; an error without arguments. */
export const minFunc = defineFunction({
  description: 'Returns the numerically smallest of all of the given numbers.',
  params: [],
  varParam: { name: 'numbers', type: numberType, allowDynamicType: true },
  type: staticReturnType(numberType),
  impl: (args) => {
    if (args.length === 0) return new CallError('must pass at least one number');
    let min: Value = positiveInfinity;
    for (const n of args) if (lessThan(n, min).asBool()) min = n;
    return min;
  },
});

/** `max(numbers...)`: the greatest; an error without arguments. */
export const maxFunc = defineFunction({
  description: 'Returns the numerically greatest of all of the given numbers.',
  params: [],
  varParam: { name: 'numbers', type: numberType, allowDynamicType: true },
  type: staticReturnType(numberType),
  impl: (args) => {
    if (args.length === 0) return new CallError('must pass at least one number');
    let max: Value | undefined;
    for (const n of args) if (max === undefined || lessThan(max, n).asBool()) max = n;
    return max!;
  },
});
