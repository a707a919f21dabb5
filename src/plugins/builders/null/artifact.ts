/** The null builder's artifact (Packer's `NullArtifact`): nothing, by design. */
import type { Artifact } from '../../../sdk/artifact.js';

export const NULL_BUILDER_ID = 'fnoeding.null';

export const nullArtifact: Artifact = {
  builderId: NULL_BUILDER_ID,
  files: [],
  id: 'Null',
  describe: () => 'Did not export anything. This is the null builder',
  state: (name) => (name === 'generated_data' ? { ID: 'Null' } : undefined),
  destroy: async () => undefined,
};
