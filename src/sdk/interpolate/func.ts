/**
 * The shape of a template function, mirroring how Go's `text/template` calls a Go
 * function by reflection: typed parameters (for Go's argument errors), an optional
 * variadic tail, and an error return.
 */
import type { GoValue } from './value.js';

/**
 * A parameter's Go type: `string` and `int` are checked as Go checks them
 * (`expected string; found 3`, `wrong type for value; expected string; got int`);
 * `any` accepts every value (`interface{}` / `reflect.Value`).
 */
export type ParamType = 'string' | 'int' | 'any';

/** A function callable from a template. */
export interface TemplateFunc {
  readonly params: readonly ParamType[];
  /** Element type of a trailing `...` parameter; undefined for a fixed arity. */
  readonly variadic?: ParamType;
  /** Returns the result, or throws {@link FuncError} for Go's `(value, error)` error case. */
  readonly call: (args: GoValue[]) => GoValue;
}

/** The error a function returns; rendered as `error calling NAME: message`. */
export class FuncError extends Error {}

/** Shorthand for a function of string parameters returning a string. */
export function stringFunc(arity: number, fn: (...args: string[]) => string): TemplateFunc {
  return {
    params: Array.from({ length: arity }, () => 'string' as const),
    call: (args) => fn(...args.map((a) => String(a))),
  };
}
