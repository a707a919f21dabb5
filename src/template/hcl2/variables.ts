/**
 * `variable` and `variables` blocks (hcl2template/types.variables.go): declarations
 * with type, default, description, sensitive and validation rules. A default is
 * evaluated with nothing but `env()`.
 */
import type { Block, Body } from '../../hcl/body.js';
import * as cty from '../../hcl/cty/index.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../../hcl/diagnostic.js';
import { EvalContext } from '../../hcl/eval-context.js';
import type { Expression } from '../../hcl/expression.js';
import type { Range } from '../../hcl/pos.js';
import { isValidIdentifier } from '../../hcl/syntax/parse.js';
import { typeConstraintWithDefaults } from '../../hcl/typeexpr/index.js';
import { variableDefaultFunctions } from '../functions/env.js';
import { decodeBool, decodeString } from './decode-value.js';
import type { InputVariable, VariableAssignment, VariableValidation } from './types.js';

export const BAD_IDENTIFIER_DETAIL = 'A name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes.';

const VARIABLE_SCHEMA = {
  attributes: [{ name: 'description' }, { name: 'default' }, { name: 'type' }, { name: 'sensitive' }],
  blocks: [{ type: 'validation' }],
};

const NO_VALIDATIONS: readonly VariableValidation[] = [];

const VALIDATION_SCHEMA = { attributes: [{ name: 'condition', required: true }, { name: 'error_message', required: true }] };

/**
 * A variable's default; its range is read from the expression when a diagnostic asks
 * (reading it for every variable cost a range object and a megamorphic getter each).
 */
class DefaultAssignment implements VariableAssignment {
  declare readonly from: 'default';
  declare readonly value: cty.Value;
  private declare readonly expr: Expression;

  constructor(value: cty.Value, expr: Expression) {
    this.from = 'default';
    this.value = value;
    this.expr = expr;
  }

  get range(): Range {
    return this.expr.range;
  }
}

/** The context of `default` expressions: only `env`, reading `env` as it is now. */
export function defaultsContext(env: Readonly<Record<string, string | undefined>>): EvalContext {
  return new EvalContext({ functions: variableDefaultFunctions({ env }) });
}

function duplicate(name: string, subject: Diagnostic['subject']): Diagnostic {
  return { severity: 'error', summary: 'Duplicate variable', detail: `Duplicate ${name} variable definition found.`, ...(subject ? { subject } : {}) };
}

/** Decodes a `variable "name" { ... }` block into `into`. */
export function decodeVariableBlock(block: Block, into: Map<string, InputVariable>, ctx: EvalContext): Diagnostic[] {
  const name = block.labels[0] ?? '';
  if (into.has(name)) return [duplicate(name, block.defRange)];
  const { content, diagnostics } = block.body.content(VARIABLE_SCHEMA);
  if (!isValidIdentifier(name)) diagnostics.push(errorDiag('Invalid variable name', BAD_IDENTIFIER_DETAIL, block.labelRanges[0]));

  let description = '';
  const desc = content.attributes.get('description');
  if (desc) {
    const r = decodeString(desc.expr, undefined);
    diagnostics.push(...r.diagnostics);
    description = r.value ?? '';
  }
  let type: cty.Type = cty.dynamicType;
  let typeDefaults;
  const typeAttr = content.attributes.get('type');
  if (typeAttr) {
    const r = typeConstraintWithDefaults(typeAttr.expr);
    diagnostics.push(...r.diagnostics);
    if (hasErrors(r.diagnostics)) return diagnostics;
    type = r.type;
    typeDefaults = r.defaults;
  }
  let sensitive = false;
  const sens = content.attributes.get('sensitive');
  if (sens) {
    const r = decodeBool(sens.expr, undefined);
    diagnostics.push(...r.diagnostics);
    sensitive = r.value ?? false;
  }
  // An array literal, not push on []: pushing gives each variable room for 17 values.
  let values: VariableAssignment[] = [];
  const def = content.attributes.get('default');
  if (def) {
    const r = def.expr.value(ctx);
    if (r.diagnostics.length > 0) {
      diagnostics.push(...r.diagnostics);
      if (hasErrors(r.diagnostics)) return diagnostics;
    }
    let value = r.value;
    if (typeAttr) {
      const converted = cty.convertValue(typeDefaults ? typeDefaults.apply(value) : value, type);
      if (converted instanceof cty.PathError) {
        diagnostics.push(
          errorDiag('Invalid default value for variable', `This default value is not compatible with the variable's type constraint: ${converted.message}.`, def.expr.range),
        );
        value = cty.dynamicVal;
      } else value = converted;
    }
    values = [new DefaultAssignment(value, def.expr)];
    const t = value.type;
    if (type.kind === 'dynamic' && !cty.typeEquals(t, cty.emptyObjectType) && !cty.typeEquals(t, cty.emptyTupleType)) type = t;
  }
  let validations: readonly VariableValidation[] = NO_VALIDATIONS;
  if (content.blocks.length > 0) {
    const found: VariableValidation[] = [];
    for (const b of content.blocks) {
      const r = decodeValidationBlock(name, b);
      diagnostics.push(...r.diagnostics);
      if (r.validation) found.push(r.validation);
    }
    validations = found;
  }
  const range = block.defRange;
  into.set(name, typeDefaults ? { name, type, typeDefaults, description, sensitive, values, validations, range } : { name, type, description, sensitive, values, validations, range });
  return diagnostics;
}

