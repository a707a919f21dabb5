/**
 * Packer's own collection functions (hcl2template/function): alltrue, anytrue, index,
 * length and sum. `index` and `length` replace cty's functions of the same name, which
 * behave differently (cty's `index` is the `coll[key]` operator; Packer's searches).
 */
import { PathError } from '../../hcl/cty/conform.js';
import { convertValue } from '../../hcl/cty/convert/convert.js';
import { equals } from '../../hcl/cty/equals.js';
import type { Num } from '../../hcl/cty/number.js';
import { NumberNaNError, addNum } from '../../hcl/cty/number.js';
import { canIterateElements, length } from '../../hcl/cty/operations.js';
import { boolType, dynamicType, friendlyName, listOf, numberType } from '../../hcl/cty/type.js';
import { falseVal, numberIntVal, numberVal, trueVal, unknownVal } from '../../hcl/cty/value.js';
import { ArgError, CallError, defineFunction, staticReturnType } from '../../hcl/functions/function.js';
import { graphemes } from '../../hcl/functions/text.js';

/** `alltrue(list)`: true when every element is true (an unknown element makes it unknown, a null one false). */
export const allTrueFunc = defineFunction({
  description: 'Returns true if all elements in a given collection are true or "true".',
  params: [{ name: 'list', type: listOf(boolType) }],
  type: staticReturnType(boolType),
  impl: (args) => {
    for (const v of args[0]!.asArray()) {
      if (!v.isKnown()) return unknownVal(boolType);
      if (v.isNull() || !v.asBool()) return falseVal;
    }
    return trueVal;
  },
});

/** `anytrue(list)`: true when some element is true; unknown when none is but some are unknown. */
export const anyTrueFunc = defineFunction({
  description: 'Returns true if any element in a given collection is true or "true".',
  params: [{ name: 'list', type: listOf(boolType) }],
  type: staticReturnType(boolType),
  impl: (args) => {
    let unknown = false;
    for (const v of args[0]!.asArray()) {
      if (!v.isKnown()) unknown = true;
      else if (!v.isNull() && v.asBool()) return trueVal;
    }
    return unknown ? unknownVal(boolType) : falseVal;
  },
});

/** `index(list, value)`: the position of the first element equal to `value`. */
export const indexFunc = defineFunction({
  description: 'Finds the element index for a given value in a list.',
  params: [
    { name: 'list', type: dynamicType },
    { name: 'value', type: dynamicType },
  ],
  type: staticReturnType(numberType),
  impl: (args) => {
    const [list, value] = [args[0]!, args[1]!];
    if (list.type.kind !== 'list' && list.type.kind !== 'tuple') return new CallError('argument must be a list or tuple');
    const els = list.asArray();
    if (els.length === 0) return new CallError('cannot search an empty list');
    for (let i = 0; i < els.length; i++) {
      const eq = equals(els[i]!, value);
      if (!eq.isKnown()) return unknownVal(numberType);
      if (eq.asBool()) return numberIntVal(i);
    }
    return new CallError('item not found');
  },
});

/** `length(value)`: elements of a collection or structure, or grapheme clusters of a string. */
export const lengthFunc = defineFunction({
  description: 'Returns the length of the given string, collection, or structural value.',
  params: [{ name: 'value', type: dynamicType, allowDynamicType: true, allowUnknown: true }],
  type: (args) => {
    const k = args[0]!.type.kind;
    if (k === 'number' || k === 'bool') return new CallError('argument must be a string, a collection type, or a structural type');
    return numberType;
  },
  impl: (args) => {
    const v = args[0]!;
    const t = v.type;
    switch (t.kind) {
      case 'dynamic':
        return unknownVal(numberType);
      case 'tuple':
        return numberIntVal(t.elements.length);
      case 'object':
        return numberIntVal(t.attributes.size);
      case 'string':
        return v.isKnown() ? numberIntVal(graphemes(v.asString()).length) : unknownVal(numberType);
      case 'list':
      case 'set':
      case 'map':
        return length(v);
      default:
        return new CallError('impossible value type for length(...)');
    }
  },
});

const NOT_NUMBERS = 'argument must be list, set, or tuple of number values';

/** `sum(list)`: the sum of a non-empty list, set or tuple of numbers. */
export const sumFunc = defineFunction({
  description: 'Returns the total sum of the elements of the list.',
  params: [{ name: 'list', type: dynamicType }],
  type: staticReturnType(numberType),
  impl: (args) => {
    const list = args[0]!;
    if (!canIterateElements(list)) return new ArgError(0, 'cannot sum noniterable');
    const t = list.type;
    const n = t.kind === 'map' || t.kind === 'object' ? list.asMap().size : list.asArray().length;
    if (n === 0) return new ArgError(0, 'cannot sum an empty list');
    if (t.kind !== 'list' && t.kind !== 'set' && t.kind !== 'tuple') {
      return new ArgError(0, `argument must be list, set, or tuple. Received ${friendlyName(t)}`);
    }
    if (!list.isWhollyKnown()) return unknownVal(numberType);
    let total: Num | undefined;
    for (const v of list.asArray()) {
      if (v.isNull()) return new ArgError(0, NOT_NUMBERS);
      const c = convertValue(v, numberType);
      if (c instanceof PathError) return new ArgError(0, NOT_NUMBERS);
      try {
        total = total === undefined ? c.asNumber() : addNum(total, c.asNumber());
      } catch (e) {
        if (e instanceof NumberNaNError) return new CallError("can't compute sum of opposing infinities");
        throw e;
      }
    }
    return numberVal(total!);
  },
});
