/**
 * The `file` builder: writes one local file, from `source` or `content`, and makes it
 * the artifact (Packer's `builder/file`). Provisioners run against a mock
 * communicator, with no generated data.
 */
import { copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Artifact } from '../../../sdk/artifact.js';
import type { PrepareDiagnostic } from '../../../sdk/component.js';
import { defineBuilder, prepareError, prepared, prepareWarning } from '../../../sdk/component.js';
import { fail, ok } from '../../../sdk/result.js';
import { str } from '../../../sdk/schema/index.js';
import { MockCommunicator } from './mock-communicator.js';

export const FILE_BUILDER_ID = 'packer.file';

export const fileBuilderSchema = {
  source: str().localPath().doc('A local file to copy to `target`.'),
  content: str().doc('Text to write to `target` (mode 0600); exclusive with `source`.'),
  target: str().doc('The file to create. Required.'),
};

export function fileArtifact(target: string): Artifact {
  return {
    builderId: FILE_BUILDER_ID,
    files: [target],
    id: 'File',
    describe: () => `Stored file: ${target}`,
    state: () => undefined,
    destroy: () => rm(target),
  };
}

export default defineBuilder({
  name: 'file',
  schema: fileBuilderSchema,
  async prepare(config) {
    const diags: PrepareDiagnostic[] = [];
    if (!config.target) diags.push(prepareError('target required'));
    if (!config.content && !config.source) diags.push(prepareWarning('Both source file and contents are blank; target will have no content'));
    if (config.content && config.source) diags.push(prepareError('Cannot specify source file AND content', 'content'));
    return prepared(config, diags);
  },
  async run(config, ctx) {
    const target = config.target ?? '';
    try {
      const dir = path.dirname(target);
      if (dir !== '.') await mkdir(dir, { recursive: true, mode: 0o755 });
      if (config.source) {
        ctx.ui.say(`Copying ${config.source} to ${target}`);
        await copyFile(config.source, target);
        ctx.ui.say(`Copied ${(await stat(target)).size} bytes`);
      } else {
        await writeFile(target, config.content ?? '', { mode: 0o600 });
      }
    } catch (err) {
      return fail(err as Error);
    }
    const res = await ctx.hook.run('packer_provision', ctx.ui, new MockCommunicator(), {}, ctx.signal);
    if (res.kind === 'error') return res;
    return ok(fileArtifact(target));
  },
});