/** Decodes the attributes of a `variables { ... }` block: untyped variables with defaults. */
export function decodeVariablesBlock(body: Body, into: Map<string, InputVariable>, ctx: EvalContext): Diagnostic[] {
  const { attributes, diagnostics } = body.justAttributes();
  for (const [name, attr] of attributes) {
    if (into.has(name)) {
      diagnostics.push(duplicate(name, attr.nameRange));
      continue;
    }
    const r = attr.expr.value(ctx);
    diagnostics.push(...r.diagnostics);
    if (hasErrors(r.diagnostics)) continue;
    into.set(name, {
      name,
      type: r.value.type,
      description: '',
      sensitive: false,
      values: [new DefaultAssignment(r.value, attr.expr)],
      validations: NO_VALIDATIONS,
      range: attr.range,
    });
  }
  return diagnostics;
}

function decodeValidationBlock(varName: string, block: Block): { validation?: VariableValidation; diagnostics: Diagnostic[] } {
  const { content, diagnostics } = block.body.content(VALIDATION_SCHEMA);
  const cond = content.attributes.get('condition');
  const msg = content.attributes.get('error_message');
  if (cond) {
    let good = 0;
    for (const t of cond.expr.variables()) {
      const [root, attr] = t;
      if (root?.kind === 'root' && root.name === 'var' && attr?.kind === 'attr' && attr.name === varName) {
        good++;
        continue;
      }
      const first = t[0];
      const last = t[t.length - 1];
      diagnostics.push(
        errorDiag(
          'Invalid reference in variable validation',
          `The condition for variable "${varName}" can only refer to the variable itself, using var.${varName}.`,
          first && last ? { filename: first.srcRange.filename, start: first.srcRange.start, end: last.srcRange.end } : cond.expr.range,
        ),
      );
    }
    if (good < 1) {
      diagnostics.push(
        errorDiag('Invalid variable validation condition', `The condition for variable "${varName}" must refer to var.${varName} in order to test incoming values.`, cond.expr.range),
      );
    }
  }
  let errorMessage = '';
  if (msg) {
    const r = decodeString(msg.expr, undefined);
    diagnostics.push(...r.diagnostics);
    if (!hasErrors(r.diagnostics)) {
      errorMessage = r.value ?? '';
      if (errorMessage === '') {
        diagnostics.push(errorDiag('Invalid validation error message', 'An empty string is not a valid nor useful error message.', msg.expr.range));
      } else if (!looksLikeSentences(errorMessage)) {
        diagnostics.push(
          errorDiag(
            'Invalid validation error message',
            'Validation error message must be at least one full sentence starting with an uppercase letter ( if the alphabet permits it ) and ending with a period or question mark.',
            msg.expr.range,
          ),
        );
      }
    }
  }
  if (!cond) return { diagnostics };
  return { validation: { condition: cond.expr, errorMessage, range: block.defRange }, diagnostics };
}

/** Packer's nudge towards messages that read as sentences. */
function looksLikeSentences(text: string): boolean {
  const s = [...text.trim()];
  const first = s[0];
  const last = s[s.length - 1];
  if (first === undefined || last === undefined) return false;
  if (/\p{L}/u.test(first) && !/\p{Lu}/u.test(first)) return false;
  return last === '.' || last === '?' || last === '!';
}
