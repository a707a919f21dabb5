/**
 * The native-syntax scanner: a hand-written state machine over UTF-16 code units that
 * reproduces hclsyntax's Ragel scanner (scan_tokens.rl) token for token, including
 * positions: lines, columns in grapheme clusters, and UTF-8 byte offsets.
 *
 * Most of a file is runs of characters with no meaning of their own (names, spaces,
 * string text): sticky regular expressions skip those, so the per-character work runs
 * as irregexp's native code from the first file on, where a JavaScript loop runs in
 * V8's interpreter (and gets compiled by TurboFan in the background) until it is hot.
 * The loops that follow each skip handle the characters the expressions stop at.
 * Positions are left to the stream (see `token-stream.ts`) unless the source has
 * characters outside ASCII.
 */
import type { Pos } from '../pos.js';
import { TokenStream, tokenTypeCode } from './token-stream.js';

/** `normal` scans a config file or expression; `template` scans a bare template. */
export type ScanMode = 'normal' | 'template';

type Mode = 'main' | 'string' | 'heredoc' | 'bare';

interface Heredoc {
  readonly marker: string;
  startOfLine: boolean;
}

const C_TAB = 9, C_NL = 10, C_CR = 13, C_SP = 32, C_BANG = 33, C_DQUOTE = 34, C_HASH = 35, C_DOLLAR = 36,
  C_PERCENT = 37, C_AMP = 38, C_APOS = 39, C_LPAREN = 40, C_RPAREN = 41, C_STAR = 42, C_PLUS = 43, C_COMMA = 44,
  C_MINUS = 45, C_DOT = 46, C_SLASH = 47, C_0 = 48, C_9 = 57, C_COLON = 58, C_SEMI = 59, C_LT = 60, C_EQ = 61,
  C_GT = 62, C_QUESTION = 63, C_LBRACK = 91, C_BACKSLASH = 92, C_RBRACK = 93, C_CARET = 94, C_UNDERSCORE = 95,
  C_BACKTICK = 96, C_LBRACE = 123, C_PIPE = 124, C_RBRACE = 125, C_TILDE = 126;

const T_OBRACE = tokenTypeCode('OBrace'), T_CBRACE = tokenTypeCode('CBrace'), T_OBRACK = tokenTypeCode('OBrack'),
  T_CBRACK = tokenTypeCode('CBrack'), T_OPAREN = tokenTypeCode('OParen'), T_CPAREN = tokenTypeCode('CParen'),
  T_OQUOTE = tokenTypeCode('OQuote'), T_CQUOTE = tokenTypeCode('CQuote'), T_OHEREDOC = tokenTypeCode('OHeredoc'),
  T_CHEREDOC = tokenTypeCode('CHeredoc'), T_STAR = tokenTypeCode('Star'), T_SLASH = tokenTypeCode('Slash'),
  T_PLUS = tokenTypeCode('Plus'), T_MINUS = tokenTypeCode('Minus'), T_PERCENT = tokenTypeCode('Percent'),
  T_EQUAL = tokenTypeCode('Equal'), T_EQUALOP = tokenTypeCode('EqualOp'), T_NOTEQUAL = tokenTypeCode('NotEqual'),
  T_LT = tokenTypeCode('LessThan'), T_LTE = tokenTypeCode('LessThanEq'), T_GT = tokenTypeCode('GreaterThan'),
  T_GTE = tokenTypeCode('GreaterThanEq'), T_AND = tokenTypeCode('And'), T_OR = tokenTypeCode('Or'),
  T_BANG = tokenTypeCode('Bang'), T_DOT = tokenTypeCode('Dot'), T_COMMA = tokenTypeCode('Comma'),
  T_DOUBLECOLON = tokenTypeCode('DoubleColon'), T_ELLIPSIS = tokenTypeCode('Ellipsis'),
  T_FATARROW = tokenTypeCode('FatArrow'), T_QUESTION = tokenTypeCode('Question'), T_COLON = tokenTypeCode('Colon'),
  T_INTERP = tokenTypeCode('TemplateInterp'), T_CONTROL = tokenTypeCode('TemplateControl'),
  T_SEQEND = tokenTypeCode('TemplateSeqEnd'), T_QUOTEDLIT = tokenTypeCode('QuotedLit'),
  T_STRINGLIT = tokenTypeCode('StringLit'), T_NUMBERLIT = tokenTypeCode('NumberLit'), T_IDENT = tokenTypeCode('Ident'),
  T_COMMENT = tokenTypeCode('Comment'), T_NEWLINE = tokenTypeCode('Newline'), T_EOF = tokenTypeCode('EOF'),
  T_BITAND = tokenTypeCode('BitwiseAnd'), T_BITOR = tokenTypeCode('BitwiseOr'), T_BITNOT = tokenTypeCode('BitwiseNot'),
  T_BITXOR = tokenTypeCode('BitwiseXor'), T_APOSTROPHE = tokenTypeCode('Apostrophe'),
  T_BACKTICK = tokenTypeCode('Backtick'), T_SEMICOLON = tokenTypeCode('Semicolon'), T_INVALID = tokenTypeCode('Invalid'),
  T_BADUTF8 = tokenTypeCode('BadUTF8'), T_QUOTEDNEWLINE = tokenTypeCode('QuotedNewline');

