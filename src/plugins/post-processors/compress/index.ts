/**
 * The `compress` post-processor: packs the artifact's files into one archive — tar or
 * zip, and/or gzip, bgzf, lz4, xz or bzip2 — chosen from the output name's extensions
 * (Packer's rules, detect.ts), and returns the archive as the new artifact.
 */
import { availableParallelism } from 'node:os';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Artifact } from '../../../sdk/artifact.js';
import type { PostProcessContext, PostProcessOutput } from '../../../sdk/component.js';
import { definePostProcessor } from '../../../sdk/component.js';
import { renderRepeatedly } from '../../../sdk/interpolate/index.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { int, str } from '../../../sdk/schema/index.js';
import { goPathError } from '../go-error.js';
import { generatedDataOf, runContext } from '../run-data.js';
import type { Algorithm } from './detect.js';
import { detectFromFilename } from './detect.js';
import type { GzipWorkers } from './gzip-file.js';
import { ParallelGzip } from './gzip.js';
import { openArchive } from './output.js';
import { BufferPool, readChunks } from './read-chunks.js';
import type { ByteSink } from './sink.js';
import { FileSink } from './sink.js';

export const DEFAULT_COMPRESS_OUTPUT = 'packer_{{.BuildName}}_{{.BuilderType}}';
export const COMPRESS_BUILDER_ID = 'packer.post-processor.compress';
const INVALID_LEVEL = 'Invalid compression level. Expected an integer from -1 to 9.';

const schema = {
  output: str()
    .default(DEFAULT_COMPRESS_OUTPUT)
    .late()
    .doc('The archive path; its extensions choose the format (`.tar`, `.zip`, `.gz`, `.tar.gz`, `.bgzf`, `.lz4`, `.xz`, `.bzip2`). A template with `{{.BuildName}}`, `{{.BuilderType}}` and generated data.'),
  format: str().doc('An extra extension used only to choose the format, for outputs without one.'),
  compression_level: int().doc('1 (fastest) to 9 (smallest); 0 and -1 mean the default (zlib level 2 for deflate formats, preset 6 for xz, 9 for bzip2); above 9 means 9.'),
  // In Packer's spec, but overwritten from the output name.
  archive: str().doc('Ignored: derived from the output name.'),
  algorithm: str().doc('Ignored: derived from the output name.'),
};

export type CompressConfig = Infer<typeof schema>;

export const compressPostProcessor = definePostProcessor({
  name: 'compress',
  schema,
  postProcess: runCompress,
});

export default compressPostProcessor;

/** The archive, which `destroy` deletes. */
export class CompressArtifact implements Artifact {
  readonly builderId = COMPRESS_BUILDER_ID;
  readonly id = '';
  constructor(readonly path: string) {}
  get files(): readonly string[] {
    return [this.path];
  }
  describe(): string {
    return `compressed artifacts in: ${this.path}`;
  }
  state(_name: string): unknown {
    return undefined;
  }
  async destroy(): Promise<void> {
    await rm(this.path);
  }
}

/** Packer's level rules: above 9 is 9; 0 and -1 are the default (-1). */
export function normaliseLevel(level: number | undefined): number {
  const l = Math.min(level ?? 0, 9);
  return l === 0 ? -1 : l;
}

