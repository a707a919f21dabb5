/**
 * The docker builder's source identity for the step cache: what the base image IS,
 * never what it is called. The tag moves, and the local image ID differs when one tar
 * is imported twice (it hashes the creation time and history), so the identity is the
 * root filesystem's layer diff IDs (content digests of the uncompressed layers), the
 * platform, and the image's run configuration (Env, User, WorkingDir, Entrypoint,
 * Cmd... change what provisioners do and what the final image is) less the fields the
 * engine fills per container or per import (`Hostname`, `Domainname`, `Image`).
 * Two engines that pulled the same image from a registry agree on it.
 */
import { createHash } from 'node:crypto';
import type { ImageInfo } from '../../../../sdk/docker/driver.js';

/** Fields of an image's `Config` that name a container or a parent, not content. */
const PER_INSTANCE = new Set(['Hostname', 'Domainname', 'Image']);

/** `docker-image:<platform>:sha256:<hex>` for `info` (see the module comment). */
export function imageIdentity(info: Pick<ImageInfo, 'diffIds' | 'platform' | 'config'>): string {
  const config = Object.fromEntries(Object.entries(info.config).filter(([k, v]) => !PER_INSTANCE.has(k) && v !== null && v !== undefined && v !== ''));
  const text = sortedJson({ diffIds: info.diffIds, platform: info.platform, config });
  return `docker-image:${info.platform}:sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** JSON with object keys sorted, so equal values give equal text. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${sortedJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
