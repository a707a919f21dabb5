/**
 * The machine-facing outputs of `kiln build`, from its flags and environment: the JSON
 * event stream (`-json`, `-json=FILE`), `-metadata-file`, and on CI
 * (`GITHUB_ACTIONS=true`, `GITLAB_CI=true`) grouped output, annotations and the
 * GitHub step summary. `-machine-readable` output is left exactly as Packer's: no CI
 * grouping is added to it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ciDialectFromEnv } from '../core/ui/ci-renderer.js';
import { RunRecorder } from '../core/ui/run-record.js';
import { appendStepSummary } from './ci-summary.js';
import type { CommandContext } from './command.js';
import type { SideSettings } from '../core/fingerprint/side-settings.js';
import type { PreparedBuild } from '../core/prepare.js';
import type { TemplateModel } from '../template/model.js';
import type { OutputOptions } from './output.js';

export interface BuildEventOutputs {
  /** What to pass to `createOutput`. */
  readonly output: Pick<OutputOptions, 'json' | 'ci' | 'sinks'>;
  /**
   * With `-metadata-file`: starts computing each prepared build's input fingerprint
   * (the key `kiln plan` shows, `side`: the step cache's side file as plan reads it),
   * alongside the builds; `finish` awaits it.
   */
  fingerprint(builds: readonly PreparedBuild[], model: TemplateModel, secrets: readonly string[], side?: SideSettings): void;
  /**
   * Once the run-finished event is out: writes the metadata file and the step summary
   * and closes the JSON file. Resolves to the problems to report (then exit 1).
   */
  finish(template: string): Promise<string[]>;
}

/** The outputs `ctx` asks for, or the message of a `-json=FILE` that cannot be opened. */
export function buildEventOutputs(ctx: CommandContext): BuildEventOutputs | string {
  const v = ctx.flags.values;
  const jsonFlag = v.get('json');
  const metadataFile = v.get('metadata-file') as string | undefined;
  const ci = ctx.machineReadable ? undefined : ciDialectFromEnv(ctx.env);
  const summaryFile = ci?.name === 'github' ? ctx.env['GITHUB_STEP_SUMMARY'] : undefined;
  const record = metadataFile || summaryFile ? new RunRecorder() : undefined;
  let json: OutputOptions['json'];
  let close = (): void => {};
  if (jsonFlag === true || jsonFlag === '-') {
    json = { write: ctx.stdout, toStdout: true };
  } else if (typeof jsonFlag === 'string' && jsonFlag !== '') {
    let fd: number | undefined;
    try {
      fd = openSync(path.resolve(ctx.cwd, jsonFlag), 'w');
    } catch (err) {
      return `Failed to open the JSON event file ${jsonFlag}: ${(err as Error).message}`;
    }
    // Synchronous writes: every event is on disk in order, even when the process exits right after.
    json = { write: (line) => fd !== undefined && writeSync(fd, line), toStdout: false };
    close = () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    };
  }
  let fingerprints: Promise<ReadonlyMap<string, string>> | undefined;
  return {
    fingerprint(builds, model, secrets, side) {
      // The fingerprint code (node:crypto, the ignore package) is loaded only for -metadata-file.
      if (metadataFile) fingerprints = import('./metadata-file.js').then((m) => m.buildFingerprints(builds, model, ctx.cwd, ctx.env, secrets, side));
    },
    output: { ...(json ? { json } : {}), ...(ci ? { ci } : {}), ...(record ? { sinks: [record.sink] } : {}) },
    async finish(template) {
      close();
      const problems: string[] = [];
      if (record && metadataFile) {
        const { writeMetadataFile } = await import('./metadata-file.js');
        const p = writeMetadataFile(metadataFile, ctx.cwd, record, template, await fingerprints);
        if (p) problems.push(p);
      }
      if (record && summaryFile) {
        const p = appendStepSummary(summaryFile, record, template);
        if (p) problems.push(p);
      }
      return problems;
    },
  };
}
