/**
 * Packer's mux broker (packer-plugin-sdk rpc/mux_broker.go): every yamux stream starts
 * with a 4-byte little-endian broker id written by the dialer and echoed by the acceptor.
 * Ids are allocated per side from 1 (0 is the main RPC stream); the side that allocates
 * an id accepts it. Streams that arrive before anyone accepts their id wait 5 s, as in Go.
 */
import type { Duplex } from 'node:stream';
import type { YamuxSession, YamuxStream } from './yamux.js';

/** How long an early stream waits for its acceptor, and an acceptor for its stream (Go's 5 s). */
export const BROKER_WAIT_MS = 5000;

/** Reads exactly `n` bytes from the start of a stream, leaving the rest for the next reader. */
export function readExactly(stream: Duplex, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tryRead = (): void => {
      const chunk = stream.read(n) as Buffer | null;
      if (chunk === null) return;
      cleanup();
      resolve(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      reject(new Error('stream ended before its broker preamble'));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const cleanup = (): void => {
      stream.off('readable', tryRead);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      stream.off('error', onError);
    };
    stream.on('readable', tryRead);
    stream.on('end', onEnd);
    stream.on('close', onEnd);
    stream.on('error', onError);
    tryRead();
  });
}

function idBytes(id: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(id >>> 0, 0);
  return b;
}

interface Waiter {
  resolve: (s: YamuxStream) => void;
  timer: NodeJS.Timeout;
}

/** The broker of one plugin connection (kiln's side). */
export class MuxBroker {
  private next = 1;
  private readonly waiting = new Map<number, Waiter>();
  private readonly early = new Map<number, { stream: YamuxStream; timer: NodeJS.Timeout }>();

  constructor(private readonly session: YamuxSession) {
    session.onStream = (s) => void this.incoming(s);
  }

  /** A fresh id of ours; accept it before handing it to the plugin. */
  nextId(): number {
    return this.next++;
  }

  /** Opens a stream to an id the plugin allocated (and accepts): dial within 5 s of learning it. */
  async dial(id: number): Promise<YamuxStream> {
    const s = this.session.open();
    s.write(idBytes(id));
    const ack = await readExactly(s, 4);
    const got = ack.readUInt32LE(0);
    if (got !== id) {
      s.destroy();
      throw new Error(`bad ack: ${got} (expected ${id})`);
    }
    return s;
  }

  /** Waits for the plugin to dial one of our ids. */
  accept(id: number, timeoutMs = BROKER_WAIT_MS): Promise<YamuxStream> {
    const arrived = this.early.get(id);
    if (arrived) {
      clearTimeout(arrived.timer);
      this.early.delete(id);
      return Promise.resolve(this.ack(arrived.stream, id));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`timeout waiting for the plugin to connect to stream ${id}`));
      }, timeoutMs);
      timer.unref();
      this.waiting.set(id, { resolve: (s) => resolve(this.ack(s, id)), timer });
    });
  }

  private ack(s: YamuxStream, id: number): YamuxStream {
    s.write(idBytes(id));
    return s;
  }

  private async incoming(s: YamuxStream): Promise<void> {
    let id: number;
    try {
      id = (await readExactly(s, 4)).readUInt32LE(0);
    } catch {
      s.destroy();
      return;
    }
    const w = this.waiting.get(id);
    if (w) {
      clearTimeout(w.timer);
      this.waiting.delete(id);
      w.resolve(s);
      return;
    }
    const timer = setTimeout(() => {
      this.early.delete(id);
      s.destroy();
    }, BROKER_WAIT_MS);
    timer.unref();
    this.early.set(id, { stream: s, timer });
  }

  /** Drops pending accepts and early streams (the session is closing). */
  close(): void {
    for (const w of this.waiting.values()) clearTimeout(w.timer);
    for (const e of this.early.values()) {
      clearTimeout(e.timer);
      e.stream.destroy();
    }
    this.waiting.clear();
    this.early.clear();
  }
}
