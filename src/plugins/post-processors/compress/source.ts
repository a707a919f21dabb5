/**
 * What the deflate workers read: a byte stream laid out in advance as pieces — ranges
 * of open files and literal bytes (tar headers, padding) — one after another. A single
 * file's `.gz` is one piece; a `.tar.gz` is each file's header, data and padding, then
 * the end blocks; a zip entry is its file. Workers read any range of it with
 * positional reads on the file descriptors the main thread opened, so each block's
 * bytes are the ones the streaming writers (ParallelGzip over writeTar) would see.
 */
import { readSync } from 'node:fs';

/** `length` bytes of an open file from `offset` (`name` for errors), or literal bytes. */
export type SourcePiece = { readonly fd: number; readonly offset: number; readonly length: number; readonly name: string } | { readonly bytes: Uint8Array };

/** A laid-out stream: its pieces and total size. */
export interface Source {
  readonly pieces: readonly SourcePiece[];
  readonly size: number;
}

/** The source of `length` bytes of one open file. */
export function fileSource(fd: number, length: number, name: string): Source {
  return { pieces: length > 0 ? [{ fd, offset: 0, length, name }] : [], size: length };
}

/** Joins pieces into a source (its size their sum). */
export function sourceOf(pieces: readonly SourcePiece[]): Source {
  return { pieces, size: pieces.reduce((n, p) => n + pieceLength(p), 0) };
}

function pieceLength(p: SourcePiece): number {
  return 'bytes' in p ? p.bytes.length : p.length;
}

/** A file piece that ended early: the file shrank after it was laid out. */
export class ShortReadError extends Error {
  constructor(
    readonly file: string,
    readonly missing: number,
  ) {
    // Packer's words for a file that shrank while tar copied it.
    super(`Failed to copy ${file} data to archive: archive/tar: missed writing ${missing} bytes`);
  }
}

/** Reads ranges of a source; keeps where each piece starts. */
export class SourceReader {
  private readonly starts: number[] = [];

  constructor(private readonly source: Source) {
    let at = 0;
    for (const p of source.pieces) {
      this.starts.push(at);
      at += pieceLength(p);
    }
  }

  /**
   * Fills `into` from `position` (as much of it as the source has past there); returns
   * the bytes read. Throws {@link ShortReadError} where a file has fewer bytes than laid
   * out, except at the very end of the source (a single file that shrank: what is
   * there is read, as a streaming reader would).
   */
  read(into: Buffer, position: number): number {
    const want = Math.min(into.length, this.source.size - position);
    let done = 0;
    for (let i = this.pieceAt(position); done < want && i < this.source.pieces.length; i++) {
      const piece = this.source.pieces[i] as SourcePiece;
      const from = position + done - (this.starts[i] as number);
      const n = Math.min(pieceLength(piece) - from, want - done);
      if ('bytes' in piece) {
        into.set(piece.bytes.subarray(from, from + n), done);
        done += n;
        continue;
      }
      const got = readFully(piece.fd, into, done, n, piece.offset + from);
      done += got;
      if (got < n) {
        if (i === this.source.pieces.length - 1) return done;
        throw new ShortReadError(piece.name, piece.length - from - got);
      }
    }
    return done;
  }

  /** The index of the piece holding `position` (binary search). */
  private pieceAt(position: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= position) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** Positional reads until `length` bytes or the end of the file. */
function readFully(fd: number, into: Buffer, at: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, at + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
