/**
 * Values for declared variables (collectInputVariableValues) and their checks
 * (ValidateValues). Precedence, lowest first: default, `PKR_VAR_*`, auto var files,
 * `-var-file` files in order, `-var` flags in order. Every value is a literal: var
 * files and flags are evaluated with no variables and no functions.
 */
import * as cty from '../../hcl/cty/index.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../../hcl/diagnostic.js';
import { EvalContext } from '../../hcl/eval-context.js';
import type { Expression } from '../../hcl/expression.js';
import { staticExpr } from '../../hcl/expression.js';
import { formatRange, INITIAL_POS } from '../../hcl/pos.js';
import { parseExpression } from '../../hcl/syntax/parse.js';
import { toExpression } from '../../hcl/syntax/eval.js';
import type { CtyFunction } from '../../hcl/functions/function.js';
import type { ParsedFile } from './files.js';
import type { InputVariable, ValueSource } from './types.js';
import { undefinedVar } from './unplaced-diagnostics.js';

export const VAR_ENV_PREFIX = 'PKR_VAR_';

/**
 * The expression for a `-var`/env text: a string literal when the variable is a
 * string, number or untyped; otherwise the text parsed as an HCL expression.
 */
function expressionFor(filename: string, text: string, type: cty.Type): { expr: Expression; diagnostics: Diagnostic[] } {
  if (type.kind === 'string' || type.kind === 'number' || type.kind === 'dynamic') {
    const r = { filename, start: INITIAL_POS, end: INITIAL_POS };
    return { expr: staticExpr(cty.stringVal(text), r), diagnostics: [] };
  }
  const parsed = parseExpression(text, filename);
  return { expr: toExpression(parsed.value), diagnostics: parsed.diagnostics };
}

function assign(v: InputVariable, value: cty.Value, from: ValueSource, expr: Expression, invalid: (message: string) => Diagnostic): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let val = value;
  const converted = cty.convertValue(v.typeDefaults ? v.typeDefaults.apply(val) : val, v.type);
  if (converted instanceof cty.PathError) {
    diagnostics.push(invalid(converted.message));
    val = cty.dynamicVal;
  } else val = converted;
  v.values.push({ from, value: val, range: expr.range });
  return diagnostics;
}

function fromText(v: InputVariable, text: string, from: 'env' | 'cmd', invalid: (message: string, expr: Expression) => Diagnostic): Diagnostic[] {
  const filename = from === 'env' ? `<value for var.${v.name} from env>` : `<value for var.${v.name} from arguments>`;
  const { expr, diagnostics } = expressionFor(filename, text, v.type);
  if (hasErrors(diagnostics)) return diagnostics;
  const r = expr.value(undefined);
  diagnostics.push(...r.diagnostics);
  diagnostics.push(...assign(v, r.value, from, expr, (m) => invalid(m, expr)));
  return diagnostics;
}

export interface ValueInputs {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Parsed var files: auto ones first, then `-var-file`s, in order. */
  readonly varFiles: readonly ParsedFile[];
  /** `-var name=value` flags, in order. */
  readonly vars: readonly (readonly [string, string])[];
  /** Warn about var-file keys that no variable declares. */
  readonly warnOnUndeclaredVar: boolean;
}

