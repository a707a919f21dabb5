/**
 * `kiln build -metadata-file=PATH`: one JSON document written when the run ends, like
 * Docker Bake's `--metadata-file` — per build its status, times, steps, artifacts and
 * error, plus the run's status and diagnostics (docs/events.md#metadata-file). Built
 * from the event stream, so every text in it is masked as the output is. The file is
 * written whole (temp file, then rename): a reader never sees half of it.
 */
import type { SideSettings } from '../core/fingerprint/side-settings.js';
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fingerprintBuild } from '../core/fingerprint/build-fingerprint.js';
import { fingerprintContext } from '../core/fingerprint/fingerprint.js';
import { cacheSecret } from '../core/fingerprint/secret.js';
import type { PreparedBuild } from '../core/prepare.js';
import type { RunRecorder } from '../core/ui/run-record.js';
import type { TemplateModel } from '../template/model.js';
import { KILN_VERSION, PACKER_COMPAT_VERSION } from '../support/version.js';

/** The version of the document's shape; bumped only for incompatible changes. */
export const METADATA_VERSION = 1;

/**
 * The metadata document of a finished run. `template` is the path as given on the
 * command line; `fingerprints` the builds' input fingerprints by build name.
 */
export function metadataDocument(record: RunRecorder, template: string, fingerprints?: ReadonlyMap<string, string>): Record<string, unknown> {
  const run = record.run;
  return {
    v: METADATA_VERSION,
    kiln: KILN_VERSION,
    packer_compat: PACKER_COMPAT_VERSION,
    template,
    ...(run ? { status: run.status, exitCode: run.exitCode, durationMs: run.durationMs } : {}),
    builds: Object.fromEntries(
      record.builds.map((b) => [
        b.name,
        {
          builderType: b.builderType,
          status: b.status,
          startedAt: b.startedAt,
          ...(b.finishedAt === undefined ? {} : { finishedAt: b.finishedAt }),
          ...(b.durationMs === undefined ? {} : { durationMs: b.durationMs }),
          ...(fingerprints?.has(b.name) ? { fingerprint: fingerprints.get(b.name) } : {}),
          steps: b.steps,
          artifacts: b.artifacts,
          ...(b.error ? { error: b.error } : {}),
        },
      ]),
    ),
    diagnostics: record.diagnostics,
  };
}

/**
 * Writes the document to `file` (relative to `cwd`); resolves to an error message
 * when it cannot be written.
 */
export function writeMetadataFile(file: string, cwd: string, record: RunRecorder, template: string, fingerprints?: ReadonlyMap<string, string>): string | undefined {
  const target = path.resolve(cwd, file);
  const temp = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(metadataDocument(record, template, fingerprints), null, 2)}\n`);
    renameSync(temp, target);
    return undefined;
  } catch (err) {
    return `Failed to write the metadata file ${file}: ${(err as Error).message}`;
  }
}

/**
 * Each build's input fingerprint, as `kiln plan` computes it (src/core/fingerprint):
 * the same key when nothing the build reads changed. A build that cannot be keyed (its
 * cache secret cannot be made) is left out, never failing the run.
 */
export async function buildFingerprints(builds: readonly PreparedBuild[], model: TemplateModel, cwd: string, env: NodeJS.ProcessEnv, secrets: readonly string[] = [], side?: SideSettings): Promise<ReadonlyMap<string, string>> {
  // The sensitive strings prepare found, as kiln plan and the step cache key with them.
  const ctx = { ...fingerprintContext(model, cwd, cacheSecret(env), secrets), ...(side ? { side } : {}) };
  const keys = new Map<string, string>();
  for (const b of builds) {
    try {
      keys.set(b.spec.name, (await fingerprintBuild(b, ctx)).key);
    } catch {
      // Left out: the document says nothing rather than something wrong.
    }
  }
  return keys;
}
