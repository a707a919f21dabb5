/**
 * The spacing rules between two tokens on one line, as hclwrite's formatter applies
 * them: whether a token is followed by one space or none.
 */
import type { TokenType } from '../syntax/token.js';

/** +1 for a token that opens a bracket (including `${` and `%{`), -1 for one that closes it. */
export function bracketChange(type: TokenType): number {
  switch (type) {
    case 'OBrace':
    case 'OBrack':
    case 'OParen':
    case 'TemplateControl':
    case 'TemplateInterp':
      return 1;
    case 'CBrace':
    case 'CBrack':
    case 'CParen':
    case 'TemplateSeqEnd':
      return -1;
    default:
      return 0;
  }
}

/** Token types after which a `-` must be a negation rather than a subtraction. */
const NEGATION_CONTEXT: ReadonlySet<TokenType> = new Set<TokenType>([
  'Nil',
  'OParen', 'OBrace', 'OBrack', 'Equal', 'Colon', 'Comma', 'Question',
  'Plus', 'Star', 'Slash', 'Percent', 'Minus',
  'EqualOp', 'NotEqual', 'GreaterThan', 'GreaterThanEq', 'LessThan', 'LessThanEq',
  'And', 'Or', 'Bang',
]);

function isTemplateText(type: TokenType): boolean {
  return type === 'QuotedLit' || type === 'StringLit';
}

/**
 * Whether a token of type `s` (text `text`) is followed by a space when a token of
 * type `before` precedes it and one of type `a` follows it on the same line. `before`
 * is `Nil` at the start of a cell. The first rule that applies decides.
 */
export function spaceAfterToken(s: TokenType, text: string, before: TokenType, a: TokenType): boolean {
  if (a === 'Newline' || a === 'Nil') return false;
  if (s === 'Ident' && (a === 'OParen' || a === 'DoubleColon')) return false;
  if (s === 'DoubleColon' && a === 'Ident') return false;
  if (s === 'Dot' || a === 'Dot') return false;
  if (a === 'Comma' || a === 'Ellipsis') return false;
  if (s === 'Comma') return true;
  if (isTemplateText(s) || s === 'OQuote' || s === 'OHeredoc' || isTemplateText(a) || a === 'CQuote' || a === 'CHeredoc') {
    return false;
  }
  // `in` after an identifier is the keyword of a for expression, not a reference:
  // keep `in [foo]` apart so it does not read as an index.
  if (s === 'Ident' && text === 'in' && before === 'Ident') return true;
  if (a === 'OBrack' && (s === 'Ident' || s === 'NumberLit' || bracketChange(s) < 0)) return false;
  if (s === 'Bang') return false;
  if (s === 'Minus') return !NEGATION_CONTEXT.has(before);
  if (s === 'OBrace' || a === 'CBrace') return !(s === 'OBrace' && a === 'CBrace');
  // `${ {a = b} }`: keep a lone object constructor apart from the interpolation markers.
  if ((s === 'TemplateInterp' || s === 'TemplateControl') && a === 'OBrace') return true;
  if (s === 'CBrace' && a === 'TemplateSeqEnd') return true;
  if (s === 'TemplateSeqEnd' && (a === 'TemplateInterp' || a === 'TemplateControl')) return false;
  if (bracketChange(s) > 0) return false;
  if (bracketChange(a) < 0) return false;
  return true;
}
