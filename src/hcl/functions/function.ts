/**
 * Functions callable from HCL, after cty's `function` package: a {@link FunctionSpec}
 * declares parameters and two callbacks, and {@link CtyFunction.call} applies cty's call
 * rules around them.
 *
 * Call rules (cty's `Function.Call`, plus the argument conversion HCL does first):
 * 1. argument count: `wrong number of arguments (N required; M given)` or
 *    `(at least N required; M given)`;
 * 2. each argument is converted to its parameter's type (`convertValue`); a failure is an
 *    {@link ArgError} with the argument's index and cty's message (`string required`);
 * 3. a null argument is an ArgError (`argument must not be null`) unless `allowNull`; an
 *    argument of dynamic type makes the result `DynamicVal` unless `allowDynamicType`;
 * 4. `type(args)` gives the return type (args may be unknown);
 * 5. marks: unless `allowMarked`, an argument's marks (deep) are removed before `impl`
 *    and put on the result;
 * 6. any unknown argument without `allowUnknown` makes the result an unknown of the
 *    return type, without calling `impl`;
 * 7. `impl(args, retType)` computes the value. Exceptions thrown by `type`/`impl` become
 *    a {@link CallError} (`panic in function implementation: ...`) instead of escaping.
 *
 * Refinements of unknown results (`RefineResult`) are not modelled. Unlike cty, a type
 * mismatch of a variadic argument reports that argument's real index.
 */
import { PathError, testConformance } from '../cty/conform.js';
import { convertValue } from '../cty/convert/convert.js';
import { unionMarks, unmarkDeep, withMarks } from '../cty/marks.js';
import type { Type } from '../cty/type.js';
import { friendlyName } from '../cty/type.js';
import type { Marks, Value } from '../cty/value.js';
import { unknownVal } from '../cty/value.js';

export interface Parameter {
  readonly name: string;
  readonly type: Type;
  readonly description?: string;
  readonly allowNull?: boolean;
  readonly allowUnknown?: boolean;
  readonly allowDynamicType?: boolean;
  readonly allowMarked?: boolean;
}

/** An error about one argument; `index` counts from 0 over all arguments, variadic ones included. */
export class ArgError {
  readonly kind = 'arg';
  constructor(
    readonly index: number,
    readonly message: string,
  ) {}
  toString(): string {
    return this.message;
  }
}

/** Any other call failure (cty returns a plain error). */
export class CallError {
  readonly kind = 'call';
  constructor(readonly message: string) {}
  toString(): string {
    return this.message;
  }
}

export type FunctionError = ArgError | CallError;

export interface FunctionSpec {
  readonly description?: string;
  readonly params: readonly Parameter[];
  /** Parameter for any number of further arguments; undefined = fixed arity. */
  readonly varParam?: Parameter;
  /** The result type for these arguments (possibly unknown, never of the wrong type). */
  readonly type: (args: readonly Value[]) => Type | FunctionError;
  /** The result for known arguments (unless a parameter allows unknowns). */
  readonly impl: (args: readonly Value[], retType: Type) => Value | FunctionError;
}

/** A type callback that always returns `t`. */
export function staticReturnType(t: Type): (args: readonly Value[]) => Type {
  return () => t;
}

export interface CallOptions {
  /** Convert arguments to parameter types first (HCL does). Default true; false = strict cty `Call`. */
  readonly convert?: boolean;
}

export class CtyFunction {
  constructor(readonly spec: FunctionSpec) {}

  get params(): readonly Parameter[] {
    return this.spec.params;
  }
  get varParam(): Parameter | undefined {
    return this.spec.varParam;
  }
  get description(): string {
    return this.spec.description ?? '';
  }

  /** The parameter that argument `i` binds to, or undefined past the end of a fixed list. */
  paramFor(i: number): Parameter | undefined {
    return this.spec.params[i] ?? this.spec.varParam;
  }

  /** The return type for arguments of these types (as if all were unknown). */
  returnType(argTypes: readonly Type[]): Type | FunctionError {
    return this.returnTypeForValues(argTypes.map(unknownVal));
  }

  /** The return type for these argument values; `dynamic` when a dynamic argument is not allowed yet. */
  returnTypeForValues(args: readonly Value[]): Type | FunctionError {
    const r = this.checkArgs(args);
    return r.kind === 'type' ? r.type : r.kind === 'dynamic' ? { kind: 'dynamic' } : r.error;
  }

