/**
 * The `artifice` post-processor: replaces the artifact's files with the files the
 * template names (globs allowed), so later post-processors work on those.
 */
import type { PostProcessContext, PostProcessOutput } from '../../../sdk/component.js';
import { definePostProcessor, prepareError, prepared } from '../../../sdk/component.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { bool, list, str } from '../../../sdk/schema/index.js';
import { ARTIFICE_BUILDER_ID, FilesArtifact } from '../files-artifact.js';
import { goGlob } from './go-glob.js';

const schema = {
  files: list(str()).localPath().doc('Files for the new artifact; Go glob patterns (`*`, `?`, `[...]`). Required.'),
  keep_input_artifact: bool().doc('Keep the input artifact (the post-processor default is to keep it). Core applies it.'),
};

export type ArtificeConfig = Infer<typeof schema>;

export const artificePostProcessor = definePostProcessor({
  name: 'artifice',
  schema,
  prepare: async (config: ArtificeConfig) => prepared(config, (config.files ?? []).length === 0 ? [prepareError('No files specified in artifice configuration', 'files')] : []),
  postProcess: runArtifice,
});

async function runArtifice(config: ArtificeConfig, ctx: PostProcessContext): Promise<Result<PostProcessOutput>> {
  const previous = ctx.artifact.files;
  if (previous.length > 0) ctx.ui.say(`Discarding files from artifact: ${previous.join(', ')}`);
  const files: string[] = [];
  try {
    for (const pattern of config.files ?? []) files.push(...goGlob(pattern));
  } catch (err) {
    return fail(err as Error);
  }
  ctx.ui.say(`Using these artifact files: ${files.join(', ')}`);
  // Keep the input by default, but let the user's keep_input_artifact decide.
  return ok({ artifact: new FilesArtifact(ARTIFICE_BUILDER_ID, files), keep: true, forceOverride: false });
}

export default artificePostProcessor;