async function runCompress(config: CompressConfig, ctx: PostProcessContext): Promise<Result<PostProcessOutput>> {
  const template = config.output === '' ? DEFAULT_COMPRESS_OUTPUT : config.output;
  const { archive, algorithm } = detectFromFilename(template, config.format ?? '');
  const level = normaliseLevel(config.compression_level);
  const data = { ...(await generatedDataOf(ctx.artifact)), BuildName: ctx.packer.buildName, BuilderType: ctx.packer.builderType };
  const rendered = renderRepeatedly(template, runContext(ctx.packer, data));
  if (rendered.kind === 'error') return fail(`Error interpolating output value: ${rendered.message}`);
  const target = rendered.value;
  const files = ctx.artifact.files;
  if (archive === undefined && files.length !== 1) {
    return fail(`Can only have 1 input file when not using tar/zip. Found ${files.length} files: [${files.join(' ')}]`);
  }
  const levelError = checkLevel(algorithm, level);
  if (levelError) return fail(levelError);
  const pool = archive === undefined && algorithm === 'pgzip' ? await startWorkers(files[0] as string) : undefined;
  try {
    return await writeArchive({ archive, algorithm, level, target, files, pool }, ctx);
  } finally {
    await pool?.close();
  }
}

/** Creates the archive, writes it, and removes it again on failure. */
async function writeArchive(job: Job, ctx: PostProcessContext): Promise<Result<PostProcessOutput>> {
  const { target } = job;
  try {
    await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  } catch (err) {
    return fail(`Unable to create dir for archive ${target}: ${goPathError(err)}`);
  }
  let fh: FileHandle;
  try {
    fh = await openArchive(target);
  } catch (err) {
    return fail(`Unable to create archive ${target}: ${goPathError(err)}`);
  }
  let failure: string | undefined;
  try {
    failure = await compressInto(new FileSink(fh), job, ctx);
  } catch (err) {
    failure = (err as Error).message;
  } finally {
    await fh.close();
  }
  if (failure !== undefined) {
    // Packer leaves the partial archive behind; nothing useful is in it.
    await rm(target, { force: true });
    return fail(failure);
  }
  ctx.ui.say(`Archive ${target} completed`);
  return ok({ artifact: new CompressArtifact(target), keep: false, forceOverride: false });
}

/** Most files a .tar.gz keeps open at once for the workers; more stream through ParallelGzip. */
const TAR_WORKER_MAX_FILES = 64;

/**
 * A .tar.gz deflated on worker threads, as a single file's .gz: the tar stream is laid
 * out first (headers, and each file's bytes read by the workers), so the output is
 * byte for byte what writeTar through ParallelGzip writes. Resolves to false, having
 * written nothing, for a tar too small for the workers or of too many files.
 */
async function tarGzOnWorkers(files: readonly string[], out: ByteSink, level: number, signal: AbortSignal): Promise<boolean> {
  if (files.length > TAR_WORKER_MAX_FILES) return false;
  const { layTar } = await import('./tar.js');
  const { gzipSource, WORKER_MIN_BYTES } = await import('./gzip-file.js');
  const { source, handles } = await layTar(files);
  try {
    if (source.size < WORKER_MIN_BYTES) return false;
    await gzipSource(source, out, level, signal);
    return true;
  } finally {
    await Promise.all(handles.map((h) => h.close()));
  }
}

/**
 * The deflate workers for a single file's .gz, started now so that their start-up
 * overlaps creating the archive; none for a file too small for them (or not a regular
 * file: a pipe has no size to cut into blocks).
 */
async function startWorkers(source: string): Promise<GzipWorkers | undefined> {
  const st = await stat(source).catch(() => undefined);
  if (!st?.isFile()) return undefined;
  const { GzipWorkers, WORKER_MIN_BYTES } = await import('./gzip-file.js');
  return st.size >= WORKER_MIN_BYTES ? GzipWorkers.forSize(st.size) : undefined;
}

function checkLevel(algorithm: Algorithm | undefined, level: number): string | undefined {
  if ((algorithm === 'pgzip' || algorithm === 'bgzf') && level < -2) return `error creating ${algorithm} writer: ${INVALID_LEVEL}`;
  if (algorithm === 'lz4' && level < -1) return `error creating lz4 writer: ${INVALID_LEVEL}`;
  return undefined;
}

interface Job {
  readonly archive: 'tar' | 'zip' | undefined;
  readonly algorithm: Algorithm | undefined;
  readonly level: number;
  readonly target: string;
  readonly files: readonly string[];
  /** Deflate workers started ahead for a single file's .gz. */
  readonly pool?: GzipWorkers | undefined;
}