/** Appends the values of every source to the declared variables. */
export function collectVariableValues(variables: ReadonlyMap<string, InputVariable>, inputs: ValueInputs): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [key, text] of Object.entries(inputs.env)) {
    if (!key.startsWith(VAR_ENV_PREFIX) || text === undefined) continue;
    const v = variables.get(key.slice(VAR_ENV_PREFIX.length));
    if (!v) continue;
    diagnostics.push(
      ...fromText(v, text, 'env', (m, expr) =>
        errorDiag('Invalid value for variable', `The value for ${v.name} is not compatible with the variable's type constraint: ${m}.`, expr.range),
      ),
    );
  }
  for (const file of inputs.varFiles) {
    const declared = file.body.partialContent({ blocks: [{ type: 'variable', labelNames: ['name'] }] }).content.blocks;
    for (const block of declared) {
      const name = block.labels[0] ?? '';
      diagnostics.push(
        errorDiag(
          'Variable declaration in a .pkrvar file',
          `A .pkrvar file is used to assign values to variables that have already been declared in .pkr files, not to declare new variables. To declare variable "${name}", place this block in one of your .pkr files, such as variables.pkr.hcl\n\nTo set a value for this variable in ${block.typeRange.filename}, use the definition syntax instead:\n    ${name} = <value>`,
          block.typeRange,
        ),
      );
    }
    if (hasErrors(diagnostics)) return diagnostics;
    const { attributes, diagnostics: attrDiags } = file.body.justAttributes();
    diagnostics.push(...attrDiags);
    for (const [name, attr] of attributes) {
      const v = variables.get(name);
      if (!v) {
        if (inputs.warnOnUndeclaredVar) diagnostics.push(undeclaredWarning(name, attr.range));
        continue;
      }
      const r = attr.expr.value(undefined);
      diagnostics.push(...r.diagnostics);
      diagnostics.push(
        ...assign(v, r.value, 'varfile', attr.expr, (m) =>
          errorDiag('Invalid value for variable', `The value for ${name} is not compatible with the variable's type constraint: ${m}.`, attr.expr.range),
        ),
      );
    }
  }
  for (const [name, text] of inputs.vars) {
    const v = variables.get(name);
    if (!v) {
      diagnostics.push(undefinedVar(name, [...variables.keys()]));
      continue;
    }
    diagnostics.push(
      ...fromText(v, text, 'cmd', (m, expr) =>
        errorDiag(
          'Invalid argument value for -var variable',
          `The received arg value for ${name} is not compatible with the variable's type constraint: ${m}.`,
          expr.range,
        ),
      ),
    );
  }
  return diagnostics;
}

function undeclaredWarning(name: string, range: Diagnostic['subject']): Diagnostic {
  return {
    severity: 'warning',
    summary: 'Undefined variable',
    detail:
      `The variable "${name}" was set but was not declared as an input variable.\nTo declare variable "${name}" place this block in one of your .pkr.hcl files, such as variables.pkr.hcl\n\n` +
      `variable "${name}" {\n  type    = string\n  default = null\n}`,
    ...(range ? { subject: range } : {}),
  };
}

/** The value in use: the last assignment, or unknown when there is none. */
export function currentValue(v: InputVariable): cty.Value {
  const last = v.values[v.values.length - 1];
  const value = last ? last.value : cty.unknownVal(v.type);
  return v.sensitive ? cty.mark(value, 'sensitive') : value;
}

/**
 * "Unset variable" for every variable without a value, and the validation rules of
 * the others, evaluated against the value in use.
 */
export function validateValues(variables: ReadonlyMap<string, InputVariable>, functions: ReadonlyMap<string, CtyFunction>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const v of variables.values()) {
    const last = v.values[v.values.length - 1];
    if (!last) {
      diagnostics.push({
        severity: 'error',
        summary: `Unset variable "${v.name}"`,
        detail: 'A used variable must be set or have a default value; see https://packer.io/docs/templates/hcl_templates/syntax for details.',
        subject: v.range,
        context: v.range,
      });
      continue;
    }
    const ctx = new EvalContext({ variables: { var: cty.objectVal({ [v.name]: currentValue(v) }) }, functions });
    for (const rule of v.validations) {
      const r = rule.condition.value(ctx);
      diagnostics.push(...r.diagnostics);
      const [result] = cty.unmarkDeep(r.value);
      if (!result.isKnown()) continue;
      const invalid = (detail: string): Diagnostic => ({
        severity: 'error',
        summary: 'Invalid variable validation result',
        detail,
        subject: rule.condition.range,
        expression: rule.condition,
        evalContext: ctx,
      });
      if (result.isNull()) {
        diagnostics.push(invalid('Validation condition expression must return either true or false, not null.'));
        continue;
      }
      const b = cty.convertValue(result, cty.boolType);
      if (b instanceof cty.PathError) {
        diagnostics.push(invalid(`Invalid validation condition result value: ${b.message}.`));
        continue;
      }
      if (b.isKnown() && !b.asBool()) {
        diagnostics.push(
          errorDiag(`Invalid value for ${last.from} variable`, `${rule.errorMessage}\n\nThis was checked by the validation rule at ${formatRange(rule.range)}.`, last.range ?? rule.range),
        );
      }
    }
  }
  return diagnostics;
}
