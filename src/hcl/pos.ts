/** Source positions and ranges, as HCL reports them. */

/** A position in a source file. */
export interface Pos {
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column, counted in Unicode grapheme clusters. */
  readonly column: number;
  /** 0-based offset in UTF-8 bytes. */
  readonly byte: number;
}

/** A span of source; `end` is exclusive. `filename` is as given to the parser. */
export interface Range {
  readonly filename: string;
  readonly start: Pos;
  readonly end: Pos;
}

export const INITIAL_POS: Pos = { line: 1, column: 1, byte: 0 };

/** The smallest range covering both `a` and `b` (same file). */
export function rangeBetween(a: Range, b: Range): Range {
  const start = a.start.byte <= b.start.byte ? a.start : b.start;
  const end = a.end.byte >= b.end.byte ? a.end : b.end;
  return { filename: a.filename, start, end };
}

/** An empty range at `pos`. */
export function emptyRangeAt(filename: string, pos: Pos): Range {
  return { filename, start: pos, end: pos };
}

/** `file:line,col-col` (or `-line,col` across lines), as Go's hcl.Range.String() prints it. */
export function formatRange(r: Range): string {
  if (r.start.line === r.end.line) return `${r.filename}:${r.start.line},${r.start.column}-${r.end.column}`;
  return `${r.filename}:${r.start.line},${r.start.column}-${r.end.line},${r.end.column}`;
}
