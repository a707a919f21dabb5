/**
 * The GitHub Actions job summary of a `kiln build` run: a Markdown table of the builds
 * (status, duration, artifacts) and their errors, appended to the file
 * `$GITHUB_STEP_SUMMARY` names when the run ends. Built from the event stream, so its
 * texts are masked as the output is.
 */
import { appendFileSync } from 'node:fs';
import type { RunRecorder } from '../core/ui/run-record.js';
import { durafmt } from '../sdk/duration.js';

const STATUS: Record<string, string> = { succeeded: '✅ succeeded', failed: '❌ failed', cancelled: '⚪ cancelled', running: '⚪ did not finish' };

/**
 * The Markdown summary of a run of `template`: a table of the builds (status, duration,
 * artifacts), then a table of the template's diagnostics and the builds' errors.
 */
export function stepSummary(record: RunRecorder, template: string): string {
  const lines = [`### kiln build ${cell(template)}`, ''];
  const builds = record.builds;
  if (builds.length === 0) {
    lines.push(record.run?.status === 'cancelled' ? 'The run was cancelled before any build started.' : 'No build ran.');
  } else {
    lines.push('| Build | Status | Duration | Artifacts |', '| --- | --- | --- | --- |');
    for (const b of builds) {
      const artifacts = b.artifacts.map((a) => cell(a.id || a.description)).join('<br>') || '—';
      lines.push(`| \`${cell(b.name)}\` | ${STATUS[b.status] ?? b.status} | ${b.durationMs === undefined ? '—' : durafmt(b.durationMs)} | ${artifacts} |`);
    }
  }
  const problems = [
    ...record.diagnostics.map((d) => [d.severity, d.file === undefined ? '—' : `${cell(d.file)}${d.line === undefined ? '' : `:${d.line}`}`, cell(d.summary), d.code]),
    ...builds.filter((b) => b.error && b.status !== 'cancelled').map((b) => ['error', `build \`${cell(b.name)}\``, cell(b.error?.summary ?? ''), b.error?.code ?? '']),
  ];
  if (problems.length > 0) {
    lines.push('', '| Severity | Where | Problem | Code |', '| --- | --- | --- | --- |');
    for (const [severity, where, summary, code] of problems) lines.push(`| ${severity} | ${where} | ${summary} | \`${code}\` |`);
  }
  return `${lines.join('\n')}\n\n`;
}

/** Appends the summary to `$GITHUB_STEP_SUMMARY`; an error message when that fails. */
export function appendStepSummary(file: string, record: RunRecorder, template: string): string | undefined {
  try {
    appendFileSync(file, stepSummary(record, template));
    return undefined;
  } catch (err) {
    return `Failed to write the GitHub step summary ${file}: ${(err as Error).message}`;
  }
}

function cell(text: string): string {
  return oneLine(text).replaceAll('|', '\\|');
}

function oneLine(text: string): string {
  return text.replaceAll(/\s*\n\s*/g, ' ').trim();
}
