/**
 * What the `manifest` post-processor does when a build runs it (index.ts imports this
 * file then, so `validate` loads neither it nor node:fs/promises): the entry, appended
 * to the file under Packer's lock.
 */
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PackerConfig, PostProcessContext, PostProcessOutput } from '../../../sdk/component.js';
import { renderRepeatedly } from '../../../sdk/interpolate/index.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import { generatedDataOf, packerRunUuid, runContext } from '../run-data.js';
import type { ManifestEntry, ManifestEntryFile } from './manifest-file.js';
import { formatManifest, parseManifest } from './manifest-file.js';
import type { ManifestConfig } from './index.js';

/** Appends the build's entry to the manifest `config.output` (never '') and passes the artifact on (kept). */
export async function runManifest(config: ManifestConfig, ctx: PostProcessContext): Promise<Result<PostProcessOutput>> {
  const source = ctx.artifact;
  const data = await generatedDataOf(source);
  let custom: Record<string, string> | null = null;
  if (config.custom_data !== undefined) {
    custom = {};
    for (const [k, v] of Object.entries(config.custom_data)) {
      const r = renderRepeatedly(v, runContext(ctx.packer, data));
      if (r.kind === 'error') return fail(`Error interpolating custom data: ${r.message}`);
      custom[k] = r.value;
    }
  }
  const files: ManifestEntryFile[] = [];
  for (const name of source.files) {
    const size = await stat(name).then((s) => s.size, () => 0);
    files.push({ name: config.strip_path ? path.basename(name) : name, size });
  }
  const runUuid = packerRunUuid();
  const entry: ManifestEntry = {
    name: ctx.packer.buildName,
    builder_type: ctx.packer.builderType,
    build_time: config.strip_time ? 0 : Math.floor(Date.now() / 1000),
    files: files.length > 0 ? files : null,
    artifact_id: source.id,
    packer_run_uuid: runUuid,
    custom_data: custom,
    ...(ctx.stepCache ? { kiln_cache: { steps: ctx.stepCache } } : {}),
  };
  const output = config.output;
  const written = await withManifestLock(output, () => appendEntry(output, entry, runUuid, ctx.packer));
  if (written !== undefined) return fail(written);
  // Never let a later step delete what the manifest just recorded.
  return ok({ artifact: source, keep: true, forceOverride: true });
}

/** Reads, extends and rewrites the manifest; resolves to Packer's error text, or undefined. */
async function appendEntry(output: string, entry: ManifestEntry, runUuid: string, packer: PackerConfig): Promise<string | undefined> {
  let contents = '';
  try {
    contents = await readFile(output, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return `Unable to open ${output} for reading: ${(err as Error).message}`;
  }
  const parsed = parseManifest(contents);
  if (parsed.kind === 'error') return `Unable to parse content from ${output}: ${parsed.message}`;
  // -force starts a new manifest, unless an earlier build of this same run wrote it.
  const builds = packer.force && parsed.value.last_run_uuid !== runUuid ? [] : parsed.value.builds;
  builds.push(entry);
  try {
    await writeFile(output, formatManifest({ builds, last_run_uuid: runUuid }), { mode: 0o664 });
  } catch (err) {
    return `Unable to write ${output}: ${(err as Error).message}`;
  }
  return undefined;
}

/** Manifests being written by this process, so parallel builds append one after another. */
const inProcess = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` holding the manifest: first this process's queue for the file, then
 * Packer's `<output>.lock` (exclusive create, three tries 0/200/400 ms apart, and on
 * after that as Packer does), which other Packer or kiln processes also respect.
 */
async function withManifestLock<T>(output: string, fn: () => Promise<T>): Promise<T> {
  const key = path.resolve(output);
  const before = inProcess.get(key) ?? Promise.resolve();
  const run = before.then(async () => {
    const lock = `${output}.lock`;
    for (let i = 0; i < 3; i++) {
      await sleep(i * 200);
      try {
        await (await open(lock, 'wx', 0o600)).close();
        break;
      } catch {
        // Held by another process: wait and retry.
      }
    }
    try {
      return await fn();
    } finally {
      await rm(lock, { force: true });
    }
  });
  const settled = run.then(() => undefined, () => undefined);
  inProcess.set(key, settled);
  void settled.then(() => {
    if (inProcess.get(key) === settled) inProcess.delete(key);
  });
  return run;
}
