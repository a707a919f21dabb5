/**
 * The capture of a cached docker build: the final commit (`changes`, `author`,
 * `message` on top of the last step's image) is kept as `kiln-cache:capture-<key>`,
 * whose key chains the last step's key and those settings. A rebuild whose every step
 * hits and whose capture tag exists starts no container at all: the artifact is that
 * image (the no-op rebuild costs a few engine lookups). Only a build whose every step
 * is in the chain gets a capture tag: one that stopped recording (a barrier, a failed
 * snapshot, continue_on_error) ran steps the chain does not name.
 */
import { createHash } from 'node:crypto';
import type { ImageInfo } from '../../../../sdk/docker/driver.js';
import type { DockerConfig } from '../config.js';
import { changesWithDefaults } from '../steps/commit.js';
import { CACHE_REPOSITORY } from './remote.js';

/** `kiln-cache:capture-<key>` for a commit of `lastStepKey`'s image with the config's settings. */
export function captureTag(lastStepKey: string, config: DockerConfig, source: Pick<ImageInfo, 'cmd' | 'entrypoint'> | undefined): string {
  const settings = { v: 'kiln-docker-capture-1', parent: lastStepKey, changes: changesWithDefaults(config.changes ?? [], source), author: config.author ?? '', message: config.message ?? '' };
  return `${CACHE_REPOSITORY}:capture-${createHash('sha256').update(JSON.stringify(settings)).digest('hex')}`;
}
