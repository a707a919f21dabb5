/**
 * kiln's communicator served to a plugin provisioner (Packer's `Communicator` service,
 * server side): the plugin allocates the data streams and kiln dials them; a command's
 * exit status goes back as gob `CommandFinished` on its response stream.
 */
import type { Communicator } from '../../sdk/communicator.js';
import type { MuxBroker } from '../rpc/broker.js';
import { encodeCommandFinished } from '../rpc/gob.js';
import type { YamuxStream } from '../rpc/yamux.js';
import { field, fieldNumber, fieldString, type ServiceTable } from './serve.js';

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** Adds `Communicator` to a service table; `signal` cancels running commands. */
export function addCommunicatorService(table: ServiceTable, comm: Communicator, broker: MuxBroker, signal: AbortSignal): ServiceTable {
  const dialIf = (id: number): Promise<YamuxStream | undefined> => (id > 0 ? broker.dial(id) : Promise.resolve(undefined));
  return table.add('Communicator', {
    Start: async (arg) => {
      const [stdin, stdout, stderr, response] = await Promise.all([
        dialIf(fieldNumber(arg, 'StdinStreamId')),
        dialIf(fieldNumber(arg, 'StdoutStreamId')),
        dialIf(fieldNumber(arg, 'StderrStreamId')),
        dialIf(fieldNumber(arg, 'ResponseStreamId')),
      ]);
      const running = comm.run(
        {
          command: fieldString(arg, 'Command'),
          ...(stdin ? { stdin } : {}),
          ...(stdout ? { onStdout: (c: Buffer) => stdout.write(c) } : {}),
          ...(stderr ? { onStderr: (c: Buffer) => stderr.write(c) } : {}),
        },
        signal,
      );
      void running
        .then(
          (r) => (r.kind === 'exited' ? r.exitStatus : 123),
          () => 123,
        )
        .then((status) => {
          stdout?.end();
          stderr?.end();
          stdin?.destroy();
          response?.end(encodeCommandFinished(status));
        });
      return null;
    },
    Upload: async (arg) => {
      const reader = await broker.dial(fieldNumber(arg, 'ReaderStreamId'));
      const info = field(arg, 'FileInfo');
      const mode = fieldNumber(info, 'M');
      const size = field(info, 'S');
      await comm.upload(fieldString(arg, 'Path'), reader, { ...(mode ? { mode: mode & 0o7777 } : {}), ...(typeof size === 'number' ? { size } : {}) }, signal);
      return null;
    },
    UploadDir: async (arg) => {
      await comm.uploadDir(fieldString(arg, 'Dst'), fieldString(arg, 'Src'), strings(field(arg, 'Exclude')), signal);
      return null;
    },
    Download: async (arg) => {
      const writer = await broker.dial(fieldNumber(arg, 'WriterStreamId'));
      try {
        await comm.download(fieldString(arg, 'Path'), writer, signal);
      } finally {
        writer.end();
      }
      return null;
    },
    DownloadDir: async (arg) => {
      await comm.downloadDir(fieldString(arg, 'Src'), fieldString(arg, 'Dst'), strings(field(arg, 'Exclude')), signal);
      return null;
    },
  });
}
