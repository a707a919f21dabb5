/**
 * A {@link Range} that points into a {@link TokenStream} instead of holding two `Pos`
 * objects. A 5 MB file's AST holds close to 800,000 ranges; as plain objects they and
 * their positions were 70% of the objects that survive parsing, and copying them
 * between GC generations was most of the parse time. A `TokenRange` is one small
 * object; `start` and `end` are built from the stream's position table on each read.
 *
 * It behaves as a plain range for readers (`filename`, `start`, `end`, `JSON.stringify`),
 * but it is a class instance: spreading it (`{ ...r }`) copies its slots, not `start`
 * and `end`, so code that derives a range builds a new object field by field (or uses
 * `between`/`endOf`).
 *
 * Its fields are `declare`d and set in the constructor: a class field with a
 * declaration (or a `#private` one) costs a call to V8's field initializer per object,
 * and the parser makes one of these per range it builds.
 */
import type { Pos, Range } from '../pos.js';
import type { TokenStream } from './token-stream.js';

export class TokenRange implements Range {
  private declare readonly rangeStream: TokenStream;
  /** Position slots in the stream: token index × 2, plus 1 for the token's end. */
  private declare readonly slotStart: number;
  private declare readonly slotEnd: number;

  constructor(stream: TokenStream, startSlot: number, endSlot: number) {
    this.rangeStream = stream;
    this.slotStart = startSlot;
    this.slotEnd = endSlot;
  }

  get filename(): string {
    return this.rangeStream.filename;
  }

  get start(): Pos {
    return this.rangeStream.slotPos(this.slotStart);
  }

  get end(): Pos {
    return this.rangeStream.slotPos(this.slotEnd);
  }

  /** The stream the slots index (for nodes that keep slots instead of ranges). */
  streamOf(): TokenStream {
    return this.rangeStream;
  }

  startSlot(): number {
    return this.slotStart;
  }

  endSlot(): number {
    return this.slotEnd;
  }

  /** From the start of `this` to the end of `other` when both are in the same stream; else undefined. */
  to(other: Range): TokenRange | undefined {
    if (!(other instanceof TokenRange) || other.rangeStream !== this.rangeStream) return undefined;
    return new TokenRange(this.rangeStream, this.slotStart, other.slotEnd);
  }

  /** The zero-length range at this range's end. */
  atEnd(): TokenRange {
    return new TokenRange(this.rangeStream, this.slotEnd, this.slotEnd);
  }

  toJSON(): Range {
    return { filename: this.filename, start: this.start, end: this.end };
  }
}
