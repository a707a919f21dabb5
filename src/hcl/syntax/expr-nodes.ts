/**
 * Compact forms of the most numerous expression nodes (traversals and their steps are
 * in `traversal-nodes.ts`): they keep position slots in the token stream (see `token-range.ts`) and build their ranges
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
 * No class extends another: V8 makes `new` of a derived class whose constructor's
 * `name` was redefined (what esbuild's keepNames helper does under `tsx`) 20-50 times
 * slower, which made every tsx-run measurement and test of a hierarchy of these slow.
 */
import type { Range } from '../pos.js';
import type {
  Expression, FunctionCallExpr, LiteralExpr, LiteralValue, ObjectConsExpr, ObjectConsItem, ObjectConsKeyExpr,
  TemplateExpr, TemplateWrapExpr, TupleConsExpr,
} from './ast.js';
import { TokenRange } from './token-range.js';
import type { TokenStream } from './token-stream.js';

/** Puts the constant `kind` on a node class's prototype (one field less per node). */
export function kindOn(cls: { prototype: object }, kind: string): void {
  Object.defineProperty(cls.prototype, 'kind', { value: kind });
}

/** `r` as a token range, or undefined when it is a plain range. */
export function tokenRange(r: Range): TokenRange | undefined {
  return r instanceof TokenRange ? r : undefined;
}

/** The range of slots `s` to `e` of `stream`. */
export function span(stream: TokenStream, s: number, e: number): Range {
  return new TokenRange(stream, s, e);
}

/** Literal values without a payload (and the empty string), shared by every node that holds one. */
export const DYNAMIC: LiteralValue = Object.freeze({ kind: 'dynamic' });
export const TRUE: LiteralValue = Object.freeze({ kind: 'bool', value: true });
export const FALSE: LiteralValue = Object.freeze({ kind: 'bool', value: false });
export const NULL: LiteralValue = Object.freeze({ kind: 'null' });
export const UNKNOWN_NUMBER: LiteralValue = Object.freeze({ kind: 'unknown-number' });
export const EMPTY_STRING: LiteralValue = Object.freeze({ kind: 'string', value: '' });

/** A literal: its range is its source and its start. */
export class LiteralNode implements LiteralExpr {
  declare readonly kind: 'literal';
  declare readonly value: LiteralValue;
  declare readonly stream: TokenStream;
  declare readonly s: number;
  declare readonly e: number;

  constructor(value: LiteralValue, stream: TokenStream, s: number, e: number) {
    this.stream = stream;
    this.s = s;
    this.e = e;
    this.value = value;
  }

  get srcRange(): Range {
    return span(this.stream, this.s, this.e);
  }

