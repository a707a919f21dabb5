/**
 * Renders diagnostics exactly as HCL's diagnostic text writer does (Packer prints its
 * errors this way):
 *
 *     Error: Summary
 *
 *       on file.pkr.hcl line 3, in source "null" "a":
 *        3:   bogus = true
 *
 *     Detail, wrapped at the given width.
 *
 * followed by a blank line. The source snippet shows every line that overlaps the
 * subject and context ranges.
 */
import type { Diagnostic } from './diagnostic.js';
import type { Range } from './pos.js';
import { rangeBetween } from './pos.js';
import { wrapString } from './wordwrap.js';

/** What the renderer knows about a parsed file. */
export interface SourceFile {
  /** The file's bytes (UTF-8); ranges index into them. */
  readonly bytes: Uint8Array;
  /** HCL's ContextString: the header of the top-level block around a byte offset, or ''. */
  readonly contextString?: (byteOffset: number) => string;
}

export interface RenderOptions {
  /** Wrap the detail at this many characters; 0 disables wrapping. Packer uses 80. */
  readonly width?: number;
  readonly color?: boolean;
  /**
   * The `var.x as "value"` statements for a diagnostic that carries an expression and
   * an evaluation context (see `diagnostic-vars.ts`); unsorted, without duplicates.
   */
  readonly variableStatements?: (diag: Diagnostic) => readonly string[];
}

export function renderDiagnostics(diags: readonly Diagnostic[], files: ReadonlyMap<string, SourceFile>, opts: RenderOptions = {}): string {
  return diags.map((d) => renderDiagnostic(d, files, opts)).join('');
}

export function renderDiagnostic(diag: Diagnostic, files: ReadonlyMap<string, SourceFile>, opts: RenderOptions = {}): string {
  const color = opts.color ?? false;
  const severityColor = color ? (diag.severity === 'error' ? '\x1b[31m' : '\x1b[33m') : '';
  const reset = color ? '\x1b[0m' : '';
  const highlight = color ? '\x1b[1;4m' : '';
  let out = `${severityColor}${diag.severity === 'error' ? 'Error' : 'Warning'}${reset}: ${diag.summary}\n\n`;
  const subject = diag.subject;
  if (subject) {
    let snip = diag.context ? rangeBetween(subject, diag.context) : subject;
    let mark = subject;
    if (isEmpty(snip)) snip = widen(snip);
    if (isEmpty(mark)) mark = widen(mark);
    const file = files.get(subject.filename);
    if (!file) {
      out += `  on ${subject.filename} line ${subject.start.line}:\n  (source code not available)\n\n`;
    } else {
      const ctx = file.contextString?.(subject.start.byte) ?? '';
      out += `  on ${subject.filename} line ${subject.start.line}${ctx ? `, in ${ctx}` : ''}:\n`;
      for (const line of sourceLines(file.bytes)) {
        if (!overlaps(line.start, line.end, snip)) continue;
        const text = decode(file.bytes, line.start, line.end);
        const from = Math.max(line.start, Math.min(mark.start.byte, line.end));
        const to = Math.max(from, Math.min(mark.end.byte, line.end));
        const lineNo = String(line.number).padStart(4);
        if (from === to || !color) {
          out += `${lineNo}: ${text}\n`;
        } else {
          out += `${lineNo}: ${decode(file.bytes, line.start, from)}${highlight}${decode(file.bytes, from, to)}${reset}${decode(file.bytes, to, line.end)}\n`;
        }
      }
      out += '\n';
    }
    const statements = [...(opts.variableStatements?.(diag) ?? [])].sort();
    statements.forEach((s, i) => {
      out += `${i === 0 ? 'with ' : '     '}${s}${i === statements.length - 1 ? '.\n\n' : ',\n'}`;
    });
  }
  if (diag.detail !== '') {
    out += `${opts.width ? wrapString(diag.detail, opts.width) : diag.detail}\n\n`;
  }
  return out;
}

interface SourceLine {
  readonly number: number;
  /** Byte offsets of the line's content, without its newline (and a CR before it). */
  readonly start: number;
  readonly end: number;
}

function* sourceLines(bytes: Uint8Array): Generator<SourceLine> {
  let start = 0;
  let number = 1;
  while (start < bytes.length) {
    let nl = bytes.indexOf(0x0a, start);
    const next = nl < 0 ? bytes.length : nl + 1;
    if (nl < 0) nl = bytes.length;
    const end = nl > start && bytes[nl - 1] === 0x0d ? nl - 1 : nl;
    yield { number, start, end };
    start = next;
    number++;
  }
}

const utf8 = new TextDecoder();
function decode(bytes: Uint8Array, from: number, to: number): string {
  return utf8.decode(bytes.subarray(from, to));
}

function isEmpty(r: Range): boolean {
  return r.start.byte === r.end.byte;
}

function widen(r: Range): Range {
  // Field by field: a parser range may be a class instance (syntax/token-range.ts), which spreading would not copy.
  const end = r.end;
  return { filename: r.filename, start: r.start, end: { line: end.line, byte: end.byte + 1, column: end.column + 1 } };
}

/**
 * hcl.Range.Overlaps between a line's content span [start, end) and a range, with its
 * quirks kept so that the snippet shows the lines HCL shows: an empty line (or range)
 * never overlaps, and a range touching a line's end offset counts as overlapping it.
 * So a range that starts at a line's newline shows that line and the next one (a
 * subject on the newline after `x = 1 +` quotes both lines), and blank lines inside a
 * multi-line range are left out.
 */
function overlaps(start: number, end: number, r: Range): boolean {
  if (start === end || isEmpty(r)) return false;
  const inLine = (offset: number): boolean => offset >= start && offset < end;
  const inRange = (offset: number): boolean => offset >= r.start.byte && offset < r.end.byte;
  return inLine(r.start.byte) || inLine(r.end.byte) || inRange(start) || inRange(end);
}