/*
 * Runs the loops below would only step over (sticky, matched at `lastIndex`; no `u`
 * flag: classes are of UTF-16 code units). A run may be empty.
 */
/** Spaces and tabs between tokens. */
const SPACES = /[ \t]*/y;
/** ASCII identifier characters after the first. */
const IDENT_REST = /[A-Za-z0-9_-]*/y;
/** Quoted-string text without escapes, sequence starts, line breaks or surrogates. */
const QUOTED_PLAIN = /[^$%"\r\n\\\ud800-\udfff]*/y;
/** Heredoc and bare-template text without sequence starts, line breaks or surrogates. */
const LITERAL_PLAIN = /[^$%\r\n\ud800-\udfff]*/y;
/** Any character outside ASCII (such a source gets a position table). */
const NON_ASCII = /[\u0080-\uffff]/;

/** The end of the (possibly empty) match of sticky `re` at `p`. */
function skip(re: RegExp, src: string, p: number): number {
  re.lastIndex = p;
  re.test(src);
  return re.lastIndex;
}

const ID_START = /^\p{ID_Start}$/u;
const ID_CONTINUE = /^\p{ID_Continue}$/u;

let segmenter: Intl.Segmenter | undefined;
function graphemes(s: string): Iterable<Intl.SegmentData> {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  return segmenter.segment(s);
}

function isDigit(c: number): boolean {
  return c >= C_0 && c <= C_9;
}

function isAsciiIdStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === C_UNDERSCORE;
}

function isLoneSurrogate(src: string, i: number): boolean {
  const c = src.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = src.charCodeAt(i + 1);
    return !(d >= 0xdc00 && d <= 0xdfff);
  }
  if (c >= 0xdc00 && c <= 0xdfff) {
    const b = i > 0 ? src.charCodeAt(i - 1) : 0;
    return !(b >= 0xd800 && b <= 0xdbff);
  }
  return false;
}

/** UTF-16 length of the code point at `i` (1 or 2). */
function cpLen(src: string, i: number): number {
  const c = src.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = src.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** Number of UTF-8 bytes `s[from, to)` encodes to (lone surrogates count 3, as WTF-8). */
export function utf8Length(s: string, from = 0, to = s.length): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** The position after `s[from, to)` when it starts at `start`. */
export function advancePos(start: Pos, s: string, from: number, to: number): Pos {
  let line = start.line;
  let column = start.column;
  let ascii = true;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      ascii = false;
      break;
    }
    if (c === C_NL) {
      line++;
      column = 1;
    } else if (!(c === C_CR && s.charCodeAt(i + 1) === C_NL && i + 1 < to)) {
      column++;
    }
  }
  if (ascii) return { line, column, byte: start.byte + (to - from) };
  line = start.line;
  column = start.column;
  for (const { segment } of graphemes(s.slice(from, to))) {
    if (segment === '\n' || segment === '\r\n') {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column, byte: start.byte + utf8Length(s, from, to) };
}

