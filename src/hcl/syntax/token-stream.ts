/**
 * The scanner's output in parallel arrays: per token its type and its UTF-16 offsets in
 * the source. A 5 MB file has close to a million tokens; keeping them as four objects
 * each (token, range, two positions) made garbage collection the largest cost of
 * parsing, so {@link Token} objects, their text and their ranges are only built when
 * someone asks ({@link TokenStream.token}).
 *
 * Positions (line, column in grapheme clusters, UTF-8 byte offset) are computed when a
 * range is read. In an ASCII source a position is a function of the offset alone (one
 * column per code unit, one byte per code unit, a line per `\n`), found from a table of
 * line starts built on the first read. Only a source with other characters pays for a
 * table of positions filled while scanning, where columns follow hclsyntax's rules
 * token by token (grapheme clusters never span two tokens).
 */
import type { Pos, Range } from '../pos.js';
import type { Token, TokenType } from './token.js';
import { TokenRange } from './token-range.js';

/**
 * Every token type, indexed by the code a stream stores for it (`EOF` first: a zeroed
 * slot reads as EOF). `TYPE_NAMES[stream.codes[i]]` is `stream.type(i)` for the parser's
 * hottest reads.
 */
export const TYPE_NAMES = [
  'EOF', 'OBrace', 'CBrace', 'OBrack', 'CBrack', 'OParen', 'CParen', 'OQuote', 'CQuote', 'OHeredoc',
  'CHeredoc', 'Star', 'Slash', 'Plus', 'Minus', 'Percent', 'Equal', 'EqualOp', 'NotEqual',
  'LessThan', 'LessThanEq', 'GreaterThan', 'GreaterThanEq', 'And', 'Or', 'Bang', 'Dot', 'Comma',
  'DoubleColon', 'Ellipsis', 'FatArrow', 'Question', 'Colon', 'TemplateInterp', 'TemplateControl',
  'TemplateSeqEnd', 'QuotedLit', 'StringLit', 'NumberLit', 'Ident', 'Comment', 'Newline',
  'BitwiseAnd', 'BitwiseOr', 'BitwiseNot', 'BitwiseXor', 'StarStar', 'Apostrophe', 'Backtick',
  'Semicolon', 'Tabs', 'Invalid', 'BadUTF8', 'QuotedNewline', 'Nil',
] as const satisfies readonly TokenType[];
/** Compile-time check that every token type has a code. */
const EVERY_TYPE_HAS_A_CODE: [Exclude<TokenType, (typeof TYPE_NAMES)[number]>] extends [never] ? true : false = true;
void EVERY_TYPE_HAS_A_CODE;
const CODES = new Map<TokenType, number>(TYPE_NAMES.map((t, i) => [t, i]));

const IDENT = CODES.get('Ident');
/** Size of a stream's name cache (a power of two). */
const NAME_SLOTS = 512;

/** The code a {@link TokenStream} stores for `type` (for loops that compare codes). */
export function tokenTypeCode(type: TokenType): number {
  return CODES.get(type) ?? 0;
}

/** Offsets just after each `\n` of `src`, in order. */
function lineStarts(src: string): Int32Array {
  let count = 0;
  for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) count++;
  const starts = new Int32Array(count);
  let k = 0;
  for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) starts[k++] = i + 1;
  return starts;
}

export class TokenStream {
  /** Number of tokens (the last one is always `EOF` once scanning is done). */
  length = 0;
  /**
   * Token types as codes ({@link tokenTypeCode}; {@link type} gives the name): a byte
   * each, where an array of names cost the scanner a third of its time to grow.
   */
  codes: Uint8Array;
  /** UTF-16 offsets of each token's first and after-last code unit in `src`. */
  starts: Int32Array;
  ends: Int32Array;
  /**
   * Start and end positions (line, column, byte) per token, six numbers a token, when
   * positions cannot be computed from offsets ({@link pushAt}); otherwise undefined.
   */
  private pos: Int32Array | undefined;
  /** Recently read names, by a hash of length and end characters (see {@link text}). */
  private names: string[] | undefined = undefined;
  /** Offsets where lines 2, 3, ... start; built on the first position read. */
  private lines: Int32Array | undefined = undefined;

  /**
   * `start` is the position of `src`'s first code unit. With `positionTable` the scanner
   * records each token's positions ({@link pushAt}); without, `src` must be all ASCII.
   */
  constructor(
    readonly src: string,
    readonly filename: string,
    private readonly start: Pos,
    positionTable: boolean,
  ) {
    const capacity = Math.max(16, src.length >> 2);
    this.codes = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.pos = positionTable ? new Int32Array(capacity * 6) : undefined;
  }

  private grow(): void {
    const capacity = this.starts.length * 2;
    const codes = new Uint8Array(capacity);
    codes.set(this.codes);
    this.codes = codes;
    const starts = new Int32Array(capacity);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(capacity);
    ends.set(this.ends);
    this.ends = ends;
    if (this.pos) {
      const pos = new Int32Array(capacity * 6);
      pos.set(this.pos);
      this.pos = pos;
    }
  }

