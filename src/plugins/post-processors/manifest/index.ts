/**
 * The `manifest` post-processor: appends one entry per build (name, builder type, time,
 * files with sizes, artifact id, run UUID, custom data) to a JSON file, and passes its
 * input artifact on untouched.
 */
import { definePostProcessor } from '../../../sdk/component.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { bool, map, str } from '../../../sdk/schema/index.js';

const DEFAULT_OUTPUT = 'packer-manifest.json';

const schema = {
  output: str().default(DEFAULT_OUTPUT).doc('The file the manifest is written to.'),
  strip_path: bool().default(false).doc('Record only file names, without their directories.'),
  strip_time: bool().default(false).doc('Leave `build_time` out of the entry.'),
  custom_data: map(str()).late().doc('Arbitrary data for the entry; values are templates rendered with the build\'s generated data.'),
};

export type ManifestConfig = Infer<typeof schema>;

export const manifestPostProcessor = definePostProcessor({
  name: 'manifest',
  schema,
  // Writing the file is loaded when a build runs the step, not by validate.
  postProcess: async (config, ctx) => (await import('./run.js')).runManifest({ ...config, output: config.output === '' ? DEFAULT_OUTPUT : config.output }, ctx),
});

export default manifestPostProcessor;
