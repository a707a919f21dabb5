/**
 * An artifact as the `artifact` event describes it: builder id, id, files, the summary
 * line and the plain values of its generated data.
 */
import type { Artifact } from '../../sdk/artifact.js';
import { generatedDataOf } from '../../sdk/artifact.js';
import type { ArtifactInfo } from './events.js';

/** `index`: the artifact's position in its build's list (the `-machine-readable` artifact number). */
export async function artifactInfo(a: Artifact, index: number): Promise<ArtifactInfo> {
  const [description, data] = await Promise.all([a.describe(), generatedDataOf(a)]);
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
