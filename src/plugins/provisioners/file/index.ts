/**
 * The `file` provisioner: copies files and directories to the machine, or from it,
 * through the communicator (Packer's `provisioner/file`).
 */
import { rm } from 'node:fs/promises';
import { defineProvisioner, prepared } from '../../../sdk/component.js';
import type { ProvisionContext } from '../../../sdk/component.js';
import type { Result } from '../../../sdk/result.js';
import { createTempFile } from '../../../sdk/shell-local/temp-file.js';
import type { FileSettings } from './config.js';
import { fileSchema, resolveFile } from './config.js';

export default defineProvisioner({
  name: 'file',
  schema: fileSchema,
  async prepare(config) {
    const { settings, diagnostics } = resolveFile(config);
    return prepared(settings, diagnostics);
  },
  provision: (prepared, ctx) => provisionFile(prepared, ctx),
});

async function provisionFile(s: FileSettings, ctx: ProvisionContext): Promise<Result<void>> {
  const sources = [...s.sources];
  let temp: string | undefined;
  try {
    if (s.content !== '') {
      temp = await createTempFile('pkr-file-content', s.content);
      sources.push(temp);
    }
    // Sources and destination were rendered with the generated data when core decoded them.
    // The transfer code (streams) is loaded when a build runs the step, not by validate.
    const { downloadAll, uploadAll } = await import('./transfer.js');
    return s.direction === 'download' ? await downloadAll(sources, s.destination, ctx) : await uploadAll(sources, s.destination, ctx);
  } finally {
    if (temp) await rm(temp, { force: true });
  }
}
