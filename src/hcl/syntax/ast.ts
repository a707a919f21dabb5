/**
 * The native-syntax AST: closed discriminated unions on `kind`, one node per
 * hclsyntax node type. Every expression carries `srcRange` (all of its source) and
 * `startRange` (what HCL's `StartRange()` returns: the part to underline when the
 * expression as a whole is the subject). Literal values are held without cty: the
 * evaluator turns them into values.
 */
import type { Diagnostic } from '../diagnostic.js';
import type { Range } from '../pos.js';

/** A literal value, as written in the source. */
export type LiteralValue =
  /** A number literal, as its exact source text (e.g. `1.5e3`). */
  | { readonly kind: 'number'; readonly text: string }
  /** A string with all escapes already decoded. */
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  /** `null`: a null of dynamic type. */
  | { readonly kind: 'null' }
  /** The placeholder the parser puts where an expression was invalid (cty.DynamicVal). */
  | { readonly kind: 'dynamic' }
  /** An unparseable number literal (cty.UnknownVal(cty.Number)); a diagnostic was reported. */
  | { readonly kind: 'unknown-number' };

/** One step of a traversal (hcl.Traverser). */
export type Traverser =
  | { readonly kind: 'root'; readonly name: string; readonly srcRange: Range }
  | { readonly kind: 'attr'; readonly name: string; readonly srcRange: Range }
  /** `[key]` with a literal key, or the legacy `.0` form. */
  | { readonly kind: 'index'; readonly key: LiteralValue; readonly srcRange: Range }
  /** `[*]`: only in traversals from `parseTraversalPartial`. */
  | { readonly kind: 'splat'; readonly srcRange: Range };

export type Traversal = readonly Traverser[];

interface ExprBase {
  readonly srcRange: Range;
  readonly startRange: Range;
}

export interface LiteralExpr extends ExprBase {
  readonly kind: 'literal';
  readonly value: LiteralValue;
}

/** A template with literal parts and interpolations, e.g. `"a${b}c"`; parts are never empty. */
export interface TemplateExpr extends ExprBase {
  readonly kind: 'template';
  readonly parts: readonly Expression[];
}

/** A template that is a single interpolation (`"${x}"`): its value is `wrapped`'s, unconverted. */
export interface TemplateWrapExpr extends ExprBase {
  readonly kind: 'template-wrap';
  readonly wrapped: Expression;
}

/** A `%{for}` directive: the tuple built by `tuple` is joined into a string. */
export interface TemplateJoinExpr extends ExprBase {
  readonly kind: 'template-join';
  readonly tuple: ForExpr;
}

/** A variable and the steps after it: `var.foo[0].bar`. */
export interface ScopeTraversalExpr extends ExprBase {
  readonly kind: 'scope-traversal';
  /** Starts with a `root` step. */
  readonly traversal: Traversal;
}

/** Static steps applied to any other expression: `f(x).a[0]`. */
export interface RelativeTraversalExpr extends ExprBase {
  readonly kind: 'relative-traversal';
  readonly source: Expression;
  readonly traversal: Traversal;
}

export interface FunctionCallExpr extends ExprBase {
  readonly kind: 'function-call';
  /** The name; namespaced calls keep the separators: `provider::ns::fn`. */
  readonly name: string;
  readonly args: readonly Expression[];
  /** True when the final argument is followed by `...`. */
  readonly expandFinal: boolean;
  readonly nameRange: Range;
  readonly openParenRange: Range;
  /** The `)`; when the call is unterminated, the range of wherever recovery stopped. */
  readonly closeParenRange: Range;
}

export interface ConditionalExpr extends ExprBase {
  readonly kind: 'conditional';
  readonly condition: Expression;
  readonly trueResult: Expression;
  readonly falseResult: Expression;
}

/** Binary operators in their source spelling, with HCL's precedence (see `BINARY_PRECEDENCE`). */
export type BinaryOperator = '||' | '&&' | '==' | '!=' | '>' | '>=' | '<' | '<=' | '+' | '-' | '*' | '/' | '%';

export interface BinaryOpExpr extends ExprBase {
  readonly kind: 'binary-op';
  readonly op: BinaryOperator;
  readonly lhs: Expression;
  readonly rhs: Expression;
}

/** `-x` (`negate`) or `!x` (`not`). */
export interface UnaryOpExpr extends ExprBase {
  readonly kind: 'unary-op';
  readonly op: 'negate' | 'not';
  readonly operand: Expression;
  readonly symbolRange: Range;
}

