/**
 * The `checksum` post-processor: for each checksum type and each file of its input,
 * appends `<hex digest>\t<file name>` to an output file named by a template, and
 * returns the input files plus the checksum files it created.
 */
import { open, appendFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PostProcessContext, PostProcessOutput, Prepared } from '../../../sdk/component.js';
import { definePostProcessor, prepareError, prepared } from '../../../sdk/component.js';
import { renderRepeatedly } from '../../../sdk/interpolate/index.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { list, str } from '../../../sdk/schema/index.js';
import { FilesArtifact } from '../files-artifact.js';
import { goPathError } from '../go-error.js';
import { generatedDataOf, runContext } from '../run-data.js';

/** Digest names as Packer spells them, with node:crypto's algorithm for each. */
export const CHECKSUM_TYPES = { md5: 'md5', sha1: 'sha1', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' } as const;
export type ChecksumType = keyof typeof CHECKSUM_TYPES;

export const DEFAULT_CHECKSUM_OUTPUT = 'packer_{{.BuildName}}_{{.BuilderType}}_{{.ChecksumType}}.checksum';

const schema = {
  checksum_types: list(str()).default(['md5']).doc('Digests to compute: md5, sha1, sha224, sha256, sha384, sha512.'),
  output: str()
    .default(DEFAULT_CHECKSUM_OUTPUT)
    .late()
    .doc('Checksum file path; a template with `{{.BuildName}}`, `{{.BuilderType}}`, `{{.ChecksumType}}` and the build\'s generated data.'),
};

export type ChecksumConfig = Infer<typeof schema>;

export const checksumPostProcessor = definePostProcessor({
  name: 'checksum',
  schema,
  prepare: prepareChecksum,
  postProcess: runChecksum,
});

async function prepareChecksum(config: ChecksumConfig): Promise<Prepared<ChecksumConfig>> {
  const unknown = config.checksum_types.filter((t) => !Object.hasOwn(CHECKSUM_TYPES, t));
  return prepared(config, unknown.map((t) => prepareError(`Unrecognized checksum type: ${t}`, 'checksum_types')));
}

export const CHECKSUM_BUILDER_ID = 'packer.post-processor.checksum';

async function runChecksum(config: ChecksumConfig, ctx: PostProcessContext): Promise<Result<PostProcessOutput>> {
  const types = config.checksum_types as ChecksumType[];
  const files = ctx.artifact.files;
  const template = config.output === '' ? DEFAULT_CHECKSUM_OUTPUT : config.output;
  // One read of each file feeds every digest; Packer reads it once per type.
  const digests: Map<ChecksumType, string>[] = [];
  for (const file of files) {
    const r = await hashFile(file, types, ctx.signal);
    if (r.kind === 'error') return r;
    digests.push(r.value);
  }
  const data = { ...(await generatedDataOf(ctx.artifact)), BuildName: ctx.packer.buildName, BuilderType: ctx.packer.builderType };
  const created: string[] = [];
  for (const type of types) {
    for (const [i, file] of files.entries()) {
      const rendered = renderRepeatedly(template, runContext(ctx.packer, { ...data, ChecksumType: type }));
      if (rendered.kind === 'error') return fail(rendered.message);
      const target = rendered.value;
      const existed = await stat(target).then(() => true, () => false);
      if (!existed && !created.includes(target)) created.push(target);
      try {
        await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
      } catch (err) {
        return fail(`unable to create dir: ${goPathError(err)}`);
      }
      try {
        await appendFile(target, `${digests[i]?.get(type)}\t${path.basename(file)}\n`, { mode: 0o644 });
      } catch (err) {
        return fail(`unable to create file ${target}: ${goPathError(err)}`);
      }
    }
  }
  // Keep (and insist on keeping) the input: these are the very files just summed.
  return ok({ artifact: new FilesArtifact(CHECKSUM_BUILDER_ID, [...files, ...created]), keep: true, forceOverride: true });
}

const CHUNK = 1 << 20;

/** Streams `file` once through every requested digest. */
export async function hashFile(file: string, types: readonly ChecksumType[], signal?: AbortSignal): Promise<Result<Map<ChecksumType, string>>> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    return fail(`unable to open file ${file}: ${goPathError(err)}`);
  }
  try {
    // node:crypto is loaded when a build hashes, not by validate.
    const { createHash } = process.getBuiltinModule('node:crypto');
    const hashes = types.map((t) => [t, createHash(CHECKSUM_TYPES[t])] as const);
    // Two buffers: the next read runs on the threadpool while this chunk is hashed.
    const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)] as const;
    let turn = 0;
    let pending: Promise<{ bytesRead: number; buffer: Buffer }> = fh.read(bufs[0], 0, CHUNK, null);
    for (;;) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      if (signal?.aborted) return fail(`unable to compute ${types[0]} hash for ${file}: cancelled`);
      turn ^= 1;
      pending = fh.read(bufs[turn] as Buffer, 0, CHUNK, null);
      const chunk = buffer.subarray(0, bytesRead);
      for (const [, h] of hashes) h.update(chunk);
    }
    return ok(new Map(hashes.map(([t, h]) => [t, h.digest('hex')])));
  } catch {
    return fail(`unable to compute ${types[0]} hash for ${file}`);
  } finally {
    await fh.close();
  }
}

export default checksumPostProcessor;