  /** Calls the function with cty's rules (see the module comment). */
  call(argsIn: readonly Value[], options: CallOptions = {}): Value | FunctionError {
    if (options.convert === false) {
      const direct = this.callPrimitive(argsIn);
      if (direct !== undefined) return direct;
    }
    let args = argsIn;
    if (options.convert !== false) {
      const converted = this.convertArgs(argsIn);
      if (!Array.isArray(converted)) return converted as FunctionError;
      args = converted;
    }
    const checked = this.checkArgs(args);
    if (checked.kind === 'error') return checked.error;
    let returnUnknown = checked.kind === 'dynamic';
    const expected: Type = checked.kind === 'type' ? checked.type : { kind: 'dynamic' };
    let resultMarks: Marks | undefined;
    const plain: Value[] = [];
    for (let i = 0; i < args.length; i++) {
      const p = this.paramFor(i)!;
      let v = args[i]!;
      if (!p.allowMarked) {
        const [u, m] = unmarkDeep(v);
        if (m.size > 0) resultMarks = unionMarks(resultMarks, m);
        v = u;
      }
      if (!v.isKnown() && !p.allowUnknown) returnUnknown = true;
      plain.push(v);
    }
    if (returnUnknown) return withMarks(unknownVal(expected), resultMarks);
    let ret: Value | FunctionError;
    try {
      ret = this.spec.impl(plain, expected);
    } catch (e) {
      return panicError(e);
    }
    if (ret instanceof ArgError || ret instanceof CallError) return ret;
    return nonConforming(ret, expected) ?? withMarks(ret, resultMarks);
  }

  /**
   * `call` for the common case, without the general path's copies: fixed arity, and
   * every argument a known, non-null, unmarked value of exactly its parameter's
   * primitive type (`env("HOME")`). The general rules then reduce to calling `type` and
   * `impl`; undefined = not this case.
   */
  private callPrimitive(args: readonly Value[]): Value | FunctionError | undefined {
    const { params, varParam } = this.spec;
    if (varParam !== undefined || args.length !== params.length) return undefined;
    for (let i = 0; i < args.length; i++) {
      const v = args[i]!;
      const t = params[i]!.type;
      if (v.type !== t || (t.kind !== 'string' && t.kind !== 'number' && t.kind !== 'bool')) return undefined;
      if (v.marks !== undefined || !v.isKnown() || v.isNull()) return undefined;
    }
    let expected: Type;
    let ret: Value | FunctionError;
    try {
      const t = this.spec.type(args);
      if (t instanceof ArgError || t instanceof CallError) return t;
      expected = t;
      ret = this.spec.impl(args, expected);
    } catch (e) {
      return panicError(e);
    }
    if (ret instanceof ArgError || ret instanceof CallError || ret.type === expected) return ret;
    return nonConforming(ret, expected) ?? ret;
  }

  private convertArgs(args: readonly Value[]): Value[] | FunctionError {
    const out: Value[] = [];
    for (let i = 0; i < args.length; i++) {
      const p = this.paramFor(i);
      const v = args[i]!;
      if (p === undefined || p.type.kind === 'dynamic') {
        out.push(v);
        continue;
      }
      const c = convertValue(v, p.type);
      if (c instanceof PathError) return new ArgError(i, c.message);
      out.push(c);
    }
    return out;
  }

  private checkArgs(args: readonly Value[]): CheckResult {
    const { params, varParam } = this.spec;
    if (varParam === undefined && args.length !== params.length) {
      return { kind: 'error', error: new CallError(`wrong number of arguments (${params.length} required; ${args.length} given)`) };
    }
    if (varParam !== undefined && args.length < params.length) {
      return { kind: 'error', error: new CallError(`wrong number of arguments (at least ${params.length} required; ${args.length} given)`) };
    }
    const forType: Value[] = [];
    for (let i = 0; i < args.length; i++) {
      const p = this.paramFor(i)!;
      let v = args[i]!;
      if (!p.allowMarked) v = unmarkDeep(v)[0];
      if (v.isNull() && !p.allowNull) return { kind: 'error', error: new ArgError(i, 'argument must not be null') };
      if (v.type.kind === 'dynamic') {
        if (!p.allowDynamicType) return { kind: 'dynamic' };
      } else {
        const errs = testConformance(v.type, p.type);
        if (errs.length > 0) return { kind: 'error', error: new ArgError(i, errs[0]!.message) };
      }
      forType.push(v);
    }
    try {
      const t = this.spec.type(forType);
      return t instanceof ArgError || t instanceof CallError ? { kind: 'error', error: t } : { kind: 'type', type: t };
    } catch (e) {
      return { kind: 'error', error: panicError(e) };
    }
  }
}

type CheckResult =
  | { readonly kind: 'type'; readonly type: Type }
  | { readonly kind: 'dynamic' }
  | { readonly kind: 'error'; readonly error: FunctionError };

/** The error for an implementation whose result is not of the type it declared; undefined when it is. */
function nonConforming(ret: Value, expected: Type): CallError | undefined {
  const bad = testConformance(ret.type, expected);
  if (bad.length === 0) return undefined;
  return new CallError(`returned value of type ${friendlyName(ret.type)} does not conform to expected return type ${friendlyName(expected)}: ${bad[0]!.message}`);
}

function panicError(e: unknown): CallError {
  const text = e instanceof Error ? e.message : String(e);
  return new CallError(`panic in function implementation: ${text}`);
}

/** Declares a function. */
export function defineFunction(spec: FunctionSpec): CtyFunction {
  return new CtyFunction(spec);
}
