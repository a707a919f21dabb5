/**
 * Packer's `templatefile(path, vars)` (hcl2template/function/templatefile.go): reads a
 * file relative to the template directory (with `file`'s rules), parses it as a bare HCL
 * template and evaluates it with `vars` as its only variables and every function of the
 * table except `templatefile` itself.
 */
import type { Type } from '../../hcl/cty/type.js';
import { dynamicType, stringType } from '../../hcl/cty/type.js';
import type { Value } from '../../hcl/cty/value.js';
import { dynamicVal } from '../../hcl/cty/value.js';
import { diagnosticsErrorText, hasErrors } from '../../hcl/diagnostic.js';
import { EvalContext } from '../../hcl/eval-context.js';
import type { Expression } from '../../hcl/expression.js';
import { readFileText } from '../../hcl/functions/filesystem.js';
import type { CtyFunction, FunctionError } from '../../hcl/functions/function.js';
import { ArgError, CallError, defineFunction } from '../../hcl/functions/function.js';
import { formatRange } from '../../hcl/pos.js';
import { toExpression } from '../../hcl/syntax/eval.js';
import { isValidIdentifier, parseTemplate } from '../../hcl/syntax/parse.js';
import { rootName } from '../../hcl/traversal.js';

const PARAMS = [
  { name: 'path', type: stringType },
  { name: 'vars', type: dynamicType },
] as const;

/** Stands in for `templatefile` inside a template: any call fails, as in Packer. */
const recursionStub = defineFunction({
  params: PARAMS,
  type: () => new CallError('cannot recursively call templatefile from inside templatefile call'),
  impl: () => dynamicVal,
});

/**
 * `templatefile` reading from `baseDir`. `functions` returns the table the template may
 * call (read at call time, so the table can contain this function).
 */
export function makeTemplateFileFunc(baseDir: string, functions: () => ReadonlyMap<string, CtyFunction>): CtyFunction {
  const load = (p: string): Expression | CallError => {
    const text = readFileText({ baseDir }, p);
    if (typeof text !== 'string') return text;
    const parsed = parseTemplate(text, p);
    if (hasErrors(parsed.diagnostics)) return new CallError(diagnosticsErrorText(parsed.diagnostics));
    return toExpression(parsed.value);
  };
  const render = (args: readonly Value[]): Value | FunctionError => {
    const expr = load(args[0]!.asString());
    if (expr instanceof CallError) return expr;
    const vars = args[1]!;
    if (vars.type.kind !== 'map' && vars.type.kind !== 'object') return new ArgError(1, 'invalid vars value: must be a map');
    const variables = vars.isNull() ? new Map<string, Value>() : new Map(vars.asMap());
    for (const name of variables.keys()) {
      if (!isValidIdentifier(name)) {
        return new ArgError(1, `invalid template variable name ${JSON.stringify(name)}: must start with a letter, followed by zero or more letters, digits, and underscores`);
      }
    }
    for (const traversal of expr.variables()) {
      const root = rootName(traversal);
      if (!variables.has(root)) return new ArgError(1, `vars map does not contain key ${JSON.stringify(root)}, referenced at ${formatRange(traversal[0]!.srcRange)}`);
    }
    const fns = new Map(functions());
    fns.set('templatefile', recursionStub);
    const result = expr.value(new EvalContext({ variables, functions: fns }));
    return hasErrors(result.diagnostics) ? new CallError(diagnosticsErrorText(result.diagnostics)) : result.value;
  };
  return defineFunction({
    description: 'Renders a file as an HCL template with the given variables.',
    params: PARAMS,
    type: (args): Type | FunctionError => {
      if (!args[0]!.isKnown() || !args[1]!.isKnown()) return dynamicType;
      const v = render(args);
      return v instanceof ArgError || v instanceof CallError ? v : v.type;
    },
    impl: (args) => render(args),
  });
}
