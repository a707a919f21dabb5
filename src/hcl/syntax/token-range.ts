/**
 * A {@link Range} that points into a {@link TokenStream} instead of holding two `Pos`
 * objects. A 5 MB file's AST holds close to 800,000 ranges; as plain objects they and
 * their positions were 70% of the objects that survive parsing, and copying them
 * between GC generations was most of the parse time. A `TokenRange` is one small
 * object; `start` and `end` are built from the stream's position table on each read.
 *
 * It behaves as a plain range for readers (`filename`, `start`, `end`, `JSON.stringify`),
 * but it is a class instance: spreading it (`{ ...r }`) copies nothing, so code that
 * derives a range builds a new object field by field (or uses `between`/`endOf`).
 */
import type { Pos, Range } from '../pos.js';
import type { TokenStream } from './token-stream.js';

export class TokenRange implements Range {
  /** Position slots in the stream: token index × 2, plus 1 for the token's end. */
  readonly #stream: TokenStream;
  readonly #start: number;
  readonly #end: number;

  constructor(stream: TokenStream, startSlot: number, endSlot: number) {
    this.#stream = stream;
    this.#start = startSlot;
    this.#end = endSlot;
  }

  get filename(): string {
    return this.#stream.filename;
  }

  get start(): Pos {
    return this.#stream.slotPos(this.#start);
  }

  get end(): Pos {
    return this.#stream.slotPos(this.#end);
  }

  /** The stream the slots index (for nodes that keep slots instead of ranges). */
  streamOf(): TokenStream {
    return this.#stream;
  }

  startSlot(): number {
    return this.#start;
  }

  endSlot(): number {
    return this.#end;
  }

  /** From the start of `this` to the end of `other` when both are in the same stream; else undefined. */
  to(other: Range): TokenRange | undefined {
    if (!(other instanceof TokenRange) || other.#stream !== this.#stream) return undefined;
    return new TokenRange(this.#stream, this.#start, other.#end);
  }

  /** The zero-length range at this range's end. */
  atEnd(): TokenRange {
    return new TokenRange(this.#stream, this.#end, this.#end);
  }

  toJSON(): Range {
    return { filename: this.filename, start: this.start, end: this.end };
  }
}
