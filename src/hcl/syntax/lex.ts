/**
 * The public lexing entry points (hclsyntax's LexConfig / LexExpression / LexTemplate):
 * the complete token stream, comments and newlines included, for tools such as the
 * formatter, plus diagnostics for tokens that never belong in HCL source.
 */
import type { Diagnostic } from '../diagnostic.js';
import { errorDiag } from '../diagnostic.js';
import type { Pos } from '../pos.js';
import { INITIAL_POS } from '../pos.js';
import { scanTokens } from './scanner.js';
import type { Token, TokenType } from './token.js';
import type { TokenStream } from './token-stream.js';
import { tokenTypeCode } from './token-stream.js';

/** Tokens plus the diagnostics of `invalidTokenDiagnostics`. */
export interface LexResult {
  /** The tokens as objects, built on first access (the parser reads `stream`). */
  readonly tokens: Token[];
  /** The same tokens in compact form. */
  readonly stream: TokenStream;
  readonly diagnostics: Diagnostic[];
}

class Lexed implements LexResult {
  private array: Token[] | undefined = undefined;
  readonly diagnostics: Diagnostic[];

  constructor(readonly stream: TokenStream) {
    this.diagnostics = invalidTokenDiagnostics(stream);
  }

  get tokens(): Token[] {
    return (this.array ??= this.stream.toArray());
  }
}

/** Scans a whole config file (normal mode). */
export function lexConfig(src: string, filename = '', start: Pos = INITIAL_POS): LexResult {
  return new Lexed(scanTokens(src, filename, start, 'normal'));
}

/** Scans a standalone expression; the same as `lexConfig` (HCL has no separate mode). */
export function lexExpression(src: string, filename = '', start: Pos = INITIAL_POS): LexResult {
  return lexConfig(src, filename, start);
}

/** Scans a bare template (the contents of a template file, no surrounding quotes). */
export function lexTemplate(src: string, filename = '', start: Pos = INITIAL_POS): LexResult {
  return new Lexed(scanTokens(src, filename, start, 'template'));
}

const INVALID_TYPES: readonly TokenType[] = [
  'BitwiseAnd', 'BitwiseOr', 'BitwiseXor', 'BitwiseNot', 'StarStar', 'Backtick', 'Apostrophe', 'Semicolon', 'Tabs', 'BadUTF8', 'QuotedNewline', 'Invalid',
];
/** 1 at the code of each of INVALID_TYPES (the loop below reads codes, not names). */
const INVALID_CODES = new Uint8Array(256);
for (const t of INVALID_TYPES) INVALID_CODES[tokenTypeCode(t)] = 1;

/**
 * Diagnostics for tokens that should never appear in HCL (bitwise operators, quotes
 * from other languages, `;`, bad encoding, ...), limiting repetition as HCL does.
 */
export function invalidTokenDiagnostics(stream: TokenStream): Diagnostic[] {
  const diags: Diagnostic[] = [];
  let bitwise = 0, exponent = 0, backtick = 0, apostrophe = 0, semicolon = 0, tabs = 0, badUtf8 = 0;
  const codes = stream.codes;
  for (let i = 0; i < stream.length; i++) {
    if (INVALID_CODES[codes[i] ?? 0] === 0) continue;
    const tok = stream.token(i);
    const r = tok.range;
    switch (tok.type) {
      case 'BitwiseAnd':
      case 'BitwiseOr':
      case 'BitwiseXor':
      case 'BitwiseNot':
        if (bitwise < 4) {
          const hint =
            tok.type === 'BitwiseAnd' ? ' Did you mean boolean AND ("&&")?'
            : tok.type === 'BitwiseOr' ? ' Did you mean boolean OR ("||")?'
            : tok.type === 'BitwiseNot' ? ' Did you mean boolean NOT ("!")?'
            : '';
          diags.push(errorDiag('Unsupported operator', `Bitwise operators are not supported.${hint}`, r));
          bitwise++;
        }
        break;
      case 'StarStar':
        if (exponent < 1) {
          diags.push(errorDiag('Unsupported operator', '"**" is not a supported operator. Exponentiation is not supported as an operator.', r));
          exponent++;
        }
        break;
      case 'Backtick':
        // Every other one only, so a `quoted` string is reported once.
        if (backtick % 2 === 0) {
          diags.push(errorDiag('Invalid character', 'The "`" character is not valid. To create a multi-line string, use the "heredoc" syntax, like "<<EOT".', r));
        }
        if (backtick <= 2) backtick++;
        break;
      case 'Apostrophe':
        if (apostrophe % 2 === 0) {
          diags.push(errorDiag('Invalid character', 'Single quotes are not valid. Use double quotes (") to enclose strings.', r));
        }
        if (apostrophe <= 2) apostrophe++;
        break;
      case 'Semicolon':
        if (semicolon < 1) {
          diags.push(errorDiag('Invalid character', 'The ";" character is not valid. Use newlines to separate arguments and blocks, and commas to separate items in collection values.', r));
          semicolon++;
        }
        break;
      case 'Tabs':
        if (tabs < 1) {
          diags.push(errorDiag('Invalid character', 'Tab characters may not be used. The recommended indentation style is two spaces per indent.', r));
          tabs++;
        }
        break;
      case 'BadUTF8':
        if (badUtf8 < 1) {
          diags.push(errorDiag('Invalid character encoding', 'All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor.', r));
          badUtf8++;
        }
        break;
      case 'QuotedNewline':
        diags.push(errorDiag('Invalid multi-line string', 'Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \\n escape to represent a newline character or use the "heredoc" multi-line template syntax.', r));
        break;
      case 'Invalid':
        if (tok.text === '\u201c' || tok.text === '\u201d') {
          diags.push(errorDiag('Invalid character', '"Curly quotes" are not valid here. These can sometimes be inadvertently introduced when sharing code via documents or discussion forums. It might help to replace the character with a "straight quote".', r));
        } else {
          diags.push(errorDiag('Invalid character', 'This character is not used within the language.', r));
        }
        break;
      default:
        break;
    }
  }
  return diags;
}
