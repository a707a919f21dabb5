/**
 * Diagnostics as `packer fmt` prints them: HCL's text format at width 80 (severity
 * and summary, the `on FILE line N:` snippet when there is a subject, the detail
 * word-wrapped), and the Go error strings `fmt` folds parse errors into.
 *
 * This is a minimal renderer for `fmt` only; no shared one existed when it was
 * written. It has no colour and no `with var.x as ...` lines (fmt never needs them).
 */
import type { Diagnostic } from '../hcl/diagnostic.js';
import { formatRange } from '../hcl/pos.js';

const WIDTH = 80;

/** Renders diagnostics in HCL's text format (`hcl.NewDiagnosticTextWriter(w, files, 80, false)`). */
export function renderDiagnostics(diags: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  let out = '';
  for (const d of diags) {
    out += `${d.severity === 'error' ? 'Error' : 'Warning'}: ${d.summary}\n\n`;
    if (d.subject) out += snippet(d, sources.get(d.subject.filename));
    if (d.detail !== '') out += `${wrapText(d.detail, WIDTH)}\n\n`;
  }
  return out;
}

function snippet(d: Diagnostic, src: string | undefined): string {
  const subject = d.subject;
  if (!subject) return '';
  if (src === undefined) return `  on ${subject.filename} line ${subject.start.line}:\n  (source code not available)\n\n`;
  const first = Math.min(subject.start.line, d.context?.start.line ?? Infinity);
  const last = Math.max(subject.end.line, d.context?.end.line ?? 0);
  const lines = src.split('\n');
  let out = `  on ${subject.filename} line ${subject.start.line}:\n`;
  for (let n = first; n <= Math.max(first, last); n++) {
    const text = lines[n - 1];
    if (text === undefined) break;
    out += `${String(n).padStart(4)}: ${text.replace(/\r$/, '')}\n`;
  }
  return `${out}\n`;
}

/** Go's `hcl.Diagnostic.Error()`: `file:1,1-5: Summary; Detail`. */
export function diagnosticError(d: Diagnostic): string {
  return `${d.subject ? formatRange(d.subject) : '<nil>'}: ${d.summary}; ${d.detail}`;
}

/** go-multierror's default text for a list of error strings. */
export function multiErrorText(errors: readonly string[]): string {
  if (errors.length === 1) return `1 error occurred:\n\t* ${errors[0] ?? ''}\n\n`;
  return `${errors.length} errors occurred:\n\t${errors.map((e) => `* ${e}`).join('\n\t')}\n\n`;
}

/** Whitespace as Go's `unicode.IsSpace` sees it, minus the no-break space. */
function isBreakableSpace(ch: string): boolean {
  return /^[\t\v\f\r \u0085\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(ch);
}

/**
 * Word-wraps `text` at `limit` characters the way mitchellh/go-wordwrap 1.0.1 does
 * (HCL's detail wrapping): breaks only at whitespace, keeps existing newlines,
 * lets a word longer than the limit overflow.
 */
export function wrapText(text: string, limit: number): string {
  let out = '';
  let current = 0;
  let word = '';
  let wordLen = 0;
  let space = '';
  let spaceLen = 0;
  const flush = (): void => {
    current += spaceLen + wordLen;
    out += space + word;
    space = '';
    spaceLen = 0;
    word = '';
    wordLen = 0;
  };
  for (const ch of text) {
    if (ch === '\n') {
      if (wordLen === 0) {
        if (current + spaceLen <= limit) out += space;
        space = '';
        spaceLen = 0;
      } else {
        flush();
      }
      out += ch;
      current = 0;
    } else if (isBreakableSpace(ch)) {
      if (spaceLen === 0 || wordLen > 0) flush();
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (current + spaceLen + wordLen > limit && wordLen < limit) {
        out += '\n';
        current = 0;
        space = '';
        spaceLen = 0;
      }
    }
  }
  if (wordLen === 0) {
    if (current + spaceLen <= limit) out += space;
  } else {
    out += space + word;
  }
  return out;
}
