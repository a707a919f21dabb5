/** The docker builder's typed state, shared by its steps. */
import type { MachineSnapshots, ResumePoint } from '../../../sdk/component.js';
import type { StepAction } from '../../../sdk/multistep/step.js';
import { halt } from '../../../sdk/multistep/step.js';
import type { CommonState } from '../../../sdk/steps/index.js';
import type { DockerConfig } from './config.js';
import type { DockerDriver, ImageInfo } from '../../../sdk/docker/driver.js';

export interface DockerState extends CommonState {
  readonly config: DockerConfig;
  readonly driver: DockerDriver;
  /** The host folder shared with the container at `container_dir` (step temp dir). */
  tempDir?: string;
  /** The base image as inspected after the pull. */
  source?: ImageInfo;
  /** The build container (step run); also `instanceId`. */
  containerId?: string;
  /** The container's address, for `communicator = "ssh"`. */
  containerIp?: string;
  /** The committed image's ID (step commit). */
  imageId?: string;
  /** With the step cache: where `start` said to begin (`resume` undefined: from `image`). */
  cache?: {
    readonly resume?: ResumePoint;
    /** Every provisioner is cached: no process runs, the container is only created for the capture. */
    readonly fullHit: boolean;
    /** The build's provisioner count. */
    readonly steps: number;
    /** Whether this build records steps (then it also records its capture). */
    readonly record: boolean;
    /** Full hit and the capture is cached too: the image (`sha256:...`), no container needed. */
    readonly captured?: string;
    /** The keys the build's snapshots were taken under, in order. */
    readonly recorded: string[];
  };
  /** Resumed in a container a failed run kept (`-resume`): how many provisioners ran in it, and which it is. */
  inPlace?: { readonly provisioners: number; readonly where: string };
  /** With the step cache and a running container: its snapshots, for the provision hook. */
  machine?: MachineSnapshots;
  /** Builder-specific generated data: `ImageSha256`, `SourceImageDigest`, `SourceImageSha256`. */
  generatedData: Record<string, unknown>;
}

/** Packer's placeholders until a step finds the real values. */
export const DEFAULT_GENERATED_DATA: Readonly<Record<string, string>> = {
  ImageSha256: 'ERR_IMAGE_SHA256_NOT_FOUND',
  SourceImageDigest: 'ERR_SOURCE_IMAGE_DIGEST_NOT_FOUND',
  SourceImageSha256: 'ERR_SOURCE_IMAGE_SHA256_NOT_FOUND',
};

/** Tells the user, then stops the build with `message` (Packer's steps `ui.Error` before halting). */
export function haltWith(state: DockerState, message: string): StepAction {
  state.ui.error(message);
  return halt(message);
}
