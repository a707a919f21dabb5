/**
 * Compact traversal nodes and steps (see `expr-nodes.ts`): a lone name, scope and
 * relative traversals, and their root, attribute and index steps, keeping token-stream
 * slots and building their ranges when read.
 */
import type { Range } from '../pos.js';
import type { Expression, LiteralValue, RelativeTraversalExpr, ScopeTraversalExpr, Traverser } from './ast.js';
import { kindOn, span, tokenRange } from './expr-nodes.js';
import type { TokenStream } from './token-stream.js';

/**
 * A lone name (`string`, `x`): a scope traversal of one root step, which it builds
 * when `traversal` is read (a new array each read; the node holds no array and no
 * step, three objects fewer for the most common expression there is).
 */
export class NameNode implements ScopeTraversalExpr {
  declare readonly kind: 'scope-traversal';
  declare readonly name: string;
  declare readonly stream: TokenStream;
  declare readonly s: number;
  declare readonly e: number;

  /** `s`: the name token's start slot. */
  constructor(name: string, stream: TokenStream, s: number) {
    this.stream = stream;
    this.s = s;
    this.e = s + 1;
    this.name = name;
  }

  get srcRange(): Range {
    return span(this.stream, this.s, this.e);
  }

  get startRange(): Range {
    return span(this.stream, this.s, this.e);
  }

  get traversal(): readonly Traverser[] {
    return [this.root()];
  }

  /** The root step, as a new object. */
  root(): RootStep {
    return new RootStep(this.name, this.stream, this.s);
  }

  /** A traversal of this name and `next`, ending at slot `e`. */
  extended(next: Traverser, e: number): ScopeTraversalNode {
    return new ScopeTraversalNode([this.root(), next], this.stream, this.s, e);
  }
}
kindOn(NameNode, 'scope-traversal');

/**
 * A traversal from a variable. The parser extends a traversal it just built in place
 * (`extendTo`), as HCL does, so long chains stay linear.
 */
export class ScopeTraversalNode implements ScopeTraversalExpr {
  declare readonly kind: 'scope-traversal';
  declare traversal: readonly Traverser[];
  declare readonly stream: TokenStream;
  declare readonly s: number;
  declare e: number;

  constructor(traversal: readonly Traverser[], stream: TokenStream, s: number, e: number) {
    this.stream = stream;
    this.s = s;
    this.e = e;
    this.traversal = traversal;
  }

  get srcRange(): Range {
    return span(this.stream, this.s, this.e);
  }

  get startRange(): Range {
    return span(this.stream, this.s, this.e);
  }

  /** Moves the end of the node's range to slot `e` of its stream (a step was appended). */
  extendTo(e: number): void {
    this.e = e;
  }
}
kindOn(ScopeTraversalNode, 'scope-traversal');

/** Static steps after another expression; extended in place like {@link ScopeTraversalNode}. */
export class RelativeTraversalNode implements RelativeTraversalExpr {
  declare readonly kind: 'relative-traversal';
  declare readonly source: Expression;
  declare traversal: readonly Traverser[];
  declare readonly stream: TokenStream;
  declare readonly s: number;
  declare e: number;

  constructor(source: Expression, traversal: readonly Traverser[], stream: TokenStream, s: number, e: number) {
    this.stream = stream;
    this.s = s;
    this.e = e;
    this.source = source;
    this.traversal = traversal;
  }

  get srcRange(): Range {
    return span(this.stream, this.s, this.e);
  }

  get startRange(): Range {
    return span(this.stream, this.s, this.e);
  }

  extendTo(e: number): void {
    this.e = e;
  }
}
kindOn(RelativeTraversalNode, 'relative-traversal');

/** A scope or relative traversal node over `range`; plain when `range` is not a token range. */
export function traversalNode(source: Expression | undefined, traversal: Traverser[], range: Range): Expression {
  const t = tokenRange(range);
  if (t) {
    return source === undefined
      ? new ScopeTraversalNode(traversal, t.streamOf(), t.startSlot(), t.endSlot())
      : new RelativeTraversalNode(source, traversal, t.streamOf(), t.startSlot(), t.endSlot());
  }
  return source === undefined
    ? { kind: 'scope-traversal', traversal, srcRange: range, startRange: range }
    : { kind: 'relative-traversal', source, traversal, srcRange: range, startRange: range };
}

/** A traversal's first step: one name token (slots `s` and `s + 1`). */
export class RootStep {
  declare readonly kind: 'root';
  declare readonly name: string;
  private declare readonly stream: TokenStream;
  private declare readonly s: number;

  constructor(name: string, stream: TokenStream, s: number) {
    this.name = name;
    this.stream = stream;
    this.s = s;
  }

  get srcRange(): Range {
    return span(this.stream, this.s, this.s + 1);
  }
}
kindOn(RootStep, 'root');

/** `.name` */
export class AttrStep {
  declare readonly kind: 'attr';
  declare readonly name: string;
  declare readonly stream: TokenStream;
  declare readonly s: number;
  declare readonly e: number;

  constructor(name: string, stream: TokenStream, s: number, e: number) {
    this.stream = stream;
    this.s = s;
    this.e = e;
    this.name = name;
  }

  get srcRange(): Range {
    return span(this.stream, this.s, this.e);
  }
}
kindOn(AttrStep, 'attr');

/** `[key]` with a literal key, or `.0`. */
export class IndexStep {
  declare readonly kind: 'index';
  declare readonly key: LiteralValue;
  declare readonly stream: TokenStream;
  declare readonly s: number;
  declare readonly e: number;

  constructor(key: LiteralValue, stream: TokenStream, s: number, e: number) {
    this.stream = stream;
    this.s = s;
    this.e = e;
    this.key = key;
  }

  get srcRange(): Range {
    return span(this.stream, this.s, this.e);
  }
}
kindOn(IndexStep, 'index');

/** An `attr` or `index` step over `range` (a token range from the parser, or a plain one). */
export function step(kind: 'attr', name: string, range: Range): Traverser;
export function step(kind: 'index', key: LiteralValue, range: Range): Traverser;
export function step(kind: 'attr' | 'index', what: string | LiteralValue, range: Range): Traverser {
  const t = tokenRange(range);
  if (kind === 'attr') {
    const name = what as string;
    return t ? new AttrStep(name, t.streamOf(), t.startSlot(), t.endSlot()) : { kind, name, srcRange: range };
  }
  const key = what as LiteralValue;
  return t ? new IndexStep(key, t.streamOf(), t.startSlot(), t.endSlot()) : { kind, key, srcRange: range };
}
