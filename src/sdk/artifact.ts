/** What a builder or post-processor produced (Packer's Artifact). */
export interface Artifact {
  /** Identifies the kind of artifact, e.g. `packer.docker`, `mitchellh.qemu`. */
  readonly builderId: string;
  /** Local files that make up the artifact (may be empty). */
  readonly files: readonly string[];
  /** An identifier: an image ID, a path; `''` when there is none. */
  readonly id: string;
  /** One line for the final summary: `--> name: <description>` (may be asked over RPC). */
  describe(): string | Promise<string>;
  /**
   * Extra data by well-known name: `generated_data` (the build's generated data),
   * `par.artifact.metadata`; undefined when not provided. May answer asynchronously
   * (an artifact of a component in another process); callers await it.
   */
  state(name: string): unknown;
  /** Removes what the artifact holds (files, images) when no later step keeps it. */
  destroy(): Promise<void>;
}

/** A copy of the build's generated data an artifact carries (`generated_data` state); `{}` when it has none. */
export async function generatedDataOf(artifact: Artifact): Promise<Record<string, unknown>> {
  const data: unknown = await artifact.state('generated_data');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
  return { ...(data as Record<string, unknown>) };
}
