/**
 * One step of a `dynamic` block's iteration (ext/dynblock's iteration): the iterator
 * name bound to `{ key, value }`, plus the iterators of enclosing dynamic blocks, so
 * nested `content` can read all of them. Also the expression wrapper that evaluates an
 * attribute of generated content inside its iteration.
 */
import * as cty from '../cty/index.js';
import { EvalContext } from '../eval-context.js';
import type { Expression } from '../expression.js';
import type { Range } from '../pos.js';
import type { Traversal, ValueResult } from '../traversal.js';

export class Iteration {
  constructor(
    readonly iteratorName: string,
    readonly key: cty.Value,
    readonly value: cty.Value,
    /** Iterators of enclosing dynamic blocks, by name. */
    readonly inherited: ReadonlyMap<string, Iteration> = new Map(),
  ) {}

  object(): cty.Value {
    return cty.objectVal({ key: this.key, value: this.value });
  }

  /** A child of `base` with this iteration's iterators defined. */
  evalContext(base: EvalContext): EvalContext {
    const vars = new Map<string, cty.Value>();
    for (const [name, it] of this.inherited) vars.set(name, it.object());
    vars.set(this.iteratorName, this.object());
    return base.newChild({ variables: vars });
  }

  /** The iteration of a dynamic block nested in this one's content. */
  child(iteratorName: string, key: cty.Value, value: cty.Value): Iteration {
    const inherited = new Map(this.inherited);
    inherited.set(this.iteratorName, this);
    return new Iteration(iteratorName, key, value, inherited);
  }
}

/** The iteration of a top-level dynamic block (`parent` undefined) or a nested one. */
export function makeIteration(parent: Iteration | undefined, name: string, key: cty.Value, value: cty.Value): Iteration {
  return parent ? parent.child(name, key, value) : new Iteration(name, key, value);
}

/** A child context with the iteration's variables, or a plain child when there is none. */
export function iterationContext(i: Iteration | undefined, base: EvalContext): EvalContext {
  return i ? i.evalContext(base) : base.newChild();
}

/** An attribute of generated content: evaluated within its iteration, result marked like `for_each`. */
export class IterationExpression implements Expression {
  constructor(
    readonly inner: Expression,
    readonly iteration: Iteration | undefined,
    readonly marks: cty.Marks | undefined,
  ) {}

  get range(): Range {
    return this.inner.range;
  }
  get startRange(): Range {
    return this.inner.startRange;
  }

  value(ctx: EvalContext | undefined): ValueResult {
    const i = this.iteration;
    const r = this.inner.value(i ? i.evalContext(ctx ?? new EvalContext()) : ctx);
    return this.marks ? { value: cty.withMarks(r.value, this.marks), diagnostics: r.diagnostics } : r;
  }

  /** The expression's references, without the iterators it is given here. */
  variables(): Traversal[] {
    const i = this.iteration;
    return this.inner.variables().filter((t) => {
      const root = t[0];
      if (root?.kind !== 'root' || i === undefined) return true;
      return root.name !== i.iteratorName && !i.inherited.has(root.name);
    });
  }

  unwrapExpression(): Expression {
    return this.inner;
  }
}
