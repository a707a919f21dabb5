/**
 * Human output for CI log viewers. Each step of a build (a builder step, a provisioner,
 * a post-processor) is wrapped in a collapsible group — GitHub Actions' `::group::` /
 * `::endgroup::`, GitLab CI's `section_start` / `section_end` — and, on GitHub,
 * diagnostics and build errors also become workflow annotations
 * (`::error file=...,line=...,col=...::...`) that the run's summary page lists.
 *
 * A step's group opens with its first line, so a step that prints nothing leaves no empty
 * group. Groups cannot nest or interleave, so one build owns the log while one of its
 * groups is open: lines of other builds running in parallel wait in a queue and follow,
 * in their order, when the step ends. A step that starts inside another one of its build
 * (a provisioner inside the builder's provision step) closes the outer group first.
 * Texts arrive masked (the emitter filters secrets before any renderer).
 */
import type { DiagnosticInfo, StepIdentity, UiEvent } from './events.js';

/** How a CI system marks a collapsible part of the log, and whether it takes annotations. */
export interface CiDialect {
  readonly name: 'github' | 'gitlab';
  open(id: number, title: string, now: Date): string;
  close(id: number, now: Date): string;
  /** The annotation line of a diagnostic; undefined when the system has none. */
  annotate?(d: DiagnosticInfo, title?: string): string;
}

/** GitHub Actions workflow commands. */
export const GITHUB: CiDialect = {
  name: 'github',
  open: (_id, title) => `::group::${escapeData(title)}\n`,
  close: () => '::endgroup::\n',
  annotate: (d, title) => {
    const props: string[] = [];
    if (d.file !== undefined) props.push(`file=${escapeProperty(d.file)}`);
    if (d.line !== undefined) props.push(`line=${d.line}`);
    if (d.endLine !== undefined) props.push(`endLine=${d.endLine}`);
    if (d.column !== undefined) props.push(`col=${d.column}`);
    if (d.endColumn !== undefined && d.endLine === d.line) props.push(`endColumn=${d.endColumn}`);
    props.push(`title=${escapeProperty(title ?? `${d.summary} [${d.code}]`)}`);
    const message = title === undefined ? d.detail || d.summary : d.detail ? `${d.summary}\n\n${d.detail}` : d.summary;
    return `::${d.severity === 'warning' ? 'warning' : 'error'} ${props.join(',')}::${escapeData(message)}\n`;
  },
};

/** GitLab CI collapsible sections (`\e[0Ksection_start:<unix>:<name>[collapsed=true]\r\e[0K<header>`). */
export const GITLAB: CiDialect = {
  name: 'gitlab',
  open: (id, title, now) => `\x1b[0Ksection_start:${unix(now)}:kiln_step_${id}[collapsed=true]\r\x1b[0K${title.replaceAll(/[\r\n]/g, ' ')}\n`,
  close: (id, now) => `\x1b[0Ksection_end:${unix(now)}:kiln_step_${id}\r\x1b[0K\n`,
};

/** The dialect the environment asks for: `GITHUB_ACTIONS=true` or `GITLAB_CI=true`; undefined otherwise. */
export function ciDialectFromEnv(env: NodeJS.ProcessEnv): CiDialect | undefined {
  if (env['GITHUB_ACTIONS'] === 'true') return GITHUB;
  if (env['GITLAB_CI'] === 'true') return GITLAB;
  return undefined;
}

export interface CiRendererOptions {
  readonly dialect: CiDialect;
  /** Renders a text event as the human output does. */
  readonly human: (event: UiEvent) => void;
  /** Writes group markers and annotations, to the same stream as `human`. */
  readonly write: (text: string) => void;
  readonly now?: () => Date;
}

export class CiRenderer {
  readonly #opts: CiRendererOptions;
  #open: { readonly build: string; readonly id: number } | undefined;
  /** Each build's current step, whose group opens with its first line. */
  readonly #pending = new Map<string, string>();
  #nextId = 1;
  readonly #queue: UiEvent[] = [];

  constructor(opts: CiRendererOptions) {
    this.#opts = opts;
  }

  render(event: UiEvent): void {
    if (event.kind === 'run-finished') {
      this.#flushAll();
      this.#handle(event);
      return;
    }
    this.#queue.push(event);
    this.#drain();
  }

  /** Another build's event waits while a group is open. */
  #canHandle(event: UiEvent): boolean {
    if (!this.#open) return true;
    const build = 'build' in event ? event.build : undefined;
    return build === undefined || build === this.#open.build;
  }

  #handle(event: UiEvent): void {
    switch (event.kind) {
      case 'step-started':
        if (this.#open?.build === event.build) this.#close();
        this.#pending.set(event.build, stepTitle(event));
        return;
      case 'step-finished':
        if (this.#open?.build === event.build) this.#close();
        this.#pending.delete(event.build);
        return;
      case 'diagnostic': {
        const line = this.#opts.dialect.annotate?.(event.diagnostic);
        if (line) this.#opts.write(line);
        return;
      }
      case 'build-finished': {
        const line = event.error && event.status !== 'cancelled' ? this.#opts.dialect.annotate?.(event.error, `Build '${event.build}' errored`) : undefined;
        if (line) this.#opts.write(line);
        return;
      }
      case 'run-finished':
        this.#close();
        return;
      default:
        if ('build' in event && event.build !== undefined) this.#openPending(event.build);
        this.#opts.human(event);
    }
  }

  /** The first line of a build's step: its group opens (and the build owns the log). */
  #openPending(build: string): void {
    const title = this.#pending.get(build);
    if (title === undefined || this.#open) return;
    this.#pending.delete(build);
    this.#open = { build, id: this.#nextId++ };
    this.#opts.write(this.#opts.dialect.open(this.#open.id, title, this.#now()));
  }

  /** Closes the open group; the caller drains the queue (never from inside a drain's handling). */
  #close(): void {
    if (!this.#open) return;
    this.#opts.write(this.#opts.dialect.close(this.#open.id, this.#now()));
    this.#open = undefined;
  }

  /** Handles queued events that may go now, oldest first, keeping each build's order. */
  #drain(): void {
    let i = 0;
    const blocked = new Set<string | undefined>();
    while (i < this.#queue.length) {
      const event = this.#queue[i] as UiEvent;
      const build = 'build' in event ? event.build : undefined;
      if (blocked.has(build) || !this.#canHandle(event)) {
        blocked.add(build);
        i++;
        continue;
      }
      this.#queue.splice(i, 1);
      const before = this.#open;
      this.#handle(event);
      // A group opened or closed: what was blocked may go now, or what went may not.
      if (this.#open !== before) {
        i = 0;
        blocked.clear();
      }
    }
  }

  /** The run ended: everything still queued goes out, groups closed. */
  #flushAll(): void {
    this.#drain();
    while (this.#queue.length > 0 && this.#open) {
      this.#close();
      this.#drain();
    }
  }

  #now(): Date {
    return this.#opts.now?.() ?? new Date();
  }
}

function stepTitle(step: StepIdentity): string {
  return `${step.build}: ${step.component} ${step.name}`;
}

function unix(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

/** A workflow command's message: `%`, CR and LF escaped. */
export function escapeData(s: string): string {
  return s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** A workflow command's property value: as data, plus `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
