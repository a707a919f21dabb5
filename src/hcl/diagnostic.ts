/**
 * Diagnostics are values: everything the user got wrong becomes one of these and is
 * returned up the stack, never thrown.
 */
import type { Range } from './pos.js';
import { formatRange } from './pos.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly severity: Severity;
  /** Short, one line, no trailing period (HCL's style). */
  readonly summary: string;
  /** Longer explanation and what to do; may be empty. */
  readonly detail: string;
  /** The source the diagnostic is about, when there is one. */
  readonly subject?: Range;
  /** A wider range around `subject` for the snippet (for example the whole expression). */
  readonly context?: Range;
  /**
   * The expression being evaluated and its evaluation context, for the renderer's
   * `with var.x as "..."` lines. Typed loosely here to keep this file at the bottom
   * of the dependency graph; the evaluator fills them.
   */
  readonly expression?: unknown;
  readonly evalContext?: unknown;
}

export type Diagnostics = readonly Diagnostic[];

export function hasErrors(diags: Diagnostics): boolean {
  return diags.some((d) => d.severity === 'error');
}

export function errorDiag(summary: string, detail: string, subject?: Range, context?: Range): Diagnostic {
  return { severity: 'error', summary, detail, ...(subject ? { subject } : {}), ...(context ? { context } : {}) };
}

/** Go's `hcl.Diagnostic.Error()`: `file:1,1-5: Summary; Detail` (`<nil>` without a subject). */
export function diagnosticError(d: Diagnostic): string {
  return `${d.subject ? formatRange(d.subject) : '<nil>'}: ${d.summary}; ${d.detail}`;
}

/**
 * Go's `hcl.Diagnostics.Error()`: the first diagnostic's text, and for several
 * diagnostics `, and N other diagnostic(s)` after it.
 */
export function diagnosticsErrorText(diags: Diagnostics): string {
  const first = diags[0];
  if (!first) return 'no diagnostics';
  const text = diagnosticError(first);
  if (diags.length === 1) return text;
  return `${text}, and ${diags.length - 1} other diagnostic(s)`;
}
