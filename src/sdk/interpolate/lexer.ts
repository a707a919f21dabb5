/**
 * The lexer of Go's `text/template` (delimiters `{{` `}}` only), producing the same
 * token stream and the same error texts as Go's `text/template/parse` lexer, so that
 * parse errors read exactly like Packer's.
 */

/** Token kinds; the keyword kinds are those Go prints as `<word>`. */
export type TokenKind =
  | 'error' | 'bool' | 'char' | 'charConstant' | 'complex' | 'assign' | 'declare' | 'eof'
  | 'field' | 'identifier' | 'leftDelim' | 'leftParen' | 'number' | 'pipe' | 'rawString'
  | 'rightDelim' | 'rightParen' | 'space' | 'string' | 'text' | 'variable'
  | 'block' | 'break' | 'continue' | 'dot' | 'define' | 'else' | 'end' | 'if' | 'nil'
  | 'range' | 'template' | 'with';

/** One token: `pos` is a UTF-16 offset into the source, `line` is 1-based. */
export interface Token {
  readonly kind: TokenKind;
  readonly pos: number;
  readonly val: string;
  readonly line: number;
}

const KEYWORDS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ['.', 'dot'], ['block', 'block'], ['break', 'break'], ['continue', 'continue'],
  ['define', 'define'], ['else', 'else'], ['end', 'end'], ['if', 'if'], ['range', 'range'],
  ['nil', 'nil'], ['template', 'template'], ['with', 'with'],
]);

const KEYWORD_KINDS: ReadonlySet<TokenKind> = new Set(KEYWORDS.values());

const LEFT = '{{';
const RIGHT = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
const TRIM = 2; // a trim marker is a space and a minus: "- " or " -"

/** Go's `item.String()`, used in "unexpected X in Y" messages. */
export function tokenString(t: Token): string {
  if (t.kind === 'eof') return 'EOF';
  if (t.kind === 'error') return t.val;
  if (KEYWORD_KINDS.has(t.kind)) return `<${t.val}>`;
  const chars = [...t.val];
  if (chars.length > 10) return `${goQuote(chars.slice(0, 10).join(''))}...`;
  return goQuote(t.val);
}

