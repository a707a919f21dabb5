/**
 * Serving kiln objects to a plugin on a broker stream: a table of services (`Ui`,
 * `Hook`, `Communicator`, `Artifact`), each a table of methods, dispatched by net/rpc's
 * `Service.Method` name. Services can be added while the stream is served (the Ui's
 * progress trackers register `Ui<id>`, as Go core does).
 */
import type { Duplex } from 'node:stream';
import { serveRpc, splitMethod } from '../rpc/net-rpc.js';

export type Methods = Record<string, (arg: unknown) => unknown>;

/** The services of one served stream. */
export class ServiceTable {
  private readonly services = new Map<string, Methods>();

  add(name: string, methods: Methods): this {
    this.services.set(name, methods);
    return this;
  }

  remove(name: string): void {
    this.services.delete(name);
  }

  /** Serves the table on `stream` until the peer closes it. */
  serve(stream: Duplex): Promise<void> {
    return serveRpc(stream, async (serviceMethod, arg) => {
      const [service, method] = splitMethod(serviceMethod);
      const s = this.services.get(service);
      if (!s) throw new Error(`rpc: can't find service ${serviceMethod}`);
      const m = s[method];
      if (!m) throw new Error(`rpc: can't find method ${serviceMethod}`);
      return await m(arg);
    });
  }
}

/** A field of a msgpack-decoded Go struct. */
export function field(arg: unknown, name: string): unknown {
  return typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>)[name] : undefined;
}

export function fieldString(arg: unknown, name: string): string {
  const v = field(arg, name);
  return typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : '';
}

export function fieldNumber(arg: unknown, name: string): number {
  const v = field(arg, name);
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}

/** The message of a Go error value sent in a body (`{Message}` of *BasicError), if any. */
export function bodyError(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v || undefined;
  const m = field(v, 'Message');
  if (typeof m === 'string') return m;
  return JSON.stringify(v);
}
