/**
 * Tokens of HCL's native syntax, as hclsyntax's scanner produces them. The type names
 * are hclsyntax's `Token*` constants without the prefix, so the formatter and the
 * parser read like their Go counterparts.
 */
import type { Range } from '../pos.js';

/** Every token type the scanner can produce (plus `Nil`, which it never produces). */
export type TokenType =
  | 'OBrace' | 'CBrace' | 'OBrack' | 'CBrack' | 'OParen' | 'CParen'
  | 'OQuote' | 'CQuote' | 'OHeredoc' | 'CHeredoc'
  | 'Star' | 'Slash' | 'Plus' | 'Minus' | 'Percent'
  | 'Equal' | 'EqualOp' | 'NotEqual' | 'LessThan' | 'LessThanEq' | 'GreaterThan' | 'GreaterThanEq'
  | 'And' | 'Or' | 'Bang'
  | 'Dot' | 'Comma'
  | 'DoubleColon' | 'Ellipsis' | 'FatArrow'
  | 'Question' | 'Colon'
  /** `${` or `${~` */
  | 'TemplateInterp'
  /** `%{` or `%{~` */
  | 'TemplateControl'
  /** `}` or `~}` closing an interpolation or directive */
  | 'TemplateSeqEnd'
  /** Literal text inside a quoted string; may contain backslash escapes. */
  | 'QuotedLit'
  /** Literal text of a heredoc or bare template; no backslash escapes. */
  | 'StringLit'
  | 'NumberLit' | 'Ident'
  /** A comment; `#` and `//` comments include their terminating newline. */
  | 'Comment'
  | 'Newline' | 'EOF'
  // Recognised only to give good diagnostics: not part of the language.
  | 'BitwiseAnd' | 'BitwiseOr' | 'BitwiseNot' | 'BitwiseXor' | 'StarStar'
  | 'Apostrophe' | 'Backtick' | 'Semicolon' | 'Tabs'
  | 'Invalid' | 'BadUTF8' | 'QuotedNewline'
  | 'Nil';

/** One token: its type, its exact source text and where it is. */
export interface Token {
  readonly type: TokenType;
  /** The source text of the token, exactly (UTF-8 bytes are `Buffer.from(text)`). */
  readonly text: string;
  readonly range: Range;
}

/** How hclsyntax names token types in messages (`TokenType.String()` style is not user-facing). */
export function tokenTypeName(t: TokenType): string {
  return `Token${t}`;
}