/** Go's `%q` of a string (strconv.Quote). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\t': out += '\\t'; break;
      case '\r': out += '\\r'; break;
      case '\x07': out += '\\a'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      default:
        if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
        else if (cp >= 0x80 && cp < 0xa0) out += `\\u${cp.toString(16).padStart(4, '0')}`;
        else if (cp === 0xfffd && ch !== '\ufffd') out += '\\ufffd';
        else out += ch;
    }
  }
  return `${out}"`;
}

/** Go's `%#U` of a rune: `U+007D '}'`. */
export function goRune(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex} '${ch}'`;
}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isAlphaNumeric(ch: string | undefined): boolean {
  return ch !== undefined && /^[_\p{L}\p{Nd}]$/u.test(ch);
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s[at] === '-' && isSpace(s[at + 1]);
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return isSpace(s[at]) && s[at + 1] === '-';
}

function rightTrimLength(s: string): number {
  return s.length - s.replace(/[ \t\r\n]+$/, '').length;
}

function leftTrimLength(s: string, from: number): number {
  let i = from;
  while (i < s.length && isSpace(s[i])) i++;
  return i - from;
}

type State = ((l: Lexer) => State) | null;

class Lexer {
  readonly tokens: Token[] = [];
  pos = 0;
  start = 0;
  parenDepth = 0;

  constructor(readonly input: string) {}

  lineAt(offset: number): number {
    let line = 1;
    for (let i = 0; i < offset && i < this.input.length; i++) if (this.input[i] === '\n') line++;
    return line;
  }

  /** The next code point (a surrogate pair counts as one); undefined at the end. */
  next(): string | undefined {
    if (this.pos >= this.input.length) {
      this.pos++;
      return undefined;
    }
    const cp = this.input.codePointAt(this.pos) ?? 0;
    const ch = String.fromCodePoint(cp);
    this.pos += ch.length;
    return ch;
  }

  peek(): string | undefined {
    if (this.pos >= this.input.length) return undefined;
    return String.fromCodePoint(this.input.codePointAt(this.pos) ?? 0);
  }

  backup(ch: string | undefined): void {
    this.pos -= ch === undefined ? 1 : ch.length;
  }

  emit(kind: TokenKind): State {
    this.tokens.push({ kind, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.lineAt(this.start) });
    this.start = this.pos;
    return this.insideAction ? lexInsideAction : lexText;
  }

  insideAction = false;

  ignore(): void {
    this.start = this.pos;
  }

  accept(valid: string): boolean {
    const ch = this.next();
    if (ch !== undefined && valid.includes(ch)) return true;
    this.backup(ch);
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const ch = this.next();
      if (ch === undefined || !valid.includes(ch)) {
        this.backup(ch);
        return;
      }
    }
  }

  errorf(msg: string): State {
    this.tokens.push({ kind: 'error', pos: this.start, val: msg, line: this.lineAt(this.start) });
    return null;
  }

  atRightDelim(): { delim: boolean; trim: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(RIGHT, this.pos + TRIM)) {
      return { delim: true, trim: true };
    }
    return { delim: this.input.startsWith(RIGHT, this.pos), trim: false };
  }

  atTerminator(): boolean {
    const ch = this.peek();
    if (ch === undefined || isSpace(ch)) return true;
    if ('.,|:()'.includes(ch)) return true;
    return this.input.startsWith(RIGHT, this.pos);
  }
}

function lexText(l: Lexer): State {
  const x = l.input.indexOf(LEFT, l.pos);
  if (x >= 0) {
    if (x > l.pos) {
      l.pos = x;
      const trim = hasLeftTrimMarker(l.input, x + LEFT.length) ? rightTrimLength(l.input.slice(l.start, l.pos)) : 0;
      l.pos -= trim;
      if (l.pos > l.start) l.emit('text');
      l.pos += trim;
      l.ignore();
    }
    return lexLeftDelim;
  }
  l.pos = l.input.length;
  if (l.pos > l.start) l.emit('text');
  l.emit('eof');
  return null;
}

function lexLeftDelim(l: Lexer): State {
  l.pos += LEFT.length;
  const trim = hasLeftTrimMarker(l.input, l.pos);
  const after = trim ? TRIM : 0;
  if (l.input.startsWith(LEFT_COMMENT, l.pos + after)) {
    l.pos += after;
    l.ignore();
    return lexComment;
  }
  l.insideAction = true;
  l.emit('leftDelim');
  l.pos += after;
  l.ignore();
  l.parenDepth = 0;
  return lexInsideAction;
}

function lexComment(l: Lexer): State {
  l.pos += LEFT_COMMENT.length;
  const x = l.input.indexOf(RIGHT_COMMENT, l.pos);
  if (x < 0) return l.errorf('unclosed comment');
  l.pos = x + RIGHT_COMMENT.length;
  const { delim, trim } = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  if (trim) l.pos += TRIM;
  l.pos += RIGHT.length;
  if (trim) l.pos += leftTrimLength(l.input, l.pos);
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): State {
  const { trim } = l.atRightDelim();
  if (trim) {
    l.pos += TRIM;
    l.ignore();
  }
  l.pos += RIGHT.length;
  l.insideAction = false;
  l.emit('rightDelim');
  if (trim) {
    l.pos += leftTrimLength(l.input, l.pos);
    l.ignore();
  }
  return lexText;
}

function lexInsideAction(l: Lexer): State {
  const { delim } = l.atRightDelim();
  if (delim) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const r = l.next();
  if (r === undefined) return l.errorf('unclosed action');
  if (isSpace(r)) {
    l.backup(r);
    return lexSpace;
  }
  switch (r) {
    case '=': return l.emit('assign');
    case ':':
      if (l.next() !== '=') return l.errorf('expected :=');
      return l.emit('declare');
    case '|': return l.emit('pipe');
    case '"': return lexQuote(l);
    case '`': return lexRawQuote(l);
    case '$': return lexFieldOrVariable(l, 'variable');
    case "'": return lexChar(l);
    case '(':
      l.parenDepth++;
      return l.emit('leftParen');
    case ')':
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf('unexpected right paren');
      return l.emit('rightParen');
    default:
  }
  if (r === '.') {
    const nx = l.input[l.pos];
    if (nx === undefined || nx < '0' || nx > '9') return lexFieldOrVariable(l, 'field');
  }
  if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
    l.backup(r);
    return lexNumber(l);
  }
  if (isAlphaNumeric(r)) {
    l.backup(r);
    return lexIdentifier(l);
  }
  const cp = r.codePointAt(0) ?? 0;
  if (cp <= 0x7f && cp >= 0x20 && cp !== 0x7f) return l.emit('char');
  return l.errorf(`unrecognized character in action: ${goRune(r)}`);
}

