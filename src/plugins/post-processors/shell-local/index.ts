/**
 * The `shell-local` post-processor: runs commands or scripts on the machine running
 * kiln with the artifact's generated data, and passes the artifact on (Packer's
 * `post-processor/shell-local`, on the shared shell-local runner).
 */
import type { PostProcessContext, PostProcessOutput } from '../../../sdk/component.js';
import { definePostProcessor, preparedFromMessages } from '../../../sdk/component.js';
import type { Result } from '../../../sdk/result.js';
import { ok } from '../../../sdk/result.js';
import type { ShellLocalConfig, ShellLocalSettings } from '../../../sdk/shell-local/config.js';
import { resolveShellLocal, shellLocalSchema } from '../../../sdk/shell-local/config.js';
import { generatedDataOf } from '../run-data.js';

export const shellLocalPostProcessor = definePostProcessor({
  name: 'shell-local',
  schema: shellLocalSchema,
  // A one-element execute_command gets `sh -c` in front: the post-processor's old string form.
  prepare: async (config: ShellLocalConfig) => {
    const { settings, errors } = resolveShellLocal(config, { postProcessor: true });
    return preparedFromMessages(settings, errors);
  },
  postProcess: runShellLocalPostProcessor,
});

export default shellLocalPostProcessor;

async function runShellLocalPostProcessor(settings: ShellLocalSettings, ctx: PostProcessContext): Promise<Result<PostProcessOutput>> {
  // The runner (child processes, temp files) is loaded when a build runs it, not by validate.
  const { runShellLocal } = await import('../../../sdk/shell-local/run.js');
  const res = await runShellLocal(settings, { ui: ctx.ui, signal: ctx.signal, packer: ctx.packer, generatedData: await generatedDataOf(ctx.artifact), ...(ctx.ledger ? { ledger: ctx.ledger } : {}) });
  if (res.kind === 'error') return res;
  // Always keep the input: deleting it here would lose it instead of passing it through.
  return ok({ artifact: ctx.artifact, keep: true, forceOverride: true });
}
