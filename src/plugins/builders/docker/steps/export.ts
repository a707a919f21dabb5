/**
 * Packer's StepExport: streams `docker export` of the container into `export_path`
 * (folders created as needed). A failed export leaves no partial file.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE } from '../../../../sdk/multistep/step.js';
import { haltWith, type DockerState } from '../state.js';

export function stepExport(exportPath: string): Step<DockerState> {
  return {
    name: 'StepExport',
    async run(state, signal) {
      try {
        await mkdir(path.dirname(exportPath), { recursive: true });
      } catch (err) {
        return haltWith(state, `Error creating the folder of ${exportPath}: ${(err as Error).message}`);
      }
      const sink = createWriteStream(exportPath);
      const opened = new Promise<Error | undefined>((resolve) => {
        sink.once('open', () => resolve(undefined));
        sink.once('error', (e) => resolve(e));
      });
      const openError = await opened;
      if (openError) return haltWith(state, `Error creating output file: ${openError.message}`);
      state.ui.say('Exporting the container');
      let message: string | undefined;
      try {
        const r = await state.driver.exportContainer(state.containerId ?? '', sink, signal);
        if (r.kind === 'error') message = r.message;
      } catch (err) {
        message = (err as Error).message;
      }
      sink.end();
      await finished(sink).catch((e: unknown) => (message ??= `Error writing ${exportPath}: ${(e as Error).message}`));
      if (message !== undefined) {
        await rm(exportPath, { force: true });
        return haltWith(state, message);
      }
      return CONTINUE;
    },
  };
}