export interface ObjectConsItem {
  readonly key: ObjectConsKeyExpr;
  readonly value: Expression;
}

export interface ObjectConsExpr extends ExprBase {
  readonly kind: 'object-cons';
  readonly items: readonly ObjectConsItem[];
  readonly openRange: Range;
}

/**
 * An object constructor key. A bare identifier (a single-step scope traversal) is the
 * string of its name unless `forceNonLiteral` (the key was written in parentheses).
 */
export interface ObjectConsKeyExpr extends ExprBase {
  readonly kind: 'object-cons-key';
  readonly wrapped: Expression;
  readonly forceNonLiteral: boolean;
}

export interface TupleConsExpr extends ExprBase {
  readonly kind: 'tuple-cons';
  readonly exprs: readonly Expression[];
  readonly openRange: Range;
}

/** `[for k, v in coll : v if cond]` or `{for k, v in coll : k => v... if cond}`. */
export interface ForExpr extends ExprBase {
  readonly kind: 'for';
  /** `undefined` when only a value variable is declared. */
  readonly keyVar: string | undefined;
  readonly valVar: string;
  readonly collExpr: Expression;
  /** `undefined` for a tuple `for`. */
  readonly keyExpr: Expression | undefined;
  readonly valExpr: Expression;
  readonly condExpr: Expression | undefined;
  /** The grouping `...` after the value (objects only). */
  readonly group: boolean;
  readonly openRange: Range;
  readonly closeRange: Range;
}

/**
 * `source[*].a.b` (full splat) or `source.*.a` (attribute-only splat): `each` is
 * evaluated once per element with `item` standing for the element.
 */
export interface SplatExpr extends ExprBase {
  readonly kind: 'splat';
  readonly source: Expression;
  readonly each: Expression;
  readonly item: AnonSymbolExpr;
  readonly markerRange: Range;
}

/** The element placeholder inside a splat's `each`. Identity matters: compare by reference. */
export interface AnonSymbolExpr extends ExprBase {
  readonly kind: 'anon-symbol';
}

/** `collection[key]` where the key is not a literal (literal keys become traversal steps). */
export interface IndexExpr extends ExprBase {
  readonly kind: 'index';
  readonly collection: Expression;
  readonly key: Expression;
  readonly openRange: Range;
  readonly bracketRange: Range;
}

export interface ParenthesesExpr extends ExprBase {
  readonly kind: 'parentheses';
  readonly expression: Expression;
}

/** Where the parser could not build an expression; evaluates to an unknown. */
export interface SyntaxErrorExpr extends ExprBase {
  readonly kind: 'syntax-error';
  readonly parseDiagnostics: readonly Diagnostic[];
}

export type Expression =
  | LiteralExpr
  | TemplateExpr
  | TemplateWrapExpr
  | TemplateJoinExpr
  | ScopeTraversalExpr
  | RelativeTraversalExpr
  | FunctionCallExpr
  | ConditionalExpr
  | BinaryOpExpr
  | UnaryOpExpr
  | ObjectConsExpr
  | ObjectConsKeyExpr
  | TupleConsExpr
  | ForExpr
  | SplatExpr
  | AnonSymbolExpr
  | IndexExpr
  | ParenthesesExpr
  | SyntaxErrorExpr;

export interface Attribute {
  readonly kind: 'attribute';
  readonly name: string;
  readonly expr: Expression;
  readonly srcRange: Range;
  readonly nameRange: Range;
  readonly equalsRange: Range;
}

export interface Block {
  readonly kind: 'block';
  readonly type: string;
  /** Decoded label strings (quoted labels unescaped). */
  readonly labels: readonly string[];
  readonly body: Body;
  /** From the type name to the closing brace. */
  readonly srcRange: Range;
  readonly typeRange: Range;
  readonly labelRanges: readonly Range[];
  readonly openBraceRange: Range;
  readonly closeBraceRange: Range;
}

export interface Body {
  readonly kind: 'body';
  /** By name, in source order; a redefined attribute is reported and kept out. */
  readonly attributes: ReadonlyMap<string, Attribute>;
  /** In source order. */
  readonly blocks: readonly Block[];
  readonly srcRange: Range;
  /** Zero-length range at the body's end (after the closing brace's start, or EOF). */
  readonly endRange: Range;
}

/** Any AST node. */
export type Node = Expression | Attribute | Block | Body;
