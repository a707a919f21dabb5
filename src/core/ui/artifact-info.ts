/**
 * An artifact as the `artifact` event describes it: builder id, id, files, the summary
 * line and the plain values of its generated data.
 */
import type { Artifact } from '../../sdk/artifact.js';
import { generatedDataOf } from '../../sdk/artifact.js';
import type { ArtifactInfo } from './events.js';

/**
 * `index`: the artifact's position in its build's list (the `-machine-readable` artifact
 * number). Never rejects: what the artifact cannot answer is left empty.
 */
export async function artifactInfo(a: Artifact, index: number): Promise<ArtifactInfo> {
  // An artifact of another process answers over RPC; a failure there costs the event its text, not the run.
  const [description, data] = await Promise.all([
    Promise.resolve()
      .then(() => a.describe())
      .catch(() => ''),
    generatedDataOf(a).catch((): Record<string, unknown> => ({})),
  ]);
  const plain = Object.entries(data).filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');
  return {
    index,
    builderId: a.builderId,
    id: a.id,
    description,
    files: [...a.files],
    ...(plain.length > 0 ? { generatedData: Object.fromEntries(plain) } : {}),
  };
}
