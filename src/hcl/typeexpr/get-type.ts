/**
 * Type expressions (HCL's ext/typeexpr): reading `string`, `list(number)`,
 * `object({name = string, port = optional(number, 22)})`, `tuple([bool, any])` as cty
 * types, statically — the expression is never evaluated, except for the default value
 * of `optional(T, default)`, which is evaluated with no context.
 *
 * - `typeOf(expr)`: an exact type (`any` and `optional` are errors);
 * - `typeConstraint(expr)`: a constraint (`any` = the dynamic pseudo-type, optional
 *   attributes allowed, without defaults);
 * - `typeConstraintWithDefaults(expr)`: also the {@link Defaults} to apply to values.
 */
import type * as cty from '../cty/index.js';
import { PathError } from '../cty/conform.js';
import { convertValue } from '../cty/convert/convert.js';
import { dynamicType, listOf, mapOf, objectOf, setOf, tupleOf, boolType, numberType, stringType } from '../cty/type.js';
import type { Diagnostic } from '../diagnostic.js';
import type { Expression } from '../expression.js';
import { exprAsKeyword, exprCall, exprList, exprMap } from '../expression.js';
import type { Range } from '../pos.js';
import { rangeBetween } from '../pos.js';
import { Defaults } from './defaults.js';

const INVALID = 'Invalid type specification';

export interface TypeResult {
  readonly type: cty.Type;
  /** Defaults for optional attributes; undefined when there are none (or not asked for). */
  readonly defaults: Defaults | undefined;
  readonly diagnostics: Diagnostic[];
}

/** An exact type (typeexpr.Type). */
export function typeOf(expr: Expression): { type: cty.Type; diagnostics: Diagnostic[] } {
  const r = getType(expr, false, false);
  return { type: r.type, diagnostics: r.diagnostics };
}

/** A type constraint (typeexpr.TypeConstraint). */
export function typeConstraint(expr: Expression): { type: cty.Type; diagnostics: Diagnostic[] } {
  const r = getType(expr, true, false);
  return { type: r.type, diagnostics: r.diagnostics };
}

/** A type constraint and its optional-attribute defaults (typeexpr.TypeConstraintWithDefaults). */
export function typeConstraintWithDefaults(expr: Expression): TypeResult {
  return getType(expr, true, true);
}

function fail(detail: string, subject: Range, context?: Range): TypeResult {
  return {
    type: dynamicType,
    defaults: undefined,
    diagnostics: [{ severity: 'error', summary: INVALID, detail, subject, ...(context ? { context } : {}) }],
  };
}

const ELEMENT_DETAIL: ReadonlyMap<string, string> = new Map([
  ['list', 'The list type constructor requires one argument specifying the element type.'],
  ['set', 'The set type constructor requires one argument specifying the element type.'],
  ['map', 'The map type constructor requires one argument specifying the element type.'],
  ['object', 'The object type constructor requires one argument specifying the attribute types and values as a map.'],
  ['tuple', 'The tuple type constructor requires one argument specifying the element types as a list.'],
]);

/** The shared implementation; `withDefaults` only matters when `constraint` is set. */
export function getType(expr: Expression, constraint: boolean, withDefaults = false): TypeResult {
  const kw = exprAsKeyword(expr);
  if (kw !== undefined) {
    switch (kw) {
      case 'bool':
        return { type: boolType, defaults: undefined, diagnostics: [] };
      case 'string':
        return { type: stringType, defaults: undefined, diagnostics: [] };
      case 'number':
        return { type: numberType, defaults: undefined, diagnostics: [] };
      case 'any':
        if (constraint) return { type: dynamicType, defaults: undefined, diagnostics: [] };
        return fail(`The keyword ${JSON.stringify(kw)} cannot be used in this type specification: an exact type is required.`, expr.range);
      default:
        return fail(ELEMENT_DETAIL.get(kw) ?? `The keyword ${JSON.stringify(kw)} is not a valid type specification.`, expr.range);
    }
  }
  const c = exprCall(expr);
  if (c.value === undefined) {
    return fail('A type specification is either a primitive type keyword (bool, number, string) or a complex type constructor call, like list(string).', expr.range);
  }
  const call = c.value;
  switch (call.name) {
    case 'bool':
    case 'string':
    case 'number':
      return fail(`Primitive type keyword ${JSON.stringify(call.name)} does not expect arguments.`, call.argsRange);
    case 'any':
      return fail(`Type constraint keyword ${JSON.stringify(call.name)} does not expect arguments.`, call.argsRange);
  }
  const args = call.args;
  const elementDetail = ELEMENT_DETAIL.get(call.name);
  if (args.length !== 1 && elementDetail !== undefined) {
    const subject = args.length > 1 ? rangeBetween(args[1]!.range, args[args.length - 1]!.range) : call.argsRange;
    return fail(elementDetail, subject, call.argsRange);
  }
  switch (call.name) {
    case 'list':
    case 'set':
    case 'map': {
      const el = getType(args[0]!, constraint, withDefaults);
      const type = call.name === 'list' ? listOf(el.type) : call.name === 'set' ? setOf(el.type) : mapOf(el.type);
      const defaults = el.defaults === undefined ? undefined : new Defaults(type, new Map(), new Map([['', el.defaults]]));
      return { type, defaults, diagnostics: el.diagnostics };
    }
    case 'object':
      return objectType(expr, args[0]!, constraint, withDefaults);
    case 'tuple': {
      const list = exprList(args[0]!);
      if (list.value === undefined) return fail('Tuple type constructor requires a list of element types.', args[0]!.range, expr.range);
      const diagnostics: Diagnostic[] = [];
      const types: cty.Type[] = [];
      const children = new Map<string, Defaults>();
      list.value.forEach((e, i) => {
        const r = getType(e, constraint, withDefaults);
        diagnostics.push(...r.diagnostics);
        types.push(r.type);
        if (r.defaults) children.set(String(i), r.defaults);
      });
      const type = tupleOf(types);
      return { type, defaults: structuredDefaults(type, new Map(), children), diagnostics };
    }
    case 'optional':
      return fail(`Keyword ${JSON.stringify(call.name)} is valid only as a modifier for object type attributes.`, call.nameRange);
    default:
      return fail(`Keyword ${JSON.stringify(call.name)} is not a valid type constructor.`, expr.range);
  }
}

