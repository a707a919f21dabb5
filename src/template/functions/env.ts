/**
 * Packer's `env(name)`: the value of an environment variable, `""` when it is unset.
 * Packer offers it only while evaluating `variable` defaults.
 */
import { stringType } from '../../hcl/cty/type.js';
import { stringVal } from '../../hcl/cty/value.js';
import type { CtyFunction } from '../../hcl/functions/function.js';
import { defineFunction, staticReturnType } from '../../hcl/functions/function.js';

/**
 * `env` reading `environment` (the process environment by default) as it is when the
 * function is made: a copy in a Map, since a template may call it thousands of times
 * and each read of `process.env` asks the C library (a name such as `toString` is
 * then unset, not an object property).
 */
export function makeEnvFunc(environment: Readonly<Record<string, string | undefined>> = process.env): CtyFunction {
  const vars = new Map<string, string>();
  for (const [k, v] of Object.entries(environment)) if (v !== undefined) vars.set(k, v);
  return defineFunction({
    description: 'Returns the value of the named environment variable, or an empty string when it is not set.',
    params: [{ name: 'key', type: stringType }],
    type: staticReturnType(stringType),
    impl: (args) => stringVal(vars.get(args[0]!.asString()) ?? ''),
  });
}

/**
 * The functions of a `variable` block's `default` expression: only `env` (Packer gives
 * that context nothing else). Apart from the rest of the table, so that reading
 * variables (all `validate -syntax-only` evaluates) loads no other function.
 */
export function variableDefaultFunctions(opts: { readonly env?: Readonly<Record<string, string | undefined>> } = {}): Map<string, CtyFunction> {
  return new Map([['env', makeEnvFunc(opts.env)]]);
}
