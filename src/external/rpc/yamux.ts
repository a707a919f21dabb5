/**
 * yamux (hashicorp/yamux), the stream multiplexer Packer plugins speak over their one
 * socket. kiln is the client (odd stream ids); the plugin opens streams too (even ids).
 * Flow control follows yamux: a 256 KiB window per stream and direction; we send no
 * more than the peer's window and give credit back as the reader consumes. Pings are
 * answered at once from the socket's data handler, so a peer's keepalive (10 s) holds
 * as long as the event loop is never blocked that long.
 */
import { Duplex } from 'node:stream';

const HEADER_SIZE = 12;
const TYPE_DATA = 0;
const TYPE_WINDOW_UPDATE = 1;
const TYPE_PING = 2;
const TYPE_GO_AWAY = 3;
const FLAG_SYN = 1;
const FLAG_ACK = 2;
const FLAG_FIN = 4;
const FLAG_RST = 8;
/** yamux's initial per-stream window. */
export const INITIAL_WINDOW = 256 * 1024;
const MAX_DATA_FRAME = 64 * 1024;

function header(type: number, flags: number, streamId: number, length: number): Buffer {
  const b = Buffer.allocUnsafe(HEADER_SIZE);
  b[0] = 0;
  b[1] = type;
  b.writeUInt16BE(flags, 2);
  b.writeUInt32BE(streamId, 4);
  b.writeUInt32BE(length, 8);
  return b;
}

/** One yamux stream as a Node duplex: writes become Data frames within the peer's window. */
export class YamuxStream extends Duplex {
  private sendWindow = INITIAL_WINDOW;
  private unacked = 0;
  private pending: { chunk: Buffer; cb: (err?: Error | null) => void } | undefined;
  private localClosed = false;
  private remoteClosed = false;

  constructor(
    private readonly session: YamuxSession,
    readonly id: number,
  ) {
    super({ allowHalfOpen: true });
  }

  /** @internal Data arrived from the peer. */
  receive(data: Buffer): void {
    if (this.remoteClosed || this.destroyed) return;
    this.unacked += data.length;
    const more = this.push(data);
    if (more) this.creditIfDue();
  }

  /** @internal The peer's window grew. */
  grow(delta: number): void {
    this.sendWindow += delta;
    const p = this.pending;
    if (p && this.sendWindow > 0) {
      this.pending = undefined;
      this._write(p.chunk, 'binary', p.cb);
    }
  }

  /** @internal The peer half-closed. */
  remoteFin(): void {
    if (this.remoteClosed) return;
    this.remoteClosed = true;
    this.push(null);
    this.maybeForget();
  }

  /** @internal The peer reset the stream or the session ended. */
  reset(err?: Error): void {
    this.remoteClosed = true;
    this.localClosed = true;
    this.session.forget(this.id);
    const p = this.pending;
    this.pending = undefined;
    p?.cb(err ?? new Error('yamux stream reset'));
    if (!this.destroyed) {
      if (!this.readableEnded) this.push(null);
      this.destroy();
    }
  }

  private creditIfDue(): void {
    if (this.unacked >= INITIAL_WINDOW / 2 && !this.remoteClosed) {
      this.session.send(header(TYPE_WINDOW_UPDATE, 0, this.id, this.unacked));
      this.unacked = 0;
    }
  }

  override _read(): void {
    this.creditIfDue();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.localClosed) {
      cb(new Error('yamux stream closed'));
      return;
    }
    let rest = chunk;
    while (rest.length > 0 && this.sendWindow > 0) {
      const n = Math.min(rest.length, this.sendWindow, MAX_DATA_FRAME);
      this.session.send(header(TYPE_DATA, 0, this.id, n), rest.subarray(0, n));
      this.sendWindow -= n;
      rest = rest.subarray(n);
    }
    if (rest.length > 0) this.pending = { chunk: rest, cb };
    else cb();
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (!this.localClosed) {
      this.localClosed = true;
      this.session.send(header(TYPE_WINDOW_UPDATE, FLAG_FIN, this.id, 0));
      this.maybeForget();
    }
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.localClosed || !this.remoteClosed) {
      this.localClosed = true;
      this.remoteClosed = true;
      this.session.send(header(TYPE_WINDOW_UPDATE, FLAG_RST, this.id, 0));
      this.session.forget(this.id);
    }
    cb(err);
  }

  private maybeForget(): void {
    if (this.localClosed && this.remoteClosed) this.session.forget(this.id);
  }
}