  /**
   * Shrinks the arrays to the tokens scanned when more than half is unused (once scanning
   * is done; `push` grows them again). Copying costs about as much as scanning a tenth
   * of the file, so a usual file (a token per 4 to 6 characters) keeps its arrays.
   */
  trim(): void {
    const n = this.length;
    if (this.starts.length - n < Math.max(1024, n)) return;
    this.codes = this.codes.slice(0, n);
    this.starts = this.starts.slice(0, n);
    this.ends = this.ends.slice(0, n);
    if (this.pos) this.pos = this.pos.slice(0, n * 6);
  }

  /** Appends a token by code (used by the scanner when positions come from offsets). */
  push(code: number, s: number, e: number): void {
    const i = this.length;
    if (i === this.starts.length) this.grow();
    this.codes[i] = code;
    this.starts[i] = s;
    this.ends[i] = e;
    this.length = i + 1;
  }

  /** Appends a token with its positions (used by the scanner for a stream with a position table). */
  pushAt(code: number, s: number, e: number, sLine: number, sCol: number, sByte: number, eLine: number, eCol: number, eByte: number): void {
    const i = this.length;
    this.push(code, s, e);
    const pos = this.pos;
    if (pos === undefined) return;
    const k = i * 6;
    pos[k] = sLine;
    pos[k + 1] = sCol;
    pos[k + 2] = sByte;
    pos[k + 3] = eLine;
    pos[k + 4] = eCol;
    pos[k + 5] = eByte;
  }

  type(i: number): TokenType {
    return TYPE_NAMES[this.codes[i] ?? 0] ?? 'EOF';
  }

  /**
   * Token `i`'s source text. Names (`Ident` tokens) come through a small direct-mapped
   * cache of the stream's recent names, so a name that repeats (`type`, `default`,
   * `var`, `string` ...: most of a tree's names) is one string, compared in place
   * instead of sliced again.
   */
  text(i: number): string {
    const s = this.starts[i] ?? 0;
    const e = this.ends[i] ?? 0;
    const src = this.src;
    if (this.codes[i] !== IDENT) return src.slice(s, e);
    const len = e - s;
    const slot = (len * 31 + src.charCodeAt(s) * 7 + src.charCodeAt(e - 1)) & (NAME_SLOTS - 1);
    const names = (this.names ??= new Array<string>(NAME_SLOTS).fill(''));
    const known = names[slot] ?? '';
    if (known.length === len && src.startsWith(known, s)) return known;
    const t = src.slice(s, e);
    names[slot] = t;
    return t;
  }

  /** Position slot `slot` (token index * 2, plus 1 for its end) as a `Pos`. */
  slotPos(slot: number): Pos {
    const pos = this.pos;
    if (pos) {
      const k = slot * 3;
      return { line: pos[k] ?? 0, column: pos[k + 1] ?? 0, byte: pos[k + 2] ?? 0 };
    }
    const i = slot >> 1;
    return this.posAt((slot & 1 ? this.ends[i] : this.starts[i]) ?? 0);
  }

  /** The position of offset `off` of an ASCII source. */
  private posAt(off: number): Pos {
    const lines = (this.lines ??= lineStarts(this.src));
    // How many lines start at or before `off`.
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((lines[mid] ?? 0) <= off) lo = mid + 1;
      else hi = mid;
    }
    const start = this.start;
    const column = lo === 0 ? start.column + off : off - (lines[lo - 1] ?? 0) + 1;
    return { line: start.line + lo, column, byte: start.byte + off };
  }

  /** Token `i`'s range: a {@link TokenRange}, whose positions are read from this stream. */
  range(i: number): Range {
    return new TokenRange(this, i * 2, i * 2 + 1);
  }

  /** Token `i` as an object (a new view each call; its text and range are built on first use). */
  token(i: number): Token {
    return new StreamToken(this.type(i), this, i);
  }

  /** Every token as an object (what `lexConfig` used to return eagerly). */
  toArray(): Token[] {
    const out = new Array<Token>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.token(i);
    return out;
  }
}

/**
 * A {@link Token} read from a {@link TokenStream}; text and range are computed once, on
 * demand. Fields are `declare`d and set in the constructor (no per-object field
 * initializer call: the parser makes one of these for most tokens).
 */
export class StreamToken implements Token {
  declare readonly type: TokenType;
  declare readonly stream: TokenStream;
  declare readonly index: number;
  private declare cachedText: string | undefined;
  private declare cachedRange: Range | undefined;

  constructor(type: TokenType, stream: TokenStream, index: number) {
    this.type = type;
    this.stream = stream;
    this.index = index;
    this.cachedText = undefined;
    this.cachedRange = undefined;
  }

  get text(): string {
    return (this.cachedText ??= this.stream.text(this.index));
  }

  get range(): Range {
    return (this.cachedRange ??= this.stream.range(this.index));
  }
}
