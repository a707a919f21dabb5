/**
 * The canonical formatter's passes over a token stream (what hclwrite's `format`
 * does): it only decides how many spaces precede each token, so it changes nothing
 * but horizontal whitespace, never fails and accepts fragments as well as files.
 *
 * The stream is cut into lines; each line has up to three cells: `lead` (everything
 * up to the others), `assign` (from an attribute's `=` to the end, when the rest of
 * the line is a whole expression) and `comment` (a trailing line comment). Then:
 * 1. indentation of each line's first token by bracket nesting,
 * 2. one space or none between neighbouring tokens of a cell,
 * 3. alignment of the `assign` cells, then of the `comment` cells, over runs of
 *    consecutive lines that have one.
 */
import type { Token, TokenType } from '../syntax/token.js';
import { columns } from './columns.js';
import { bracketChange, spaceAfterToken } from './spacing.js';

const NONE = -1;

/**
 * The tokens as parallel arrays, read from the token objects once so that the passes
 * walk compact arrays: the formatter rewrites only `spaces`.
 */
interface Stream {
  readonly types: TokenType[];
  readonly texts: string[];
  /** Spaces before each token: the source gap at first, the canonical spacing after the passes. */
  readonly spaces: Int32Array;
}

/** Token index boundaries of each line's cells; `assign`/`comment` are NONE when absent. */
interface Lines {
  count: number;
  readonly leadStart: Int32Array;
  /** End (exclusive) of the lead cell; the assign cell, if any, starts here. */
  readonly leadEnd: Int32Array;
  /** End (exclusive) of the assign cell, or NONE. */
  readonly assignEnd: Int32Array;
  /** Index of the comment token, or NONE. */
  readonly comment: Int32Array;
}

/**
 * Formats a token stream (as `lexConfig` returns it, or any slice of one) and returns
 * the text. Each token keeps its text; only the spaces before it change. Spaces before
 * a trailing `EOF` token are kept as they were, as hclwrite does.
 */
export function formatTokens(tokens: readonly Token[]): string {
  const stream = toStream(tokens);
  const lines = splitLines(stream);
  formatIndent(stream, lines);
  formatSpaces(stream, lines);
  alignCells(stream, lines);
  return render(stream);
}

function toStream(tokens: readonly Token[]): Stream {
  const n = tokens.length;
  const types = new Array<TokenType>(n);
  const texts = new Array<string>(n);
  const spaces = new Int32Array(n);
  let last = 0;
  for (let i = 0; i < n; i++) {
    const tok = tokens[i] as Token;
    types[i] = tok.type;
    texts[i] = tok.text;
    // Only ASCII spaces (and tabs) lie between tokens, so bytes skipped = spaces.
    spaces[i] = Math.max(0, tok.range.start.byte - last);
    last = tok.range.end.byte;
  }
  return { types, texts, spaces };
}

function isNewline(type: TokenType, text: string): boolean {
  if (type === 'Newline') return true;
  // `#` and `//` comments end with the newline they consume.
  return type === 'Comment' && text.charCodeAt(text.length - 1) === 10;
}

function splitLines(stream: Stream): Lines {
  const { types, texts } = stream;
  const n = types.length;
  let count = 1;
  for (let i = 0; i < n; i++) if (isNewline(types[i] as TokenType, texts[i] as string)) count++;
  const lines: Lines = {
    count,
    leadStart: new Int32Array(count),
    leadEnd: new Int32Array(count),
    assignEnd: new Int32Array(count).fill(NONE),
    comment: new Int32Array(count).fill(NONE),
  };
  let li = 0;
  let start = 0;
  let end = n;
  for (let i = 0; i < n; i++) {
    const type = types[i] as TokenType;
    if (type === 'EOF') {
      // EOF belongs to no line and ends the stream.
      end = i;
      break;
    }
    if (isNewline(type, texts[i] as string)) {
      lines.leadStart[li] = start;
      lines.leadEnd[li] = i + 1;
      li++;
      start = i + 1;
    }
  }
  lines.leadStart[li] = start;
  lines.leadEnd[li] = Math.max(start, end);
  lines.count = li + 1;
  for (let l = 0; l < lines.count; l++) splitCells(types, lines, l);
  return lines;
}

/** Moves a trailing comment into the comment cell and `= expr` into the assign cell. */
function splitCells(types: readonly TokenType[], lines: Lines, l: number): void {
  const start = lines.leadStart[l] as number;
  let end = lines.leadEnd[l] as number;
  if (end - start > 1 && types[end - 1] === 'Comment') {
    end--;
    lines.comment[l] = end;
    lines.leadEnd[l] = end;
  }
  for (let i = start + 1; i < end; i++) {
    if (types[i] !== 'Equal') continue;
    // Only a whole expression goes to the assign cell; an opening bracket left
    // open means a multi-line value, which stays in the lead and is not aligned.
    let net = 0;
    for (let j = i; j < end; j++) net += bracketChange(types[j] as TokenType);
    if (net === 0) {
      lines.leadEnd[l] = i;
      lines.assignEnd[l] = end;
    }
    return;
  }
}

