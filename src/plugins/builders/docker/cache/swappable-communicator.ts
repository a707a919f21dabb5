/**
 * The provisioners' communicator while the step cache swaps containers: every call
 * goes to the communicator of the container the build runs in now. Provisioners
 * never see the swap; the hook holds this one object for the whole build.
 */
import type { Writable, Readable } from 'node:stream';
import type { CommandResult, Communicator, RemoteCommand, UploadInfo } from '../../../../sdk/communicator.js';

export class SwappableCommunicator implements Communicator {
  #inner: Communicator;

  constructor(inner: Communicator) {
    this.#inner = inner;
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

  run(cmd: RemoteCommand, signal?: AbortSignal): Promise<CommandResult> {
    return this.#inner.run(cmd, signal);
  }

  upload(dst: string, source: Readable | Buffer, info?: UploadInfo, signal?: AbortSignal): Promise<void> {
    return this.#inner.upload(dst, source, info, signal);
  }

  uploadDir(dst: string, src: string, exclude?: readonly string[], signal?: AbortSignal): Promise<void> {
    return this.#inner.uploadDir(dst, src, exclude, signal);
  }

  download(src: string, sink: Writable, signal?: AbortSignal): Promise<void> {
    return this.#inner.download(src, sink, signal);
  }

  downloadDir(src: string, dst: string, exclude?: readonly string[], signal?: AbortSignal): Promise<void> {
    return this.#inner.downloadDir(src, dst, exclude, signal);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
