/**
 * What a run did, collected from its event stream: per build its status, times,
 * steps, artifacts and error, plus the run's diagnostics. `-metadata-file` and the
 * GitHub step summary are written from it at the end of the run.
 */
import type { ArtifactInfo, DiagnosticInfo, RunStatus, StepComponent, StepStatus, UiEvent } from './events.js';

export interface StepRecord {
  readonly component: StepComponent;
  readonly componentType: string;
  readonly name: string;
  readonly status: StepStatus;
  readonly durationMs: number;
}

export interface BuildRecord {
  readonly name: string;
  /** The builder type (`docker`). */
  readonly builderType: string;
  /** `running` only when the run ended before the build did (it should not). */
  status: RunStatus | 'running';
  readonly startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  readonly steps: StepRecord[];
  readonly artifacts: ArtifactInfo[];
  error?: DiagnosticInfo;
}

export interface RunSummary {
  status: RunStatus;
  exitCode: number;
  durationMs: number;
}

export class RunRecorder {
  readonly #builds = new Map<string, BuildRecord>();
  readonly #diagnostics: DiagnosticInfo[] = [];
  readonly #now: () => Date;
  #run: RunSummary | undefined;

  constructor(now: () => Date = () => new Date()) {
    this.#now = now;
  }

  /** The event sink to add to the output. */
  readonly sink = (event: UiEvent): void => {
    switch (event.kind) {
      case 'build-started':
        this.#builds.set(event.build, { name: event.build, builderType: event.builderType, status: 'running', startedAt: this.#now().toISOString(), steps: [], artifacts: [] });
        return;
      case 'step-finished':
        this.#builds.get(event.build)?.steps.push({ component: event.component, componentType: event.componentType, name: event.name, status: event.status, durationMs: event.durationMs });
        return;
      case 'artifact':
        this.#builds.get(event.build)?.artifacts.push(event.artifact);
        return;
      case 'build-finished': {
        const b = this.#builds.get(event.build);
        if (!b) return;
        b.status = event.status;
        b.finishedAt = this.#now().toISOString();
        b.durationMs = event.durationMs;
        if (event.error) b.error = event.error;
        return;
      }
      case 'diagnostic':
        this.#diagnostics.push(event.diagnostic);
        return;
      case 'run-finished':
        this.#run = { status: event.status, exitCode: event.exitCode, durationMs: event.durationMs };
        return;
      default:
    }
  };

  /** The builds in the order they started. */
  get builds(): readonly BuildRecord[] {
    return [...this.#builds.values()];
  }

  get diagnostics(): readonly DiagnosticInfo[] {
    return this.#diagnostics;
  }

  /** Undefined until the run-finished event. */
  get run(): RunSummary | undefined {
    return this.#run;
  }
}
