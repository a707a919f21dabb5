/**
 * hcldec's specs: a declarative description of how to turn a {@link Body} into one cty
 * value. A spec is a closed union on `kind`; build them as object literals or with the
 * constructors below. `decode` (decode.ts) walks a spec against a body; the schema the
 * body is read with is implied by the spec (`impliedSchema`).
 */
import type * as cty from '../cty/index.js';
import type { Diagnostic } from '../diagnostic.js';
import type { EvalContext } from '../eval-context.js';
import type { Expression } from '../expression.js';
import type { CtyFunction } from '../functions/function.js';

/** An object whose attributes are the results of the nested specs (hcldec.ObjectSpec). */
export interface ObjectSpec {
  readonly kind: 'object';
  readonly attributes: ReadonlyMap<string, Spec> | Readonly<Record<string, Spec>>;
}

/** A tuple of the nested specs' results (hcldec.TupleSpec). */
export interface TupleSpec {
  readonly kind: 'tuple';
  readonly elements: readonly Spec[];
}

/** An argument's value converted to `type`; null when absent (hcldec.AttrSpec). */
export interface AttrSpec {
  readonly kind: 'attr';
  readonly name: string;
  readonly type: cty.Type;
  readonly required?: boolean;
}

/** A constant, whatever the body holds (hcldec.LiteralSpec). */
export interface LiteralSpec {
  readonly kind: 'literal';
  readonly value: cty.Value;
}

/** The value of a given expression, evaluated in the decode context (hcldec.ExprSpec). */
export interface ExprSpec {
  readonly kind: 'expr';
  readonly expr: Expression;
}

interface BlockBase {
  readonly typeName: string;
  /** Applied to each block's body. Block labels are read with `block-label` specs inside it. */
  readonly nested: Spec;
}

/** Zero or one block; null when absent (hcldec.BlockSpec). */
export interface BlockSpec extends BlockBase {
  readonly kind: 'block';
  readonly required?: boolean;
}

/** Blocks of one type as a list / tuple / set, with optional bounds (hcldec.BlockListSpec and friends). */
export interface BlockSequenceSpec extends BlockBase {
  readonly kind: 'block-list' | 'block-tuple' | 'block-set';
  readonly minItems?: number;
  /** 0 or undefined: no maximum. */
  readonly maxItems?: number;
}

/** Blocks keyed by their labels, one map level per label (hcldec.BlockMapSpec / BlockObjectSpec). */
export interface BlockMapSpec extends BlockBase {
  readonly kind: 'block-map' | 'block-object';
  readonly labelNames: readonly string[];
}

/** One block's arguments as a map of `elementType` (hcldec.BlockAttrsSpec). */
export interface BlockAttrsSpec {
  readonly kind: 'block-attrs';
  readonly typeName: string;
  readonly elementType: cty.Type;
  readonly required?: boolean;
}

/** The label at `index` of the enclosing block (hcldec.BlockLabelSpec); `name` appears in diagnostics. */
export interface BlockLabelSpec {
  readonly kind: 'block-label';
  readonly index: number;
  readonly name: string;
}

/** `primary`, or `default` when `primary` gives null (hcldec.DefaultSpec). */
export interface DefaultSpec {
  readonly kind: 'default';
  readonly primary: Spec;
  readonly default: Spec;
}

/** `expr` evaluated with the wrapped result bound to `varName` (hcldec.TransformExprSpec). */
export interface TransformExprSpec {
  readonly kind: 'transform-expr';
  readonly wrapped: Spec;
  readonly expr: Expression;
  readonly ctx: EvalContext;
  readonly varName: string;
}

/** A function of one argument applied to the wrapped result (hcldec.TransformFuncSpec). */
export interface TransformFuncSpec {
  readonly kind: 'transform-func';
  readonly wrapped: Spec;
  readonly func: CtyFunction;
}

/** Checks the wrapped result when it has no errors (hcldec.ValidateSpec); the diagnostics get the value's range. */
export interface ValidateSpec {
  readonly kind: 'validate';
  readonly wrapped: Spec;
  readonly func: (value: cty.Value) => Diagnostic[];
}

export type Spec =
  | ObjectSpec
  | TupleSpec
  | AttrSpec
  | LiteralSpec
  | ExprSpec
  | BlockSpec
  | BlockSequenceSpec
  | BlockMapSpec
  | BlockAttrsSpec
  | BlockLabelSpec
  | DefaultSpec
  | TransformExprSpec
  | TransformFuncSpec
  | ValidateSpec;

/** An object spec's attributes as entries, in their given order. */
export function objectSpecEntries(s: ObjectSpec): [string, Spec][] {
  return s.attributes instanceof Map ? [...(s.attributes as ReadonlyMap<string, Spec>)] : Object.entries(s.attributes);
}

/** The specs decoded against the same body as `s` (visitSameBodyChildren). */
export function sameBodyChildren(s: Spec): readonly Spec[] {
  switch (s.kind) {
    case 'object':
      return objectSpecEntries(s).map(([, c]) => c);
    case 'tuple':
      return s.elements;
    case 'default':
      return [s.primary, s.default];
    case 'transform-expr':
    case 'transform-func':
    case 'validate':
      return [s.wrapped];
    default:
      return [];
  }
}
