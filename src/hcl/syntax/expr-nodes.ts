/**
 * Compact forms of the most numerous expression nodes and traversal steps: they keep
 * position slots in the token stream (see `token-range.ts`) and build their ranges
 * when read, as the attribute, block and body nodes of `ast-nodes.ts` do. A 5 MB file
 * held ~338,000 `TokenRange` objects in its expression nodes (16 MB), each copied by
 * every garbage collection that moved the tree.
 *
 * They satisfy the `ast.ts` interfaces: readers see the same fields and ranges, except
 * that each range read returns a new (equal) object and that `kind` lives on the
 * class's prototype (one field less per node), so spreading a node (`{ ...node }`)
 * loses its kind and ranges. Nodes whose ranges do not come from one token stream
 * (a flush heredoc's trimmed literal, a call without its closing parenthesis) are
 * built as plain objects instead (`literal`, `functionCall`, ...): the same fields.
 *
 * Fields are `declare`d and set in the constructor (no per-object field initializer).
 */
import type { Range } from '../pos.js';
import type {
  Expression, FunctionCallExpr, LiteralExpr, LiteralValue, ObjectConsExpr, ObjectConsItem, ObjectConsKeyExpr,
  RelativeTraversalExpr, ScopeTraversalExpr, TemplateExpr, TemplateWrapExpr, TupleConsExpr, Traverser,
} from './ast.js';
import { TokenRange } from './token-range.js';
import type { TokenStream } from './token-stream.js';

/** Puts the constant `kind` on a node class's prototype (one field less per node). */
export function kindOn(cls: { prototype: object }, kind: string): void {
  Object.defineProperty(cls.prototype, 'kind', { value: kind });
}

/** `r` as a token range, or undefined when it is a plain range. */
function tokenRange(r: Range): TokenRange | undefined {
  return r instanceof TokenRange ? r : undefined;
}

/**
 * A node or step whose source is slots `s` to `e` of a token stream. Its subclasses
 * add their own fields; none has a field initializer.
 */
abstract class Span {
  protected declare readonly stream: TokenStream;
  protected declare readonly s: number;
  protected declare e: number;

  constructor(stream: TokenStream, s: number, e: number) {
    this.stream = stream;
    this.s = s;
    this.e = e;
  }

  get srcRange(): Range {
    return new TokenRange(this.stream, this.s, this.e);
  }
}

/** A span whose start range is its whole range (literals, traversals, `"${x}"`). */
abstract class WholeSpan extends Span {
  get startRange(): Range {
    return new TokenRange(this.stream, this.s, this.e);
  }
}

/** Literal values without a payload (and the empty string), shared by every node that holds one. */
export const DYNAMIC: LiteralValue = Object.freeze({ kind: 'dynamic' });
export const TRUE: LiteralValue = Object.freeze({ kind: 'bool', value: true });
export const FALSE: LiteralValue = Object.freeze({ kind: 'bool', value: false });
export const NULL: LiteralValue = Object.freeze({ kind: 'null' });
export const UNKNOWN_NUMBER: LiteralValue = Object.freeze({ kind: 'unknown-number' });
export const EMPTY_STRING: LiteralValue = Object.freeze({ kind: 'string', value: '' });

/** A literal: its range is its source and its start. */
export class LiteralNode extends WholeSpan implements LiteralExpr {
  declare readonly kind: 'literal';
  declare readonly value: LiteralValue;

  constructor(value: LiteralValue, stream: TokenStream, s: number, e: number) {
    super(stream, s, e);
    this.value = value;
  }
}
kindOn(LiteralNode, 'literal');

/** A literal node over `range`. */
export function literal(value: LiteralValue, range: Range): Expression {
  const t = tokenRange(range);
  if (t) return new LiteralNode(value, t.streamOf(), t.startSlot(), t.endSlot());
  return { kind: 'literal', value, srcRange: range, startRange: range };
}

/**
 * A lone name (`string`, `x`): a scope traversal of one root step, which it builds
 * when `traversal` is read (a new array each read; the node holds no array and no
 * step, three objects fewer for the most common expression there is).
 */
export class NameNode extends WholeSpan implements ScopeTraversalExpr {
  declare readonly kind: 'scope-traversal';
  declare readonly name: string;