function formatIndent(stream: Stream, lines: Lines): void {
  const { types, spaces } = stream;
  // Each entry is the number of brackets a line opened; a closing line pops as many
  // entries as its brackets cover, so lopsided lines cannot push indentation astray.
  const indents: number[] = [];
  for (let l = 0; l < lines.count; l++) {
    const start = lines.leadStart[l] as number;
    const leadEnd = lines.leadEnd[l] as number;
    const assignEnd = lines.assignEnd[l] as number;
    const lineEnd = assignEnd === NONE ? leadEnd : assignEnd;
    if (lineEnd <= start) continue;
    if (types[start] === 'Newline') {
      spaces[start] = 0;
      continue;
    }
    let net = 0;
    for (let i = start; i < leadEnd; i++) {
      const type = types[i] as TokenType;
      net += bracketChange(type);
      if (type === 'OHeredoc') break;
    }
    if (assignEnd !== NONE) {
      for (let i = leadEnd; i < assignEnd; i++) net += bracketChange(types[i] as TokenType);
    }
    if (net > 0) {
      spaces[start] = 2 * indents.length;
      indents.push(net);
      continue;
    }
    let closed = -net;
    while (closed > 0 && indents.length > 0) {
      const top = indents[indents.length - 1] as number;
      if (closed >= top) {
        closed -= top;
        indents.pop();
      } else {
        indents[indents.length - 1] = top - closed;
        closed = 0;
      }
    }
    spaces[start] = 2 * indents.length;
  }
}

function formatSpaces(stream: Stream, lines: Lines): void {
  for (let l = 0; l < lines.count; l++) {
    const leadStart = lines.leadStart[l] as number;
    const leadEnd = lines.leadEnd[l] as number;
    const assignEnd = lines.assignEnd[l] as number;
    spaceCell(stream, leadStart, leadEnd);
    if (assignEnd !== NONE) {
      // The `=` is always one space from what it assigns to (until alignment).
      stream.spaces[leadEnd] = 1;
      spaceCell(stream, leadEnd, assignEnd);
    }
  }
}

function spaceCell(stream: Stream, start: number, end: number): void {
  const { types, texts, spaces } = stream;
  for (let i = start; i + 1 < end; i++) {
    const before: TokenType = i > start ? (types[i - 1] as TokenType) : 'Nil';
    spaces[i + 1] = spaceAfterToken(types[i] as TokenType, texts[i] as string, before, types[i + 1] as TokenType) ? 1 : 0;
  }
}

function cellColumns(stream: Stream, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n += (stream.spaces[i] as number) + columns(stream.texts[i] as string);
  return n;
}

function alignCells(stream: Stream, lines: Lines): void {
  // Assignments first: moving `=` moves the comments after it too.
  alignRuns(lines, (l) => lines.assignEnd[l] !== NONE, (l) => {
    const width = cellColumns(stream, lines.leadStart[l] as number, lines.leadEnd[l] as number);
    return { width, target: lines.leadEnd[l] as number };
  }, stream.spaces);
  alignRuns(lines, (l) => lines.comment[l] !== NONE, (l) => {
    const assignEnd = lines.assignEnd[l] as number;
    const end = assignEnd === NONE ? (lines.leadEnd[l] as number) : assignEnd;
    const width = cellColumns(stream, lines.leadStart[l] as number, end);
    return { width, target: lines.comment[l] as number };
  }, stream.spaces);
}

/**
 * For each run of consecutive lines where `has` holds, puts the `target` token of every
 * line one column past the widest `width` in the run.
 */
function alignRuns(
  lines: Lines,
  has: (l: number) => boolean,
  measure: (l: number) => { width: number; target: number },
  spaces: Int32Array,
): void {
  let l = 0;
  while (l < lines.count) {
    if (!has(l)) {
      l++;
      continue;
    }
    const run: { width: number; target: number }[] = [];
    let max = 0;
    while (l < lines.count && has(l)) {
      const m = measure(l);
      if (m.width > max) max = m.width;
      run.push(m);
      l++;
    }
    for (const m of run) spaces[m.target] = max - m.width + 1;
  }
}

const SPACES: string[] = [];

function spacesOf(n: number): string {
  if (n < 64) return (SPACES[n] ??= ' '.repeat(n));
  return ' '.repeat(n);
}

function render(stream: Stream): string {
  const { texts, spaces } = stream;
  let out = '';
  for (let i = 0; i < texts.length; i++) {
    const n = spaces[i] as number;
    if (n > 0) out += spacesOf(n);
    out += texts[i] as string;
  }
  return out;
}