class Scanner {
  readonly stream: TokenStream;
  /** True when positions go into the stream's table (a source with non-ASCII characters). */
  private readonly table: boolean;
  /** Position at `lastEnd` (the end of the last token), as numbers to avoid allocating (table only). */
  private line: number;
  private column: number;
  private byte: number;
  private lastEnd: number;
  private p: number;
  private readonly modes: Mode[];
  /** The innermost mode (the top of `modes`). */
  private mode: Mode;
  private braces = 0;
  /**
   * The brace count at each open `${`/`%{`, above a bottom entry no count equals (NaN):
   * V8 takes the store of an array popped empty back, so without it every sequence's
   * push allocated a new one.
   */
  private readonly retBraces: number[] = [NaN];
  private readonly heredocs: Heredoc[] = [];

  constructor(
    private readonly src: string,
    filename: string,
    start: Pos,
    mode: ScanMode,
  ) {
    this.table = NON_ASCII.test(src);
    this.stream = new TokenStream(src, filename, start, this.table);
    let p = 0;
    let byte = start.byte;
    if (src.charCodeAt(0) === 0xfeff) {
      // A byte order mark is skipped: it moves the byte offset but not the column.
      p = 1;
      byte += 3;
    }
    this.p = p;
    this.lastEnd = p;
    this.line = start.line;
    this.column = start.column;
    this.byte = byte;
    this.mode = mode === 'template' ? 'bare' : 'main';
    this.modes = [this.mode];
  }

  /** Records `src[s, e)` as a token of type `code`, with its positions when the stream keeps a table. */
  private emit(code: number, s: number, e: number): void {
    if (!this.table) {
      this.stream.push(code, s, e);
      return;
    }
    // Only ASCII spaces and tabs can lie between tokens, so the gap is one column per unit.
    const gap = s - this.lastEnd;
    const sLine = this.line;
    const sCol = this.column + gap;
    const sByte = this.byte + gap;
    const src = this.src;
    let line = sLine;
    let column = sCol;
    let ascii = true;
    for (let i = s; i < e; i++) {
      const c = src.charCodeAt(i);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      if (c === C_NL) {
        line++;
        column = 1;
      } else if (!(c === C_CR && i + 1 < e && src.charCodeAt(i + 1) === C_NL)) {
        column++;
      }
    }
    let byte = sByte + (e - s);
    if (!ascii) {
      const end = advancePos({ line: sLine, column: sCol, byte: sByte }, src, s, e);
      line = end.line;
      column = end.column;
      byte = end.byte;
    }
    this.stream.pushAt(code, s, e, sLine, sCol, sByte, line, column, byte);
    this.line = line;
    this.column = column;
    this.byte = byte;
    this.lastEnd = e;
  }

  run(): TokenStream {
    const n = this.src.length;
    while (this.p < n) {
      switch (this.mode) {
        case 'main':
          this.scanMain();
          break;
        case 'string':
          this.scanString();
          break;
        case 'heredoc':
          this.scanHeredoc();
          break;
        case 'bare':
          this.scanBare();
          break;
      }
    }
    this.emit(T_EOF, n, n);
    return this.stream;
  }

  private push(mode: Mode): void {
    this.modes.push(mode);
    this.mode = mode;
  }

  private pop(): void {
    if (this.modes.length > 1) this.modes.pop();
    this.mode = this.modes[this.modes.length - 1] ?? 'main';
  }

  private tok(code: number, len: number): void {
    const s = this.p;
    this.p = s + len;
    if (this.table) this.emit(code, s, s + len);
    else this.stream.push(code, s, s + len);
  }

  private beginSequence(code: number): void {
    const len = this.src.charCodeAt(this.p + 2) === C_TILDE ? 3 : 2;
    this.tok(code, len);
    this.braces++;
    this.retBraces.push(this.braces);
    const doc = this.heredocs[this.heredocs.length - 1];
    if (doc) doc.startOfLine = false;
    this.push('main');
  }

  private closeBrace(len: number): void {
    const top = this.retBraces[this.retBraces.length - 1];
    if (top !== undefined && top === this.braces) {
      this.tok(T_SEQEND, len);
      this.braces--;
      this.retBraces.pop();
      this.pop();
    } else {
      // A stray `~}` is still a sequence end, so the parser can report the mismatch.
      this.tok(len === 2 ? T_SEQEND : T_CBRACE, len);
      this.braces--;
    }
  }

