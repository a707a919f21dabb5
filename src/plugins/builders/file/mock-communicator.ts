/**
 * What the file builder hands its provisioners (Packer's `MockCommunicator`): there is
 * no machine, so commands "succeed" with exit 0 and uploads are read and discarded.
 */
import type { Readable, Writable } from 'node:stream';
import type { CommandResult, Communicator } from '../../../sdk/communicator.js';

export class MockCommunicator implements Communicator {
  readonly type = 'mock';

  async run(): Promise<CommandResult> {
    return { kind: 'exited', exitStatus: 0 };
  }

  async upload(_dst: string, source: Readable | Buffer): Promise<void> {
    if (Buffer.isBuffer(source)) return;
    for await (const _chunk of source) {
      // drained: the bytes go nowhere
    }
  }

  async uploadDir(): Promise<void> {}

  async download(_src: string, _sink: Writable): Promise<void> {}

  async downloadDir(): Promise<void> {}

  async close(): Promise<void> {}
}
