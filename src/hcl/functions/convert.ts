/**
 * HCL's `convert(value, type)` (ext/typeexpr ConvertFunc): the second argument is a type
 * constraint expression (`list(string)`, `object({a = number})`), read statically
 * rather than evaluated, so the function receives its arguments as expressions, like
 * `try` and `can`.
 */
import { PathError } from '../cty/conform.js';
import { convertValue } from '../cty/convert/convert.js';
import { unmarkDeep, withMarks } from '../cty/marks.js';
import { dynamicType } from '../cty/type.js';
import { typeConstraint } from '../typeexpr/get-type.js';
import { ArgError } from './function.js';
import { ExpressionClosureFunction } from './try-can.js';

export const convertFunc = new ExpressionClosureFunction(
  {
    description: 'Converts a value to the given type constraint.',
    params: [
      { name: 'value', type: dynamicType, allowNull: true, allowDynamicType: true },
      { name: 'type', type: dynamicType },
    ],
  },
  (args) => {
    const [valueArg, typeArg] = [args[0]!, args[1]!];
    const { value, diagnostics } = valueArg.expression.value(valueArg.ctx);
    const err = diagnostics.find((d) => d.severity === 'error');
    if (err !== undefined) return new ArgError(0, `${err.summary}: ${err.detail}`);
    const want = typeConstraint(typeArg.expression);
    const typeErr = want.diagnostics.find((d) => d.severity === 'error');
    if (typeErr !== undefined) return new ArgError(1, typeErr.detail ?? typeErr.summary);
    const [plain, marks] = unmarkDeep(value);
    const out = convertValue(plain, want.type);
    if (out instanceof PathError) return new ArgError(0, out.message);
    return marks.size > 0 ? withMarks(out, marks) : out;
  },
);