  get startRange(): Range {
    return span(this.stream, this.s, this.e);
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
 * A quoted string of plain text (`"abc"`, `""`): a template of one string literal,
 * which it builds when `parts` is read (a new array and literal each read). `litS` is
 * the literal's start slot: the text token's, or for `""` the end of the closing quote
 * (an empty range there).
 */
export class StringNode implements TemplateExpr {
  declare readonly kind: 'template';
  declare readonly text: string;
  private declare readonly litS: number;
  declare readonly stream: TokenStream;
  declare readonly s: number;
  declare readonly e: number;

  constructor(text: string, stream: TokenStream, s: number, e: number, litS: number) {
    this.stream = stream;
    this.s = s;
    this.e = e;
    this.text = text;
    this.litS = litS;
  }

  get srcRange(): Range {
    return span(this.stream, this.s, this.e);
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
    return span(this.stream, this.litS, this.litE());
  }
}
kindOn(StringNode, 'template');

/** A template; its start is its first part's (or its own range when it has none). */
export class TemplateNode implements TemplateExpr {
  declare readonly kind: 'template';
  declare readonly parts: readonly Expression[];
  declare readonly stream: TokenStream;
  declare readonly s: number;
  declare readonly e: number;

  constructor(parts: readonly Expression[], stream: TokenStream, s: number, e: number) {
    this.stream = stream;
    this.s = s;
    this.e = e;
    this.parts = parts;
  }

  get srcRange(): Range {
    return span(this.stream, this.s, this.e);
  }

  get startRange(): Range {
    const first = this.parts[0];
    return first ? first.startRange : this.srcRange;
  }
}
kindOn(TemplateNode, 'template');

/** `"${x}"`: its range is its source and its start. */
export class TemplateWrapNode implements TemplateWrapExpr {
  declare readonly kind: 'template-wrap';
  declare readonly wrapped: Expression;
  declare readonly stream: TokenStream;
  declare readonly s: number;
  declare readonly e: number;

  constructor(wrapped: Expression, stream: TokenStream, s: number, e: number) {
    this.stream = stream;
    this.s = s;
    this.e = e;
    this.wrapped = wrapped;
  }

  get srcRange(): Range {
    return span(this.stream, this.s, this.e);
  }

  get startRange(): Range {
    return span(this.stream, this.s, this.e);
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
export class FunctionCallNode implements FunctionCallExpr {
  declare readonly kind: 'function-call';
  declare readonly name: string;
  declare readonly args: readonly Expression[];
  declare readonly expandFinal: boolean;
  private declare readonly nameE: number;
  /** The `(` token's start slot (it is one token). */
  private declare readonly openS: number;
  private declare readonly closeS: number;
  declare readonly stream: TokenStream;
  declare readonly s: number;
  declare readonly e: number;

  constructor(name: string, args: readonly Expression[], expandFinal: boolean, stream: TokenStream, s: number, nameE: number, openS: number, closeS: number, e: number) {
    this.stream = stream;
    this.s = s;
    this.e = e;
    this.name = name;
    this.args = args;
    this.expandFinal = expandFinal;
    this.nameE = nameE;
    this.openS = openS;
    this.closeS = closeS;
  }

  get srcRange(): Range {
    return span(this.stream, this.s, this.e);
  }

  get startRange(): Range {
    return span(this.stream, this.s, this.openS + 1);
  }

  get nameRange(): Range {
    return span(this.stream, this.s, this.nameE);
  }

  get openParenRange(): Range {
    return span(this.stream, this.openS, this.openS + 1);
  }

  get closeParenRange(): Range {
    return span(this.stream, this.closeS, this.e);
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

/** `{ ... }` */
export class ObjectConsNode implements ObjectConsExpr {
  declare readonly kind: 'object-cons';
  declare readonly items: readonly ObjectConsItem[];
  declare readonly stream: TokenStream;
  declare readonly s: number;
  declare readonly e: number;

  constructor(items: readonly ObjectConsItem[], stream: TokenStream, s: number, e: number) {
    this.stream = stream;
    this.s = s;
    this.e = e;
    this.items = items;
  }

  get srcRange(): Range {
    return span(this.stream, this.s, this.e);
  }

  get startRange(): Range {
    return span(this.stream, this.s, this.s + 1);
  }

  get openRange(): Range {
    return span(this.stream, this.s, this.s + 1);
  }
}
kindOn(ObjectConsNode, 'object-cons');

/** `[ ... ]` */
export class TupleConsNode implements TupleConsExpr {
  declare readonly kind: 'tuple-cons';
  declare readonly exprs: readonly Expression[];
  declare readonly stream: TokenStream;
  declare readonly s: number;
  declare readonly e: number;

  constructor(exprs: readonly Expression[], stream: TokenStream, s: number, e: number) {
    this.stream = stream;
    this.s = s;
    this.e = e;
    this.exprs = exprs;
  }

  get srcRange(): Range {
    return span(this.stream, this.s, this.e);
  }

  get startRange(): Range {
    return span(this.stream, this.s, this.s + 1);
  }

  get openRange(): Range {
    return span(this.stream, this.s, this.s + 1);
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
