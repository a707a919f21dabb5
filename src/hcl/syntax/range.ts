/** Range helpers with hclsyntax's exact semantics. */
import type { Range } from '../pos.js';
import { TokenRange } from './token-range.js';

/**
 * HCL's `RangeBetween`: from the start of `a` to the end of `b`, with `a`'s filename.
 * Unlike `rangeBetween` in pos.ts it does not reorder, which matters for the ranges
 * HCL reports on broken input.
 */
export function between(a: Range, b: Range): Range {
  if (a instanceof TokenRange) {
    const r = a.to(b);
    if (r !== undefined) return r;
  }
  return { filename: a.filename, start: a.start, end: b.end };
}

/** Go's zero `hcl.Range`, which HCL leaves where a range was never set. */
export function zeroRange(): Range {
  return { filename: '', start: { line: 0, column: 0, byte: 0 }, end: { line: 0, column: 0, byte: 0 } };
}

/** A zero-length range at the end of `r`. */
export function endOf(r: Range): Range {
  if (r instanceof TokenRange) return r.atEnd();
  return { filename: r.filename, start: r.end, end: r.end };
}
