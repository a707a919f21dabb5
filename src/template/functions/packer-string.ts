/** Packer's own string predicates (hcl2template/function): startswith, endswith, strcontains. */
import { boolType, stringType } from '../../hcl/cty/type.js';
import { boolVal } from '../../hcl/cty/value.js';
import type { CtyFunction } from '../../hcl/functions/function.js';
import { defineFunction, staticReturnType } from '../../hcl/functions/function.js';

function predicate(description: string, second: string, test: (s: string, t: string) => boolean): CtyFunction {
  return defineFunction({
    description,
    params: [
      { name: 'str', type: stringType },
      { name: second, type: stringType },
    ],
    type: staticReturnType(boolType),
    impl: (args) => boolVal(test(args[0]!.asString(), args[1]!.asString())),
  });
}

export const startsWithFunc = predicate('Checks whether a string starts with the given prefix.', 'prefix', (s, p) => s.startsWith(p));
export const endsWithFunc = predicate('Checks whether a string ends with the given suffix.', 'suffix', (s, p) => s.endsWith(p));
export const strContainsFunc = predicate('Checks whether a string contains the given substring.', 'substr', (s, p) => s.includes(p));