function lexSpace(l: Lexer): State {
  let n = 0;
  while (isSpace(l.peek())) {
    l.next();
    n++;
  }
  if (hasRightTrimMarker(l.input, l.pos - 1) && l.input.startsWith(RIGHT, l.pos - 1 + TRIM)) {
    l.pos--;
    if (n === 1) return lexInsideAction;
  }
  return l.emit('space');
}

function lexIdentifier(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup(r);
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${goRune(r ?? '')}`);
    const kw = KEYWORDS.get(word);
    if (kw !== undefined) return l.emit(kw);
    if (word === 'true' || word === 'false') return l.emit('bool');
    return l.emit('identifier');
  }
}

function lexFieldOrVariable(l: Lexer, kind: 'field' | 'variable'): State {
  if (l.atTerminator()) return l.emit(kind === 'variable' ? 'variable' : 'dot');
  let r: string | undefined;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup(r);
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${goRune(r ?? '')}`);
  return l.emit(kind);
}

function lexChar(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (r === '\\') {
      const e = l.next();
      if (e !== undefined && e !== '\n') continue;
      return l.errorf('unterminated character constant');
    }
    if (r === undefined || r === '\n') return l.errorf('unterminated character constant');
    if (r === "'") return l.emit('charConstant');
  }
}

function scanNumber(l: Lexer): boolean {
  l.accept('+-');
  let digits = '0123456789_';
  if (l.accept('0')) {
    if (l.accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (l.accept('oO')) digits = '01234567_';
    else if (l.accept('bB')) digits = '01_';
  }
  l.acceptRun(digits);
  if (l.accept('.')) l.acceptRun(digits);
  if (digits.length === 11 && l.accept('eE')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  if (digits.length === 23 && l.accept('pP')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  l.accept('i');
  if (isAlphaNumeric(l.peek())) {
    l.next();
    return false;
  }
  return true;
}

function lexNumber(l: Lexer): State {
  if (!scanNumber(l)) return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === '+' || sign === '-') {
    if (!scanNumber(l) || l.input[l.pos - 1] !== 'i') {
      return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
    }
    return l.emit('complex');
  }
  return l.emit('number');
}

function lexQuote(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (r === '\\') {
      const e = l.next();
      if (e !== undefined && e !== '\n') continue;
      return l.errorf('unterminated quoted string');
    }
    if (r === undefined || r === '\n') return l.errorf('unterminated quoted string');
    if (r === '"') return l.emit('string');
  }
}

function lexRawQuote(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (r === undefined) return l.errorf('unterminated raw quoted string');
    if (r === '`') return l.emit('rawString');
  }
}

/** Lexes a whole template. The list ends with an `eof` or an `error` token. */
export function lex(input: string): Token[] {
  const l = new Lexer(input);
  let state: State = lexText;
  while (state !== null) state = state(l);
  const last = l.tokens[l.tokens.length - 1];
  if (last?.kind === 'error') l.tokens.push({ kind: 'eof', pos: input.length, val: '', line: last.line });
  return l.tokens;
}