  /** Scans `$`/`%` not starting a sequence: `$${` (escape) or a lone `$`. Returns false at EOF. */
  private sequenceLookalike(c: number): number {
    const src = this.src;
    const next = src.charCodeAt(this.p + 1);
    if (next === c && src.charCodeAt(this.p + 2) === C_LBRACE) {
      return src.charCodeAt(this.p + 3) === C_TILDE ? 4 : 3;
    }
    return this.p + 1 < src.length ? 1 : 0;
  }

  private scanMain(): void {
    const src = this.src;
    let p = this.p;
    let c = src.charCodeAt(p);
    if (c === C_SP || c === C_TAB) {
      // Spaces only separate tokens: skip them and scan the token after them.
      // A lone space (`a = b`) is most runs: no regular expression call for it.
      const d = src.charCodeAt(p + 1);
      p = d === C_SP || d === C_TAB ? skip(SPACES, src, p + 2) : p + 1;
      this.p = p;
      if (p >= src.length) return;
      c = src.charCodeAt(p);
    }
    // The two commonest starts, tested inline (a call per token is dear in cold code).
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === C_UNDERSCORE) return this.tok(T_IDENT, this.identLength(p));
    if (c >= C_0 && c <= C_9) return this.tok(T_NUMBERLIT, this.numberLength(p));
    const next = src.charCodeAt(p + 1);
    switch (c) {
      case C_NL:
        return this.tok(T_NEWLINE, 1);
      case C_CR:
        return next === C_NL ? this.tok(T_NEWLINE, 2) : this.tok(T_INVALID, 1);
      case C_HASH:
        return this.tok(T_COMMENT, this.lineCommentLength(p));
      case C_SLASH:
        if (next === C_SLASH) return this.tok(T_COMMENT, this.lineCommentLength(p));
        if (next === C_STAR) {
          const close = src.indexOf('*/', p + 2);
          if (close >= 0) return this.tok(T_COMMENT, close + 2 - p);
        }
        return this.tok(T_SLASH, 1);
      case C_EQ:
        if (next === C_EQ) return this.tok(T_EQUALOP, 2);
        if (next === C_GT) return this.tok(T_FATARROW, 2);
        return this.tok(T_EQUAL, 1);
      case C_BANG:
        return next === C_EQ ? this.tok(T_NOTEQUAL, 2) : this.tok(T_BANG, 1);
      case C_GT:
        return next === C_EQ ? this.tok(T_GTE, 2) : this.tok(T_GT, 1);
      case C_LT:
        if (next === C_EQ) return this.tok(T_LTE, 2);
        if (next === C_LT) {
          const len = this.heredocIntroLength(p);
          if (len > 0) return this.beginHeredoc(len);
        }
        return this.tok(T_LT, 1);
      case C_AMP:
        return next === C_AMP ? this.tok(T_AND, 2) : this.tok(T_BITAND, 1);
      case C_PIPE:
        return next === C_PIPE ? this.tok(T_OR, 2) : this.tok(T_BITOR, 1);
      case C_COLON:
        return next === C_COLON ? this.tok(T_DOUBLECOLON, 2) : this.tok(T_COLON, 1);
      case C_DOT:
        return next === C_DOT && src.charCodeAt(p + 2) === C_DOT ? this.tok(T_ELLIPSIS, 3) : this.tok(T_DOT, 1);
      case C_LBRACE:
        this.tok(T_OBRACE, 1);
        this.braces++;
        return;
      case C_RBRACE:
        return this.closeBrace(1);
      case C_TILDE:
        return next === C_RBRACE ? this.closeBrace(2) : this.tok(T_BITNOT, 1);
      case C_DQUOTE:
        this.tok(T_OQUOTE, 1);
        this.push('string');
        return;
      case C_LBRACK: return this.tok(T_OBRACK, 1);
      case C_RBRACK: return this.tok(T_CBRACK, 1);
      case C_LPAREN: return this.tok(T_OPAREN, 1);
      case C_RPAREN: return this.tok(T_CPAREN, 1);
      case C_COMMA: return this.tok(T_COMMA, 1);
      case C_STAR: return this.tok(T_STAR, 1);
      case C_PERCENT: return this.tok(T_PERCENT, 1);
      case C_PLUS: return this.tok(T_PLUS, 1);
      case C_MINUS: return this.tok(T_MINUS, 1);
      case C_QUESTION: return this.tok(T_QUESTION, 1);
      case C_CARET: return this.tok(T_BITXOR, 1);
      case C_SEMI: return this.tok(T_SEMICOLON, 1);
      case C_BACKTICK: return this.tok(T_BACKTICK, 1);
      case C_APOS: return this.tok(T_APOSTROPHE, 1);
    }
    if (c >= 0x80) {
      if (isLoneSurrogate(src, p)) return this.tok(T_BADUTF8, 1);
      const len = cpLen(src, p);
      if (ID_START.test(src.slice(p, p + len))) return this.tok(T_IDENT, this.identLength(p));
      return this.tok(T_INVALID, len);
    }
    return this.tok(T_INVALID, 1);
  }

  private numberLength(p: number): number {
    const src = this.src;
    let q = p + 1;
    for (;;) {
      const c = src.charCodeAt(q);
      if (isDigit(c) || c === C_DOT) q++;
      else if (c === 101 || c === 69) {
        const d = src.charCodeAt(q + 1);
        if (isDigit(d)) q += 2;
        else if ((d === C_PLUS || d === C_MINUS) && isDigit(src.charCodeAt(q + 2))) q += 3;
        else break;
      } else break;
    }
    while (src.charCodeAt(q - 1) === C_DOT) q--;
    return q - p;
  }

  private identLength(p: number): number {
    const src = this.src;
    const first = src.charCodeAt(p);
    let q = skip(IDENT_REST, src, p + (first < 0x80 ? 1 : cpLen(src, p)));
    // IDENT_REST stops at the first ASCII character that cannot continue a name, or
    // at a non-ASCII one, which may (\p{ID_Continue}); after one, ASCII runs again.
    while (q < src.length) {
      const c = src.charCodeAt(q);
      if (c < 0x80) break;
      const len = cpLen(src, q);
      if (!ID_CONTINUE.test(src.slice(q, q + len))) break;
      q = skip(IDENT_REST, src, q + len);
    }
    return q - p;
  }

  private lineCommentLength(p: number): number {
    const nl = this.src.indexOf('\n', p);
    return (nl < 0 ? this.src.length : nl + 1) - p;
  }

  /** Length of `<<EOT\n` / `<<-EOT\r\n` at `p`, or 0 when it is not a heredoc introducer. */
  private heredocIntroLength(p: number): number {
    const src = this.src;
    let q = p + 2;
    if (src.charCodeAt(q) === C_MINUS) q++;
    const c = src.charCodeAt(q);
    if (!(isAsciiIdStart(c) || (c >= 0x80 && ID_START.test(src.slice(q, q + cpLen(src, q)))))) return 0;
    q += this.identLength(q);
    if (src.charCodeAt(q) === C_NL) return q + 1 - p;
    if (src.charCodeAt(q) === C_CR && src.charCodeAt(q + 1) === C_NL) return q + 2 - p;
    return 0;
  }

  private beginHeredoc(len: number): void {
    const s = this.p;
    this.tok(T_OHEREDOC, len);
    let marker = this.src.slice(s + 2, s + len).replace(/\r?\n$/, '');
    if (marker.startsWith('-')) marker = marker.slice(1);
    this.heredocs.push({ marker, startOfLine: true });
    this.push('heredoc');
  }

  private scanString(): void {
    const src = this.src;
    const p = this.p;
    const c = src.charCodeAt(p);
    const next = src.charCodeAt(p + 1);
    if (c === C_DOLLAR || c === C_PERCENT) {
      if (next === C_LBRACE) return this.beginSequence(c === C_DOLLAR ? T_INTERP : T_CONTROL);
      const len = this.sequenceLookalike(c);
      return len > 0 ? this.tok(T_QUOTEDLIT, len) : this.tok(T_INVALID, 1);
    }
    if (c === C_DQUOTE) {
      this.tok(T_CQUOTE, 1);
      this.pop();
      return;
    }
    if (c === C_NL || c === C_CR) {
      let q = p + 1;
      while (q < src.length && (src.charCodeAt(q) === C_NL || src.charCodeAt(q) === C_CR)) q++;
      return this.tok(T_QUOTEDNEWLINE, q - p);
    }
    let q = p;
    while ((q = skip(QUOTED_PLAIN, src, q)) < src.length) {
      const d = src.charCodeAt(q);
      if (d === C_DOLLAR || d === C_PERCENT || d === C_DQUOTE || d === C_NL || d === C_CR) break;
      if (d === C_BACKSLASH) {
        const e = src.charCodeAt(q + 1);
        if (q + 1 >= src.length || e === C_NL || e === C_CR || isLoneSurrogate(src, q + 1)) break;
        q += 1 + cpLen(src, q + 1);
        continue;
      }
      // A surrogate: part of a pair, or the end of the text.
      if (isLoneSurrogate(src, q)) break;
      q++;
    }
    if (q > p) return this.tok(T_QUOTEDLIT, q - p);
    if (isLoneSurrogate(src, p)) return this.tok(T_BADUTF8, 1);
    return this.tok(T_INVALID, cpLen(src, p));
  }

  /** Length of template literal text at `p` up to `$`, `%`, a line break or a lone surrogate. */
  private literalRun(p: number): number {
    const src = this.src;
    let q = p;
    while ((q = skip(LITERAL_PLAIN, src, q)) < src.length) {
      const d = src.charCodeAt(q);
      if (d === C_DOLLAR || d === C_PERCENT || d === C_NL || d === C_CR) break;
      if (isLoneSurrogate(src, q)) break;
      q++;
    }
    return q - p;
  }

  private eolLength(q: number): number {
    const c = this.src.charCodeAt(q);
    if (c === C_NL) return 1;
    if (c === C_CR && this.src.charCodeAt(q + 1) === C_NL) return 2;
    return 0;
  }

  private scanHeredoc(): void {
    const src = this.src;
    const p = this.p;
    const c = src.charCodeAt(p);
    const doc = this.heredocs[this.heredocs.length - 1];
    if (c === C_DOLLAR || c === C_PERCENT) {
      if (src.charCodeAt(p + 1) === C_LBRACE) return this.beginSequence(c === C_DOLLAR ? T_INTERP : T_CONTROL);
      const len = this.sequenceLookalike(c);
      if (len === 0) return this.tok(T_INVALID, 1);
      if (doc) doc.startOfLine = false;
      return this.tok(T_STRINGLIT, len);
    }
    if (isLoneSurrogate(src, p)) return this.tok(T_BADUTF8, 1);
    const run = this.literalRun(p);
    const eol = this.eolLength(p + run);
    if (eol === 0) {
      if (run === 0) return this.tok(T_INVALID, 1);
      if (doc) doc.startOfLine = false;
      return this.tok(T_STRINGLIT, run);
    }
    if (doc?.startOfLine && src.slice(p, p + run).trim() === doc.marker) {
      // The closing marker and its newline are separate tokens, so the newline can
      // still end the attribute that holds the heredoc.
      this.tok(T_CHEREDOC, run);
      this.tok(T_NEWLINE, eol);
      this.heredocs.pop();
      this.pop();
      return;
    }
    if (doc) doc.startOfLine = true;
    this.tok(T_STRINGLIT, run + eol);
  }

  private scanBare(): void {
    const src = this.src;
    const p = this.p;
    const c = src.charCodeAt(p);
    if (c === C_DOLLAR || c === C_PERCENT) {
      if (src.charCodeAt(p + 1) === C_LBRACE) return this.beginSequence(c === C_DOLLAR ? T_INTERP : T_CONTROL);
      const len = this.sequenceLookalike(c);
      return this.tok(T_STRINGLIT, len === 0 ? 1 : len);
    }
    if (isLoneSurrogate(src, p)) return this.tok(T_BADUTF8, 1);
    const run = this.literalRun(p);
    const eol = this.eolLength(p + run);
    if (run + eol === 0) return this.tok(T_STRINGLIT, 1);
    this.tok(T_STRINGLIT, run + eol);
  }
}

/**
 * Scans `src` into tokens, always ending with an `EOF` token. Never throws: text the
 * language has no use for becomes `Invalid`/`BadUTF8` tokens (see `invalidTokenDiagnostics`).
 * A leading byte order mark is skipped (it counts 3 bytes, no column).
 */
export function scanTokens(src: string, filename: string, start: Pos, mode: ScanMode): TokenStream {
  const stream = new Scanner(src, filename, start, mode).run();
  // Ranges in the AST keep the stream alive: give back the unused capacity.
  stream.trim();
  return stream;
}
