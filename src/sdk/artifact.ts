/** What a builder or post-processor produced (Packer's Artifact). */
export interface Artifact {
  /** Identifies the kind of artifact, e.g. `packer.docker`, `mitchellh.qemu`. */
  readonly builderId: string;
  /** Local files that make up the artifact (may be empty). */
  readonly files: readonly string[];
  /** An identifier: an image ID, a path; `''` when there is none. */
  readonly id: string;
  /** One line for the final summary: `--> name: <description>`. */
  describe(): string;
  /**
   * Extra data by well-known name: `generated_data` (the build's generated data),
   * `par.artifact.metadata`; undefined when not provided.
   */
  state(name: string): unknown;
  /** Removes what the artifact holds (files, images) when no later step keeps it. */
  destroy(): Promise<void>;
}

/** A copy of the build's generated data an artifact carries (`generated_data` state); `{}` when it has none. */
export function generatedDataOf(artifact: Artifact): Record<string, unknown> {
  const data = artifact.state('generated_data');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
  return { ...(data as Record<string, unknown>) };
}