function structuredDefaults(type: cty.Type, values: Map<string, cty.Value>, children: Map<string, Defaults>): Defaults | undefined {
  return values.size === 0 && children.size === 0 ? undefined : new Defaults(type, values, children);
}

function objectType(expr: Expression, arg: Expression, constraint: boolean, withDefaults: boolean): TypeResult {
  const pairs = exprMap(arg);
  if (pairs.value === undefined) {
    return fail('Object type constructor requires a map whose keys are attribute names and whose values are the corresponding attribute types.', arg.range, expr.range);
  }
  const diagnostics: Diagnostic[] = [];
  const problem = (detail: string, subject: Range, context: Range): void => {
    diagnostics.push({ severity: 'error', summary: INVALID, detail, subject, context });
  };
  const attrs = new Map<string, cty.Type>();
  const optional: string[] = [];
  const values = new Map<string, cty.Value>();
  const children = new Map<string, Defaults>();
  for (const pair of pairs.value) {
    const name = exprAsKeyword(pair.key);
    if (name === undefined) {
      problem('Object constructor map keys must be attribute names.', pair.key.range, expr.range);
      continue;
    }
    if (attrs.has(name)) {
      problem('Object constructor map keys must be unique.', pair.key.range, expr.range);
      continue;
    }
    let atyExpr = pair.value;
    let defaultExpr: Expression | undefined;
    const opt = exprCall(atyExpr).value;
    if (opt?.name === 'optional') {
      const first = opt.args[0];
      if (first === undefined) {
        problem('Optional attribute modifier requires the attribute type as its argument.', opt.argsRange, atyExpr.range);
        continue;
      }
      if (!constraint) {
        problem('Optional attribute modifier is only for type constraints, not for exact types.', opt.nameRange, atyExpr.range);
      } else if (withDefaults && opt.args.length === 2) {
        defaultExpr = opt.args[1]!;
        const d = defaultExpr.value(undefined);
        diagnostics.push(...d.diagnostics);
        if (!d.diagnostics.some((x) => x.severity === 'error')) {
          optional.push(name);
          values.set(name, d.value);
        }
      } else if (opt.args.length === 1) {
        optional.push(name);
      } else {
        const detail = withDefaults
          ? 'Optional attribute modifier expects at most two arguments: the attribute type, and a default value.'
          : 'Optional attribute modifier expects only one argument: the attribute type.';
        problem(detail, opt.argsRange, atyExpr.range);
      }
      atyExpr = first;
    }
    const at = getType(atyExpr, constraint, withDefaults);
    diagnostics.push(...at.diagnostics);
    const dv = values.get(name);
    if (dv !== undefined && defaultExpr !== undefined) {
      const converted = convertValue(dv, at.type);
      if (converted instanceof PathError) {
        diagnostics.push({
          severity: 'error',
          summary: 'Invalid default value for optional attribute',
          detail: `This default value is not compatible with the attribute's type constraint: ${converted.message}.`,
          subject: defaultExpr.range,
        });
        values.delete(name);
      } else {
        values.set(name, converted);
      }
    }
    attrs.set(name, at.type);
    if (at.defaults) children.set(name, at.defaults);
  }
  const type = objectOf(attrs, optional);
  return { type, defaults: structuredDefaults(type, values, children), diagnostics };
}
