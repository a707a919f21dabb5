/**
 * cty stdlib's operator functions — what HCL's binary and unary operators call
 * (`a + b` is AddFunc, `a == b` is EqualFunc, ...), with cty's parameter flags and error
 * messages for the undefined cases of infinities.
 */
import { equals, notEquals } from '../cty/equals.js';
import {
  absolute,
  add,
  and,
  divide,
  greaterThan,
  greaterThanOrEqualTo,
  lessThan,
  lessThanOrEqualTo,
  modulo,
  multiply,
  negate,
  not,
  or,
  subtract,
} from '../cty/operations.js';
import { NumberNaNError } from '../cty/number.js';
import type { Type } from '../cty/type.js';
import { boolType, dynamicType, numberType } from '../cty/type.js';
import type { Value } from '../cty/value.js';
import type { CtyFunction, Parameter } from './function.js';
import { CallError, defineFunction, staticReturnType } from './function.js';

interface Flags {
  readonly allowUnknown?: boolean;
  readonly allowMarked?: boolean;
  readonly allowNull?: boolean;
}

function params(type: Type, names: readonly string[], flags: Flags): Parameter[] {
  return names.map((name) => ({ name, type, allowDynamicType: true, ...flags }));
}

function binary(type: Type, ret: Type, op: (a: Value, b: Value) => Value, flags: Flags, nanMessage?: string): CtyFunction {
  return defineFunction({
    params: params(type, ['a', 'b'], flags),
    type: staticReturnType(ret),
    impl: (args) => {
      try {
        return op(args[0]!, args[1]!);
      } catch (e) {
        if (e instanceof NumberNaNError && nanMessage !== undefined) return new CallError(nanMessage);
        throw e;
      }
    },
  });
}

function unary(type: Type, name: string, op: (a: Value) => Value): CtyFunction {
  return defineFunction({ params: params(type, [name], { allowMarked: true }), type: staticReturnType(type), impl: (args) => op(args[0]!) });
}

export const addFunc = binary(numberType, numberType, add, {}, "can't compute sum of opposing infinities");
export const subtractFunc = binary(numberType, numberType, subtract, {}, "can't subtract infinity from itself");
export const multiplyFunc = binary(numberType, numberType, multiply, {}, "can't multiply zero by infinity");
export const divideFunc = binary(numberType, numberType, divide, {}, "can't divide zero by zero or infinity by infinity");
export const moduloFunc = binary(numberType, numberType, modulo, {}, "can't use modulo with zero and infinity");
export const negateFunc = unary(numberType, 'num', negate);
export const absoluteFunc = unary(numberType, 'num', absolute);
const compareFlags: Flags = { allowUnknown: true, allowMarked: true };
export const greaterThanFunc = binary(numberType, boolType, greaterThan, compareFlags);
export const greaterThanOrEqualToFunc = binary(numberType, boolType, greaterThanOrEqualTo, compareFlags);
export const lessThanFunc = binary(numberType, boolType, lessThan, compareFlags);
export const lessThanOrEqualToFunc = binary(numberType, boolType, lessThanOrEqualTo, compareFlags);
const equalFlags: Flags = { allowUnknown: true, allowNull: true };
export const equalFunc = binary(dynamicType, boolType, equals, equalFlags);
export const notEqualFunc = binary(dynamicType, boolType, notEquals, equalFlags);
export const andFunc = binary(boolType, boolType, and, { allowMarked: true });
export const orFunc = binary(boolType, boolType, or, { allowMarked: true });
export const notFunc = unary(boolType, 'val', not);
