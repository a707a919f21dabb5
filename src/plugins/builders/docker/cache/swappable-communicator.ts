/**
 * The provisioners' communicator while the step cache swaps containers: every call
 * goes to the communicator of the container the build runs in now. Provisioners
 * never see the swap; the hook holds this one object for the whole build.
 *
 * A swap is deferred until the next call: after the last step nothing calls, and the
 * build commits the container it has instead of starting one more.
 */
import type { Writable, Readable } from 'node:stream';
import type { CommandResult, Communicator, RemoteCommand, UploadInfo } from '../../../../sdk/communicator.js';

export class SwappableCommunicator implements Communicator {
  #inner: Communicator;
  #pending: ((signal: AbortSignal) => Promise<Communicator>) | undefined;
  #swapping: Promise<void> | undefined;
  #uses = 0;

  constructor(inner: Communicator) {
    this.#inner = inner;
  }

  /** Runs `swap` before the next call, which then goes to the communicator it resolves with. */
  defer(swap: (signal: AbortSignal) => Promise<Communicator>): void {
    this.#pending = swap;
  }

  /** Whether a deferred swap has not run yet. */
  get deferred(): boolean {
    return this.#pending !== undefined;
  }

  /** How many calls reached this communicator so far (a change means something ran in the machine). */
  get uses(): number {
    return this.#uses;
  }

  async #ready(signal: AbortSignal | undefined): Promise<Communicator> {
    this.#uses++;
    const swap = this.#pending;
    if (swap !== undefined) {
      this.#pending = undefined;
      this.#swapping = swap(signal ?? new AbortController().signal).then((next) => this.replace(next));
    }
    await this.#swapping;
    return this.#inner;
  }

  get type(): string {
    return this.#inner.type;
  }

  /** Points every later call at `next` and closes the one it replaces. */
  replace(next: Communicator): void {
    const old = this.#inner;
    this.#inner = next;
    void old.close().catch(() => undefined);
  }

  async run(cmd: RemoteCommand, signal?: AbortSignal): Promise<CommandResult> {
    return (await this.#ready(signal)).run(cmd, signal);
  }

  async upload(dst: string, source: Readable | Buffer, info?: UploadInfo, signal?: AbortSignal): Promise<void> {
    return (await this.#ready(signal)).upload(dst, source, info, signal);
  }

  async uploadDir(dst: string, src: string, exclude?: readonly string[], signal?: AbortSignal): Promise<void> {
    return (await this.#ready(signal)).uploadDir(dst, src, exclude, signal);
  }

  async download(src: string, sink: Writable, signal?: AbortSignal): Promise<void> {
    return (await this.#ready(signal)).download(src, sink, signal);
  }

  async downloadDir(src: string, dst: string, exclude?: readonly string[], signal?: AbortSignal): Promise<void> {
    return (await this.#ready(signal)).downloadDir(src, dst, exclude, signal);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
