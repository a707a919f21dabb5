/**
 * The communicator of `communicator = "none"` (sdk `sdk-internals/communicator/none`):
 * commands "run" and exit 0 without doing anything; every transfer fails with
 * Packer's message.
 */
import type { CommandResult, Communicator } from '../../../sdk/communicator.js';

export class NoneCommunicator implements Communicator {
  readonly type = 'none';

  async run(): Promise<CommandResult> {
    return { kind: 'exited', exitStatus: 0 };
  }

  async upload(): Promise<void> {
    throw new Error("Upload is not implemented when communicator = 'none'");
  }

  async uploadDir(): Promise<void> {
    throw new Error("UploadDir is not implemented when communicator = 'none'");
  }

  async download(): Promise<void> {
    throw new Error("Download is not implemented when communicator = 'none'");
  }

  async downloadDir(): Promise<void> {
    throw new Error("DownloadDir is not implemented when communicator = 'none'");
  }

  async close(): Promise<void> {}
}
