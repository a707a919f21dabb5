/**
 * What core tells the outside world while it runs: structured UI events. Renderers
 * (human, machine-readable, JSON, CI, log) turn them into text. Text in an event is
 * already masked: the emitter filters secrets out of every string before anything is
 * published.
 *
 * `say`, `message`, `error` and `machine` are the text Packer prints; the other kinds
 * are kiln's structured lifecycle events (docs/events.md), which the human and
 * machine-readable renderers ignore, so their output stays Packer's byte for byte.
 */
import type { StepCacheRecord } from '../../sdk/component.js';

/** Which kind of component a step belongs to. */
export type StepComponent = 'builder' | 'provisioner' | 'post-processor';

/** How a step ended: ran through, failed (its error ends the build unless retried), or was cancelled. */
export type StepStatus = 'ok' | 'failed' | 'cancelled';

/** How a build or the whole run ended. */
export type RunStatus = 'succeeded' | 'failed' | 'cancelled';

/**
 * A diagnostic or a build error as machines read it: the summary and detail in
 * Packer's wording, a stable `code` from the catalogue (diagnostic-codes.ts), and
 * where it points when it has a source range (1-based line and column).
 */
export interface DiagnosticInfo {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly summary: string;
  readonly detail: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

/** One artifact of a build, as the summary lists it. */
export interface ArtifactInfo {
  readonly index: number;
  readonly builderId: string;
  readonly id: string;
  readonly description: string;
  readonly files: readonly string[];
  /** The artifact's generated data (`build.*` keys), when it has any. */
  readonly generatedData?: Readonly<Record<string, unknown>>;
}

/** The identity of a step: its build, component kind, component type and name. */
export interface StepIdentity {
  readonly build: string;
  readonly component: StepComponent;
  /** The component type (`docker`, `shell`, `manifest`). */
  readonly componentType: string;
  /** A builder's step name (`StepPull`), or a provisioner's / post-processor's name (its type when unnamed). */
  readonly name: string;
}

/** The structured lifecycle events (docs/events.md). */
export type LifecycleEvent =
  | { readonly kind: 'run-started'; readonly command: string; readonly template: string }
  | { readonly kind: 'run-finished'; readonly status: RunStatus; readonly exitCode: number; readonly durationMs: number }
  | { readonly kind: 'build-started'; readonly build: string; readonly builderType: string }
  | {
      readonly kind: 'build-finished';
      readonly build: string;
      readonly status: RunStatus;
      readonly durationMs: number;
      readonly error?: DiagnosticInfo;
    }
  | ({ readonly kind: 'step-started' } & StepIdentity)
  | ({ readonly kind: 'step-finished'; readonly status: StepStatus; readonly durationMs: number; readonly error?: string } & StepIdentity)
  | { readonly kind: 'artifact'; readonly build: string; readonly artifact: ArtifactInfo }
  | { readonly kind: 'diagnostic'; readonly build?: string; readonly diagnostic: DiagnosticInfo }
  | {
      readonly kind: 'progress';
      readonly build?: string;
      readonly target?: string;
      /** What is progressing (`Downloading ISO`). */
      readonly label: string;
      readonly current: number;
      /** Absent when the total is not known. */
      readonly total?: number;
      readonly unit: 'bytes' | 'items';
    };

/**
 * `build` names the build the event belongs to (it picks the colour); `target` is the
 * prefix shown as `==> target: ...` — the build name, or `<build> (<type>)` for a
 * post-processor. An event with a build but no target is a per-build line without the
 * arrow (`Build 'x' finished after ...`); an event with neither is a global line.
 */
export type UiEvent =
  | { readonly kind: 'say'; readonly build?: string; readonly target?: string; readonly text: string }
  | { readonly kind: 'message'; readonly build?: string; readonly target?: string; readonly text: string }
  | { readonly kind: 'error'; readonly build?: string; readonly target?: string; readonly text: string }
  | { readonly kind: 'machine'; readonly target?: string; readonly type: string; readonly args: readonly string[] }
  | StepCacheEvent
  | LifecycleEvent;

/** What the step cache did with a provisioning step (or the base, `index` 0); see `StepCacheRecord`. */
export type StepCacheStatus = StepCacheRecord['status'];

/**
 * The step cache's verdict on one step of a build (emitted only with a cache flag).
 * `text` is the human line (`[2/5] shell  CACHED 41e4fbdff2dc`, or why it missed);
 * `-machine-readable` writes `<ts>,<target>,cache,<index>,<STATUS>,<key>,<reason>`.
 */
export interface StepCacheEvent {
  readonly kind: 'step-cache';
  readonly build: string;
  readonly target: string;
  /** 1-based provisioner position; 0 for the base (the builder's source). */
  readonly index: number;
  /** The provisioner type (`shell`), or the builder type for the base. */
  readonly type: string;
  readonly status: StepCacheStatus;
  /** The step's full key (64 hex); empty when none could be computed. */
  readonly key: string;
  /** Why it missed or is uncacheable (`not in the cache`, `shell-local runs on the host`); where a resumed step ran. */
  readonly reason?: string;
  readonly text: string;
}

/** The text events Packer prints (`say`, `message`, `error`). */
export type TextEvent = Extract<UiEvent, { kind: 'say' | 'message' | 'error' }>;

/** True for the events Packer's human output prints. */
export function isTextEvent(event: UiEvent): event is TextEvent {
  return event.kind === 'say' || event.kind === 'message' || event.kind === 'error';
}

export type UiEventSink = (event: UiEvent) => void;