/** Writes the archive; resolves to Packer's error text, or undefined. */
async function compressInto(file: ByteSink, job: Job, ctx: PostProcessContext): Promise<string | undefined> {
  const { target, files } = job;
  const pool = new BufferPool();
  const sink = await compressor(file, job, ctx, pool);
  const compression = job.algorithm ?? 'no compression';
  switch (job.archive) {
    case 'tar':
      ctx.ui.say(`Tarring ${target} with ${compression}`);
      try {
        if (job.algorithm === 'pgzip' && (await tarGzOnWorkers(files, file, job.level, ctx.signal))) return undefined;
        const { writeTar } = await import('./tar.js');
        await writeTar(files, sink, ctx.signal);
        await sink.end();
      } catch (err) {
        return `Error creating tar: ${(err as Error).message}`;
      }
      return undefined;
    case 'zip':
      ctx.ui.say(`Zipping ${target}`);
      try {
        const { writeZip } = await import('./zip.js');
        await writeZip(files, sink, job.level, ctx.signal);
        await sink.end();
      } catch (err) {
        return `Error creating zip: ${(err as Error).message}`;
      }
      return undefined;
    case undefined: {
      const source = files[0] as string;
      ctx.ui.say(`Archiving ${source} with ${compression}`);
      let input: FileHandle;
      try {
        input = await open(source, 'r');
      } catch (err) {
        return `Failed to open source file ${source} for reading: ${goPathError(err)}`;
      }
      try {
        const stat = job.algorithm === 'pgzip' ? await input.stat() : undefined;
        const onWorkers = stat?.isFile() ? await import('./gzip-file.js') : undefined;
        if (stat && onWorkers && stat.size >= onWorkers.WORKER_MIN_BYTES) {
          // A regular file: read and deflated block by block on worker threads. A pipe
          // or device (no size to cut into blocks) and a small file (not worth the
          // workers' start) stream through ParallelGzip.
          await onWorkers.gzipFile(input, file, job.level, ctx.signal, job.pool ? { pool: job.pool } : {});
        } else {
          for await (const chunk of readChunks(input, Infinity, ctx.signal, pool)) await sink.write(chunk);
          await sink.end();
        }
      } catch (err) {
        return `Failed to compress ${source}: ${(err as Error).message}`;
      } finally {
        await input.close();
      }
      return undefined;
    }
  }
}

/** The compressing sink for the job; each format's module (some native) loads only when used. */
async function compressor(file: ByteSink, job: Job, ctx: PostProcessContext, pool: BufferPool): Promise<ByteSink> {
  const cores = availableParallelism();
  const { target, level } = job;
  switch (job.algorithm) {
    case 'pgzip':
      ctx.ui.say(`Using pgzip compression with ${cores} cores for ${target}`);
      return new ParallelGzip(file, level, { recycle: (block) => pool.give(block) });
    case 'bgzf':
      ctx.ui.say(`Using bgzf compression with ${cores} cores for ${target}`);
      return new (await import('./bgzf.js')).BgzfWriter(file, level);
    case 'lz4':
      ctx.ui.say(`Using lz4 compression with ${cores} cores for ${target}`);
      return new (await import('./lz4.js')).Lz4Writer(file);
    case 'xz':
      // liblzma's threaded encoder: unlike Packer's Go library, xz uses every core here.
      ctx.ui.say(`Using xz compression with ${cores} cores for ${target}`);
      return new (await import('./xz.js')).XzWriter(file, level >= 0 ? level : 6);
    case 'bzip2':
      ctx.ui.say(`Using bzip2 compression with 1 core for ${target} (library does not support MT)`);
      return new (await import('./bzip2.js')).Bzip2Writer(file, level);
    case undefined:
      return file;
  }
}