  /** `s`: the name token's start slot. */
  constructor(name: string, stream: TokenStream, s: number) {
    super(stream, s, s + 1);
    this.name = name;
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
export class ScopeTraversalNode extends WholeSpan implements ScopeTraversalExpr {
  declare readonly kind: 'scope-traversal';
  declare traversal: readonly Traverser[];

  constructor(traversal: readonly Traverser[], stream: TokenStream, s: number, e: number) {
    super(stream, s, e);
    this.traversal = traversal;
  }

  /** Moves the end of the node's range to slot `e` of its stream (a step was appended). */
  extendTo(e: number): void {
    this.e = e;
  }
}
kindOn(ScopeTraversalNode, 'scope-traversal');

/** Static steps after another expression; extended in place like {@link ScopeTraversalNode}. */
export class RelativeTraversalNode extends WholeSpan implements RelativeTraversalExpr {
  declare readonly kind: 'relative-traversal';
  declare readonly source: Expression;
  declare traversal: readonly Traverser[];

  constructor(source: Expression, traversal: readonly Traverser[], stream: TokenStream, s: number, e: number) {
    super(stream, s, e);
    this.source = source;
    this.traversal = traversal;
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
    return new TokenRange(this.stream, this.s, this.s + 1);
  }
}
kindOn(RootStep, 'root');

/** `.name` */
export class AttrStep extends Span {
  declare readonly kind: 'attr';
  declare readonly name: string;

  constructor(name: string, stream: TokenStream, s: number, e: number) {
    super(stream, s, e);
    this.name = name;
  }
}
kindOn(AttrStep, 'attr');

/** `[key]` with a literal key, or `.0`. */
export class IndexStep extends Span {
  declare readonly kind: 'index';
  declare readonly key: LiteralValue;

  constructor(key: LiteralValue, stream: TokenStream, s: number, e: number) {
    super(stream, s, e);
    this.key = key;
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

/**
 * A quoted string of plain text (`"abc"`, `""`): a template of one string literal,
 * which it builds when `parts` is read (a new array and literal each read). `litS` is
 * the literal's start slot: the text token's, or for `""` the end of the closing quote
 * (an empty range there).
 */
export class StringNode extends Span implements TemplateExpr {
  declare readonly kind: 'template';
  declare readonly text: string;
  private declare readonly litS: number;

  constructor(text: string, stream: TokenStream, s: number, e: number, litS: number) {
    super(stream, s, e);
    this.text = text;
    this.litS = litS;
  }

  /** The literal's end slot: the text token's end, or the same empty range for `""`. */
  private litE(): number {
    return this.litS === this.e ? this.e : this.litS + 1;
  }

  get parts(): readonly Expression[] {
    const value: LiteralValue = this.text === '' ? EMPTY_STRING : { kind: 'string', value: this.text };
    return [new LiteralNode(value, this.stream, this.litS, this.litE())];
  }

  get startRange(): Range {
    return new TokenRange(this.stream, this.litS, this.litE());
  }
}
kindOn(StringNode, 'template');

/** A template; its start is its first part's (or its own range when it has none). */
export class TemplateNode extends Span implements TemplateExpr {
  declare readonly kind: 'template';
  declare readonly parts: readonly Expression[];

  constructor(parts: readonly Expression[], stream: TokenStream, s: number, e: number) {
    super(stream, s, e);
    this.parts = parts;
  }

  get startRange(): Range {
    const first = this.parts[0];
    return first ? first.startRange : this.srcRange;
  }
}
kindOn(TemplateNode, 'template');

/** `"${x}"`: its range is its source and its start. */
export class TemplateWrapNode extends WholeSpan implements TemplateWrapExpr {
  declare readonly kind: 'template-wrap';
  declare readonly wrapped: Expression;

  constructor(wrapped: Expression, stream: TokenStream, s: number, e: number) {
    super(stream, s, e);
    this.wrapped = wrapped;
  }
}
kindOn(TemplateWrapNode, 'template-wrap');

/** A template over `srcRange` whose start is its first part's start: `template-wrap` for a lone interpolation. */
export function templateExpr(parts: readonly Expression[], wrap: boolean, srcRange: Range): Expression {
  const first = parts[0];
  const t = tokenRange(srcRange);
  if (wrap && first) {
    if (t) return new TemplateWrapNode(first, t.streamOf(), t.startSlot(), t.endSlot());
    return { kind: 'template-wrap', wrapped: first, srcRange, startRange: srcRange };
  }
  if (t) return new TemplateNode(parts, t.streamOf(), t.startSlot(), t.endSlot());
  return { kind: 'template', parts, srcRange, startRange: first ? first.startRange : srcRange };
}

/** A call whose name, parentheses and range lie in one token stream: slots name start `s` to close end `e`. */
export class FunctionCallNode extends Span implements FunctionCallExpr {
  declare readonly kind: 'function-call';
  declare readonly name: string;
  declare readonly args: readonly Expression[];
  declare readonly expandFinal: boolean;
  private declare readonly nameE: number;
  /** The `(` token's start slot (it is one token). */
  private declare readonly openS: number;
  private declare readonly closeS: number;

  constructor(name: string, args: readonly Expression[], expandFinal: boolean, stream: TokenStream, s: number, nameE: number, openS: number, closeS: number, e: number) {
    super(stream, s, e);
    this.name = name;
    this.args = args;
    this.expandFinal = expandFinal;
    this.nameE = nameE;
    this.openS = openS;
    this.closeS = closeS;
  }

  get startRange(): Range {
    return new TokenRange(this.stream, this.s, this.openS + 1);
  }

  get nameRange(): Range {
    return new TokenRange(this.stream, this.s, this.nameE);
  }

  get openParenRange(): Range {
    return new TokenRange(this.stream, this.openS, this.openS + 1);
  }

  get closeParenRange(): Range {
    return new TokenRange(this.stream, this.closeS, this.e);
  }
}
kindOn(FunctionCallNode, 'function-call');

/** A function call node, compact when every range is a token range of one stream and `(` is one token. */
export function functionCall(name: string, args: readonly Expression[], expandFinal: boolean, nameRange: Range, openParenRange: Range, closeParenRange: Range, srcRange: Range, startRange: Range): Expression {
  const n = tokenRange(nameRange);
  const o = tokenRange(openParenRange);
  const c = tokenRange(closeParenRange);
  const stream = n?.streamOf();
  if (n && o && c && o.streamOf() === stream && c.streamOf() === stream && o.endSlot() === o.startSlot() + 1) {
    return new FunctionCallNode(name, args, expandFinal, n.streamOf(), n.startSlot(), n.endSlot(), o.startSlot(), c.startSlot(), c.endSlot());
  }
  return { kind: 'function-call', name, args, expandFinal, nameRange, openParenRange, closeParenRange, srcRange, startRange };
}

/** An object key: its ranges are those of the expression it wraps. */
export class ObjectConsKeyNode implements ObjectConsKeyExpr {
  declare readonly kind: 'object-cons-key';
  declare readonly wrapped: Expression;
  declare readonly forceNonLiteral: boolean;

  constructor(wrapped: Expression, forceNonLiteral: boolean) {
    this.wrapped = wrapped;
    this.forceNonLiteral = forceNonLiteral;
  }

  get srcRange(): Range {
    return this.wrapped.srcRange;
  }

  get startRange(): Range {
    return this.wrapped.startRange;
  }
}
kindOn(ObjectConsKeyNode, 'object-cons-key');

/** A bracketed constructor whose opening bracket is one token: its start (and open range) is that bracket. */
abstract class ConsSpan extends Span {
  get startRange(): Range {
    return new TokenRange(this.stream, this.s, this.s + 1);
  }

  get openRange(): Range {
    return new TokenRange(this.stream, this.s, this.s + 1);
  }
}

/** `{ ... }` */
export class ObjectConsNode extends ConsSpan implements ObjectConsExpr {
  declare readonly kind: 'object-cons';
  declare readonly items: readonly ObjectConsItem[];

  constructor(items: readonly ObjectConsItem[], stream: TokenStream, s: number, e: number) {
    super(stream, s, e);
    this.items = items;
  }
}
kindOn(ObjectConsNode, 'object-cons');

/** `[ ... ]` */
export class TupleConsNode extends ConsSpan implements TupleConsExpr {
  declare readonly kind: 'tuple-cons';
  declare readonly exprs: readonly Expression[];

  constructor(exprs: readonly Expression[], stream: TokenStream, s: number, e: number) {
    super(stream, s, e);
    this.exprs = exprs;
  }
}
kindOn(TupleConsNode, 'tuple-cons');

/** An object or tuple constructor from `open` to the end of `close`. */
export function collectionCons(kind: 'object-cons', items: readonly ObjectConsItem[], open: Range, close: Range, srcRange: Range): Expression;
export function collectionCons(kind: 'tuple-cons', exprs: readonly Expression[], open: Range, close: Range, srcRange: Range): Expression;
export function collectionCons(kind: 'object-cons' | 'tuple-cons', elems: readonly unknown[], open: Range, close: Range, srcRange: Range): Expression {
  const o = tokenRange(open);
  const c = tokenRange(close);
  if (o && c && o.streamOf() === c.streamOf() && o.endSlot() === o.startSlot() + 1) {
    return kind === 'object-cons'
      ? new ObjectConsNode(elems as readonly ObjectConsItem[], o.streamOf(), o.startSlot(), c.endSlot())
      : new TupleConsNode(elems as readonly Expression[], o.streamOf(), o.startSlot(), c.endSlot());
  }
  return kind === 'object-cons'
    ? { kind, items: elems as readonly ObjectConsItem[], srcRange, startRange: open, openRange: open }
    : { kind, exprs: elems as readonly Expression[], srcRange, startRange: open, openRange: open };
}
