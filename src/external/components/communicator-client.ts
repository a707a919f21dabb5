/**
 * A plugin builder's communicator, as a kiln Communicator: what kiln's native
 * provisioners run over when the builder is a plugin. The client side of Packer's
 * `Communicator` service: kiln allocates and accepts the data streams (stdin, stdout,
 * stderr, the gob exit status, upload and download bytes) and the plugin dials them.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CommandResult, Communicator, RemoteCommand, UploadInfo } from '../../sdk/communicator.js';
import type { MuxBroker } from '../rpc/broker.js';
import { decodeCommandFinished } from '../rpc/gob.js';
import type { RpcClient } from '../rpc/net-rpc.js';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Communicator over `client` (a Hook.Run stream of a plugin builder). */
export class PluginCommunicator implements Communicator {
  readonly type = 'plugin';

  constructor(
    private readonly client: RpcClient,
    private readonly broker: MuxBroker,
  ) {}

  async run(cmd: RemoteCommand): Promise<CommandResult> {
    const ids = { stdin: 0, stdout: 0, stderr: 0, response: this.broker.nextId() };
    const pumps: Promise<unknown>[] = [];
    const accept = (id: number, use: (s: Readable & Writable) => Promise<unknown>): void => {
      pumps.push(this.broker.accept(id).then(use));
    };
    if (cmd.stdin) {
      ids.stdin = this.broker.nextId();
      const input = cmd.stdin;
      accept(ids.stdin, (s) => pipeline(input, s));
    }
    if (cmd.onStdout) {
      ids.stdout = this.broker.nextId();
      const on = cmd.onStdout;
      accept(ids.stdout, async (s) => {
        for await (const c of s) on(c as Buffer);
      });
    }
    if (cmd.onStderr) {
      ids.stderr = this.broker.nextId();
      const on = cmd.onStderr;
      accept(ids.stderr, async (s) => {
        for await (const c of s) on(c as Buffer);
      });
    }
    const response = this.broker.accept(ids.response).then(collect);
    await this.client.call('Communicator.Start', {
      Command: cmd.command,
      StdinStreamId: ids.stdin,
      StdoutStreamId: ids.stdout,
      StderrStreamId: ids.stderr,
      ResponseStreamId: ids.response,
    });
    let status: number;
    try {
      status = decodeCommandFinished(await response);
    } catch (e) {
      return { kind: 'disconnected', reason: (e as Error).message };
    }
    await Promise.allSettled(pumps);
    return { kind: 'exited', exitStatus: status };
  }

  async upload(dst: string, source: Readable | Buffer, info?: UploadInfo): Promise<void> {
    const id = this.broker.nextId();
    const sending = this.broker.accept(id).then((s) => pipeline(Buffer.isBuffer(source) ? Readable.from([source]) : source, s));
    const size = info?.size ?? (Buffer.isBuffer(source) ? source.length : undefined);
    const fileInfo = size === undefined ? null : { N: dst.slice(dst.lastIndexOf('/') + 1), S: size, M: info?.mode ?? 0o644, T: new Date() };
    const call = this.client.call('Communicator.Upload', { Path: dst, ReaderStreamId: id, FileInfo: fileInfo });
    await Promise.all([sending, call]);
  }

  async uploadDir(dst: string, src: string, exclude?: readonly string[]): Promise<void> {
    await this.client.call('Communicator.UploadDir', { Dst: dst, Src: src, Exclude: exclude ?? [] });
  }

  async download(src: string, sink: Writable): Promise<void> {
    const id = this.broker.nextId();
    const receiving = this.broker.accept(id).then((s) => pipeline(s, sink, { end: false }));
    await Promise.all([receiving, this.client.call('Communicator.Download', { Path: src, WriterStreamId: id })]);
  }

  async downloadDir(src: string, dst: string, exclude?: readonly string[]): Promise<void> {
    await this.client.call('Communicator.DownloadDir', { Dst: dst, Src: src, Exclude: exclude ?? [] });
  }

  async close(): Promise<void> {
    // The plugin owns the connection; it closes it when its build ends.
  }
}
