/**
 * The evaluation context (hcl.EvalContext): the variables and functions an expression
 * may use. Contexts form a chain: a child (`newChild`) sees its parent's names unless it
 * defines the same name itself — for expressions and `dynamic` blocks bind iterators
 * this way.
 *
 * `undefined` where an `EvalContext` is expected means "no context at all": any variable
 * use is reported as "Variables not allowed" and any call as "Function calls not
 * allowed". A context whose whole chain has `variables === undefined` behaves the same
 * for variables (and `functions` likewise), while an empty map means "allowed, but none
 * defined" (so "Unknown variable" / "Call to unknown function").
 */
import type { Value } from './cty/value.js';
import type { CtyFunction } from './functions/function.js';

export interface EvalContextInit {
  readonly variables?: ReadonlyMap<string, Value> | Readonly<Record<string, Value>>;
  readonly functions?: ReadonlyMap<string, CtyFunction> | Readonly<Record<string, CtyFunction>>;
}

function toMap<T>(m: ReadonlyMap<string, T> | Readonly<Record<string, T>> | undefined): Map<string, T> | undefined {
  if (m === undefined) return undefined;
  return m instanceof Map ? new Map(m as ReadonlyMap<string, T>) : new Map(Object.entries(m));
}

export class EvalContext {
  /** Variables by name; `undefined` = this level defines none (not even an empty set). */
  variables: Map<string, Value> | undefined;
  /** Functions by name (namespaced names keep their `::`); `undefined` as for variables. */
  functions: Map<string, CtyFunction> | undefined;
  /** The enclosing context; `undefined` at the root. */
  readonly parent: EvalContext | undefined;

  constructor(init: EvalContextInit = {}, parent?: EvalContext) {
    this.variables = toMap(init.variables);
    this.functions = toMap(init.functions);
    this.parent = parent;
  }

  /** A child context with no variables or functions of its own (fill them in after). */
  newChild(init: EvalContextInit = {}): EvalContext {
    return new EvalContext(init, this);
  }

  /** This context, then each parent in turn. */
  *chain(): Generator<EvalContext> {
    for (let c: EvalContext | undefined = this as EvalContext; c !== undefined; c = c.parent) yield c;
  }

  /** The nearest definition of a variable along the chain; undefined when none. */
  lookupVariable(name: string): Value | undefined {
    // Plain loops over `parent`: a generator per lookup cost more than the lookup.
    for (let c: EvalContext | undefined = this as EvalContext; c !== undefined; c = c.parent) {
      const v = c.variables?.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** The nearest definition of a function along the chain; undefined when none. */
  lookupFunction(name: string): CtyFunction | undefined {
    for (let c: EvalContext | undefined = this as EvalContext; c !== undefined; c = c.parent) {
      const f = c.functions?.get(name);
      if (f !== undefined) return f;
    }
    return undefined;
  }

  /** Whether any level of the chain defines a variables table (even an empty one). */
  hasVariables(): boolean {
    for (let c: EvalContext | undefined = this as EvalContext; c !== undefined; c = c.parent) if (c.variables !== undefined) return true;
    return false;
  }

  /** Whether any level of the chain defines a functions table (even an empty one). */
  hasFunctions(): boolean {
    for (let c: EvalContext | undefined = this as EvalContext; c !== undefined; c = c.parent) if (c.functions !== undefined) return true;
    return false;
  }

  /** Every variable name visible from here, nearest level first (for suggestions). */
  variableNames(): string[] {
    const out: string[] = [];
    for (const c of this.chain()) if (c.variables) out.push(...c.variables.keys());
    return out;
  }

  /** Every function name visible from here, nearest level first (for suggestions). */
  functionNames(): string[] {
    const out: string[] = [];
    for (const c of this.chain()) if (c.functions) out.push(...c.functions.keys());
    return out;
  }
}