/** A yamux session over one connected socket. */
export class YamuxSession {
  private readonly streams = new Map<number, YamuxStream>();
  private nextId: number;
  private buffered: Buffer[] = [];
  private bufferedLength = 0;
  private ended = false;
  private endError: Error | undefined;
  private readonly endWaiters: ((err: Error | undefined) => void)[] = [];
  /** Streams the peer opens; set before the peer can open any. */
  onStream: ((s: YamuxStream) => void) | undefined;

  constructor(
    private readonly conn: Duplex,
    role: 'client' | 'server' = 'client',
  ) {
    this.nextId = role === 'client' ? 1 : 2;
    conn.on('data', (chunk: Buffer) => this.onData(chunk));
    conn.on('error', (err: Error) => this.end(err));
    conn.on('close', () => this.end(this.endError ?? new Error('plugin connection closed')));
  }

  /** Opens a stream (SYN rides on a zero window update, as Go does). */
  open(): YamuxStream {
    if (this.ended) throw this.endError ?? new Error('yamux session closed');
    const id = this.nextId;
    this.nextId += 2;
    const s = new YamuxStream(this, id);
    this.streams.set(id, s);
    this.send(header(TYPE_WINDOW_UPDATE, FLAG_SYN, id, 0));
    return s;
  }

  /** Resolves when the session is over, with the reason (undefined for a local close). */
  closed(): Promise<Error | undefined> {
    if (this.ended) return Promise.resolve(this.endError);
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** Closes every stream and the connection. */
  close(): void {
    if (!this.ended) this.send(header(TYPE_GO_AWAY, 0, 0, 0));
    this.end(undefined);
    this.conn.destroy();
  }

  /** @internal */
  send(head: Buffer, payload?: Buffer): void {
    if (this.ended || this.conn.destroyed) return;
    this.conn.write(payload ? Buffer.concat([head, payload]) : head);
  }

  /** @internal */
  forget(id: number): void {
    this.streams.delete(id);
  }

  private end(err: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.endError = err;
    for (const s of [...this.streams.values()]) s.reset(err ?? new Error('yamux session closed'));
    this.streams.clear();
    for (const w of this.endWaiters.splice(0)) w(err);
  }

  private onData(chunk: Buffer): void {
    this.buffered.push(chunk);
    this.bufferedLength += chunk.length;
    let buf = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered, this.bufferedLength);
    let off = 0;
    while (buf.length - off >= HEADER_SIZE) {
      const type = buf[off + 1]!;
      const flags = buf.readUInt16BE(off + 2);
      const id = buf.readUInt32BE(off + 4);
      const length = buf.readUInt32BE(off + 8);
      if (buf[off] !== 0 || type > TYPE_GO_AWAY) {
        this.end(new Error(`yamux: bad frame header (version ${buf[off]}, type ${type})`));
        this.conn.destroy();
        return;
      }
      const payloadLength = type === TYPE_DATA ? length : 0;
      if (buf.length - off < HEADER_SIZE + payloadLength) break;
      const payload = buf.subarray(off + HEADER_SIZE, off + HEADER_SIZE + payloadLength);
      off += HEADER_SIZE + payloadLength;
      this.frame(type, flags, id, length, payload);
      if (this.ended) return;
    }
    buf = buf.subarray(off);
    this.buffered = buf.length > 0 ? [Buffer.from(buf)] : [];
    this.bufferedLength = buf.length;
  }

  private frame(type: number, flags: number, id: number, length: number, payload: Buffer): void {
    if (type === TYPE_PING) {
      if (flags & FLAG_SYN) this.send(header(TYPE_PING, FLAG_ACK, 0, length));
      return;
    }
    if (type === TYPE_GO_AWAY) {
      this.end(length === 0 ? new Error('plugin closed the session') : new Error(`plugin closed the session (yamux error ${length})`));
      this.conn.destroy();
      return;
    }
    let s = this.streams.get(id);
    if (flags & FLAG_SYN) {
      if (!s) {
        s = new YamuxStream(this, id);
        this.streams.set(id, s);
        // ACK at once: yamux ≥0.1 drops the session when a SYN waits 75 s.
        this.send(header(TYPE_WINDOW_UPDATE, FLAG_ACK, id, 0));
        if (this.onStream) this.onStream(s);
        else s.destroy();
      }
    }
    if (!s) return;
    if (type === TYPE_WINDOW_UPDATE && length > 0) s.grow(length);
    if (type === TYPE_DATA && payload.length > 0) s.receive(Buffer.from(payload));
    if (flags & FLAG_RST) s.reset();
    else if (flags & FLAG_FIN) s.remoteFin();
  }
}
