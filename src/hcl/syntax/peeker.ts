/**
 * The parser's view of the token stream (hclsyntax's peeker plus its recovery
 * helpers): comments are skipped, newlines are significant or not depending on a
 * stack the parser pushes and pops, and a recovery flag suppresses follow-on errors.
 */
import type { Range } from '../pos.js';
import type { Token, TokenType } from './token.js';
import type { TokenStream } from './token-stream.js';
import { TYPE_NAMES, tokenTypeCode } from './token-stream.js';

const COMMENT = tokenTypeCode('Comment');
const NEWLINE = tokenTypeCode('Newline');

export class Peeker {
  /**
   * Index in the stream after the last token read. Subclasses may move it over tokens
   * they read directly where no comment or newline can occur (inside quotes).
   */
  protected next = 0;
  private readonly includeNewlines: boolean[] = [true];
  /** The top of `includeNewlines` (read by every `find`). */
  private withNewlines = true;
  /** Set once any recovery was attempted; used to keep follow-on errors quiet. */
  recovery = false;

  constructor(protected readonly tokens: TokenStream) {}

  /** Index after the token the last `nextToken` call returned. */
  private after = 0;
  /** The parser peeks at the same token many times: the last token object built, by index. */
  private cachedIndex = -1;
  private cachedToken: Token | undefined = undefined;

  /** Whether the token `find` found is a line comment standing in for a newline. */
  private commentNewline = false;

  /**
   * The index of the next token the parser sees (comments skipped, newlines too unless
   * they matter), setting `after` to the index after it.
   */
  private find(): number {
    const tokens = this.tokens;
    const codes = tokens.codes;
    const n = tokens.length;
    const withNewlines = this.withNewlines;
    this.commentNewline = false;
    let i = this.next;
    for (; i < n; i++) {
      const code = codes[i];
      if (code === COMMENT) {
        // A line comment ends its line: when newlines matter, it stands in for one.
        if (withNewlines && tokens.src.charCodeAt((tokens.ends[i] ?? 0) - 1) === 10) {
          this.commentNewline = true;
          break;
        }
        continue;
      }
      if (code === NEWLINE && !withNewlines) continue;
      break;
    }
    if (i >= n) i = n - 1;
    this.after = i + 1;
    return i;
  }

  private nextToken(): Token {
    const i = this.find();
    if (this.commentNewline) return { type: 'Newline', text: '\n', range: this.tokens.range(i) };
    if (i !== this.cachedIndex || this.cachedToken === undefined) {
      this.cachedIndex = i;
      this.cachedToken = this.tokens.token(i);
    }
    return this.cachedToken;
  }

  peek(): Token {
    return this.nextToken();
  }

  /** The type of the token `peek` would return, without making the token object. */
  peekType(): TokenType {
    const i = this.find();
    return this.commentNewline ? 'Newline' : TYPE_NAMES[this.tokens.codes[i] ?? 0] ?? 'EOF';
  }

  read(): Token {
    const tok = this.nextToken();
    this.next = this.after;
    return tok;
  }

  /** Reads the next token without making its object (`read` whose result is not needed). */
  skip(): void {
    this.find();
    this.next = this.after;
  }

  /**
   * The index in the stream of the token `peek` would return (its type is `peekType`'s;
   * for a line comment standing in for a newline, the comment's index). Its range is
   * `tokens.range(i)`, as the token object's would be.
   */
  peekIndex(): number {
    return this.find();
  }

  /** Reads the next token and returns its index, without making the token object. */
  readIndex(): number {
    const i = this.find();
    this.next = this.after;
    return i;
  }

  /** The index whose range `prevRange` returns: the last token read (the next one before any). */
  prevIndex(): number {
    return this.next === 0 ? this.find() : this.next - 1;
  }

  /** The stream the parser reads. */
  stream(): TokenStream {
    return this.tokens;
  }

  nextRange(): Range {
    return this.peek().range;
  }

  prevRange(): Range {
    if (this.next === 0) return this.nextRange();
    return this.tokens.range(this.next - 1);
  }

  pushIncludeNewlines(include: boolean): void {
    this.includeNewlines.push(include);
    this.withNewlines = include;
  }

  popIncludeNewlines(): void {
    const stack = this.includeNewlines;
    if (stack.length > 1) stack.pop();
    this.withNewlines = stack[stack.length - 1] ?? true;
  }

  setRecovery(): void {
    this.recovery = true;
  }

  /**
   * Skips to the `end` token that closes the current bracket (counting nested
   * pairs) and returns it, leaving the peeker after it; stops at EOF.
   */
  recover(end: TokenType): Token {
    const start = oppositeBracket(end);
    this.recovery = true;
    let nest = 0;
    for (;;) {
      const tok = this.read();
      let ty = tok.type;
      if (end === 'TemplateSeqEnd' && ty === 'TemplateControl') ty = 'TemplateInterp';
      if (ty === start) nest++;
      else if (ty === end) {
        if (nest < 1) return tok;
        nest--;
      } else if (ty === 'EOF') return tok;
    }
  }

  /** Skips to the next `start` bracket, then past its matching close. */
  recoverOver(start: TokenType): void {
    for (;;) {
      const tok = this.read();
      if (tok.type === start || tok.type === 'EOF') break;
    }
    this.recover(oppositeBracket(start));
  }

  /** Skips to the newline that ends the current body item, honouring open brackets. */
  recoverAfterBodyItem(): void {
    this.recovery = true;
    const open: TokenType[] = [];
    for (;;) {
      const tok = this.read();
      switch (tok.type) {
        case 'Newline':
          if (open.length === 0) return;
          break;
        case 'EOF':
          return;
        case 'OBrace': case 'OBrack': case 'OParen': case 'OQuote': case 'OHeredoc':
        case 'TemplateInterp': case 'TemplateControl':
          open.push(tok.type);
          break;
        case 'CBrace': case 'CBrack': case 'CParen': case 'CQuote': case 'CHeredoc': {
          const opener = oppositeBracket(tok.type);
          while (open.length > 0 && open[open.length - 1] !== opener) open.pop();
          open.pop();
          break;
        }
        case 'TemplateSeqEnd': {
          while (open.length > 0 && open[open.length - 1] !== 'TemplateInterp' && open[open.length - 1] !== 'TemplateControl') open.pop();
          open.pop();
          break;
        }
        default:
          break;
      }
    }
  }
}

/** The other end of a bracketing token, or `Nil`. */
export function oppositeBracket(ty: TokenType): TokenType {
  switch (ty) {
    case 'OBrace': return 'CBrace';
    case 'OBrack': return 'CBrack';
    case 'OParen': return 'CParen';
    case 'OQuote': return 'CQuote';
    case 'OHeredoc': return 'CHeredoc';
    case 'CBrace': return 'OBrace';
    case 'CBrack': return 'OBrack';
    case 'CParen': return 'OParen';
    case 'CQuote': return 'OQuote';
    case 'CHeredoc': return 'OHeredoc';
    case 'TemplateControl': return 'TemplateSeqEnd';
    case 'TemplateInterp': return 'TemplateSeqEnd';
    // Ambiguous, but `recover` counts both openers as interpolations.
    case 'TemplateSeqEnd': return 'TemplateInterp';
    default: return 'Nil';
  }
}
