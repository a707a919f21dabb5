/**
 * Go's net/rpc with the ugorji msgpack codec, as Packer plugins speak it on each broker
 * stream: every message is two msgpack values back to back, a header
 * (`{ServiceMethod, Seq}`, responses add `Error`) and a body. Responses may come out of
 * order and are matched by Seq. A body is ignored when the header carries an error.
 */
import type { Duplex } from 'node:stream';
import { decodeMultiStream, encode, ExtensionCodec } from '@msgpack/msgpack';

/** cty's unknown value in cty msgpack (extension type 0). */
export const UNKNOWN_EXT = Symbol('cty-unknown');

const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: 0,
  encode: (v: unknown) => (v === UNKNOWN_EXT ? new Uint8Array(0) : null),
  decode: () => UNKNOWN_EXT,
});

/** Decoder options: cty's unknown extension; everything else as @msgpack/msgpack reads it. */
export const unpackOptions = { extensionCodec } as const;

/** msgpack encoding as Go's codec expects it (strings as str, bytes as bin, Date as timestamp). */
export function packValue(v: unknown): Uint8Array {
  return encode(v, { extensionCodec, ignoreUndefined: false });
}

/** An error the remote method returned (net/rpc's header `Error`). */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly method: string,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

interface Pending {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

function writeMessage(stream: Duplex, head: Record<string, unknown>, body: unknown): void {
  if (stream.writableEnded || stream.destroyed) return;
  const h = packValue(head);
  const b = packValue(body);
  const out = Buffer.allocUnsafe(h.length + b.length);
  out.set(h, 0);
  out.set(b, h.length);
  stream.write(out);
}

async function* pairs(stream: Duplex): AsyncGenerator<[Record<string, unknown>, unknown]> {
  let head: Record<string, unknown> | undefined;
  for await (const v of decodeMultiStream(stream as AsyncIterable<Uint8Array>, unpackOptions)) {
    if (head === undefined) {
      head = (v ?? {}) as Record<string, unknown>;
      continue;
    }
    yield [head, v];
    head = undefined;
  }
}

/** The calling side of one net/rpc stream. */
export class RpcClient {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private closedWith: Error | undefined;

  constructor(
    private readonly stream: Duplex,
    private readonly label = 'plugin',
  ) {
    void this.readLoop();
  }

  /** Calls `Service.Method`; rejects with {@link RemoteError} for the remote error string. */
  call(method: string, arg: unknown = null): Promise<unknown> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { method, resolve, reject });
      writeMessage(this.stream, { ServiceMethod: method, Seq: seq }, arg);
    });
  }

  /** Half-closes the stream; a plugin's main stream reaching EOF makes the plugin exit. */
  close(): void {
    this.stream.end();
  }

  private async readLoop(): Promise<void> {
    let failure: Error | undefined;
    try {
      for await (const [head, body] of pairs(this.stream)) {
        const seq = Number(head['Seq']);
        const p = this.pending.get(seq);
        if (!p) continue;
        this.pending.delete(seq);
        const err = head['Error'];
        if (typeof err === 'string' && err !== '') p.reject(new RemoteError(err, p.method));
        else p.resolve(body);
      }
    } catch (e) {
      failure = e instanceof Error ? e : new Error(String(e));
    }
    this.closedWith = new Error(`connection to the ${this.label} closed${failure ? `: ${failure.message}` : ''}`);
    for (const p of this.pending.values()) p.reject(this.closedWith);
    this.pending.clear();
  }
}

/** Serves one method call; throw (or reject) to answer with the error string. */
export type RpcHandler = (serviceMethod: string, arg: unknown) => Promise<unknown> | unknown;

/** Serves net/rpc requests on a stream until it ends; each request runs concurrently, as in Go. */
export function serveRpc(stream: Duplex, handler: RpcHandler): Promise<void> {
  return (async () => {
    try {
      for await (const [head, body] of pairs(stream)) {
        const method = String(head['ServiceMethod'] ?? '');
        const seq = head['Seq'];
        void (async () => {
          try {
            const reply = await handler(method, body);
            writeMessage(stream, { ServiceMethod: method, Seq: seq, Error: '' }, reply ?? null);
          } catch (e) {
            const msg = e instanceof Error ? e.message : String(e);
            writeMessage(stream, { ServiceMethod: method, Seq: seq, Error: msg || 'error' }, {});
          }
        })();
      }
    } catch {
      // The peer went away; nothing left to answer.
    }
  })();
}

/** net/rpc splits a name at its last dot: `Uipeer.src.ABC.Add` is service `Uipeer.src.ABC`. */
export function splitMethod(serviceMethod: string): [service: string, method: string] {
  const dot = serviceMethod.lastIndexOf('.');
  return dot < 0 ? [serviceMethod, ''] : [serviceMethod.slice(0, dot), serviceMethod.slice(dot + 1)];
}
