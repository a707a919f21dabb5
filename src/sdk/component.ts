/**
 * The contract builders, provisioners, post-processors and data sources are written
 * against (Packer's packer.Builder & co.). A component declares its options once —
 * with the schema DSL (native), or as an hcldec spec given at run time (`RuntimeSpec`,
 * a Go plugin's ConfigSpec) — and core drives it in two calls:
 *
 * 1. core decodes the block through the schema's hcldec spec
 *    (`decodeComponentConfig` in `schema/decode-config.ts`) into `ConfigOf<S>`, then
 *    awaits `prepare(config, ctx)`, which checks across fields and resolves to a
 *    `Prepared<P>`: the value the run receives, diagnostics placed on attributes, and
 *    for builders the generated-data keys;
 * 2. core calls `run` / `provision` / `postProcess` / `execute` with that value.
 *
 * A component from another process fits the same contract: its definition has a
 * `RuntimeSpec` schema, so its config is the decoded cty value (sent raw, rendered by
 * the plugin), and its `prepare` forwards that value over RPC and maps the reply
 * (GeneratedVars, Warnings, Error) onto `Prepared`.
 */
import type * as cty from '../hcl/cty/index.js';
import type { Artifact } from './artifact.js';
import type { Communicator, ConnectRequest } from './communicator.js';
import type { InPlaceResume } from './in-place.js';
import type { Ledger } from './ledger/ledger.js';
import type { OnError } from './multistep/runner.js';
import type { StepObserver } from './multistep/step.js';
import type { Result } from './result.js';
import type { ObjectSchema } from './schema/field.js';
import type { ComponentSchema, ConfigOf } from './schema/spec.js';
import type { Ui } from './ui.js';

/** What core tells every component about the run (Packer's `packer_*` config keys). */
export interface PackerConfig {
  readonly buildName: string;
  readonly builderType: string;
  readonly coreVersion: string;
  readonly debug: boolean;
  readonly force: boolean;
  readonly onError: OnError;
  /** Absolute path of the template file or directory; undefined for stdin. */
  readonly templatePath?: string;
  readonly userVariables: Readonly<Record<string, string>>;
  readonly sensitiveVariables: readonly string[];
}

/** Generated data of a build: `build.Host`, `{{ .ID }}`, `SSHPrivateKey`... */
export type GeneratedData = Readonly<Record<string, unknown>>;

/**
 * A problem a component's `prepare` found, placed on the attribute it is about: core
 * points the diagnostic at that attribute's value in the template (or at the block
 * when `attribute` is omitted or not written there).
 */
export interface PrepareDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  /** Path of the attribute: `iso_checksum`, `boot_command`, `block.field`, `blocks[1].field`. */
  readonly attribute?: string;
}

/** An error of `prepare`, at `attribute` when given. */
export function prepareError(summary: string, attribute?: string, detail?: string): PrepareDiagnostic {
  return { severity: 'error', summary, ...(detail !== undefined ? { detail } : {}), ...(attribute !== undefined ? { attribute } : {}) };
}

/** A warning of `prepare`, at `attribute` when given. */
export function prepareWarning(summary: string, attribute?: string, detail?: string): PrepareDiagnostic {
  return { severity: 'warning', summary, ...(detail !== undefined ? { detail } : {}), ...(attribute !== undefined ? { attribute } : {}) };
}

/**
 * What `prepare` resolves to: the prepared value that `run` / `provision` /
 * `postProcess` / `execute` receive (computed once: the run does not derive it again),
 * or, when a diagnostic is an error, no value.
 */
export type Prepared<P> =
  | {
      readonly value: P;
      /** Warnings only. */
      readonly diagnostics: readonly PrepareDiagnostic[];
      /**
       * Builders: the keys the build adds to generated data, available to provisioners
       * and post-processors as `build.<Key>` / `{{ .Key }}` (Packer's Builder.Prepare
       * returns them). Placeholders for them are what provisioners are prepared with.
       */
      readonly generatedData?: readonly string[];
    }
  | { readonly value?: undefined; readonly failed: true; readonly diagnostics: readonly PrepareDiagnostic[] };

/** `value` prepared, unless `diagnostics` hold an error (then no value). */
export function prepared<P>(value: P, diagnostics: readonly PrepareDiagnostic[] = [], generatedData?: readonly string[]): Prepared<P> {
  if (diagnostics.some((d) => d.severity === 'error')) return { failed: true, diagnostics };
  return { value, diagnostics, ...(generatedData ? { generatedData } : {}) };
}

/**
 * `value` prepared from Packer's two message lists (a Go plugin's Prepare reply, or
 * checks that name no attribute): each message a diagnostic on the whole block.
 */
export function preparedFromMessages<P>(value: P, errors: readonly string[], warnings: readonly string[] = [], generatedData?: readonly string[]): Prepared<P> {
  return prepared(value, [...errors.map((e) => prepareError(e)), ...warnings.map((w) => prepareWarning(w))], generatedData);
}

/** What a data source's `prepare` may use besides the config. */
export interface DatasourcePrepareContext {
  /** Cancels slow checks (probing a device, reading a remote checksum file). */
  readonly signal: AbortSignal;
}

/** What a builder's, provisioner's or post-processor's `prepare` may use besides the config. */
export interface PrepareContext extends DatasourcePrepareContext {
  readonly packer: PackerConfig;
}

export type ProvisionHookName = 'packer_provision' | 'packer_cleanup_provision';

/**
 * A machine a builder saved for the step cache, as `MachineSnapshots.snapshot` or
 * `CacheBase.lookup` answered. The cache stores it in its entry and hands it back in a
 * `ResumePoint`; only the builder reads `id`.
 */
export interface SnapshotRef {
  readonly builderType: string;
  /** The builder's own handle: an image ID or tag, a layer file name in `BuildCache.layers`. */
  readonly id: string;
  /** Bytes the snapshot adds to its parent, when known (`kiln cache ls`, `prune`). */
  readonly size?: number;
}

/**
 * What a builder that can save its machine between provisioners gives the provision
 * hook (`ProvisionHook.run`'s `machine`). The hook calls `snapshot` after each cacheable
 * provisioner that ran and succeeded, then publishes the cache entry.
 */
export interface MachineSnapshots {
  /**
   * Saves the machine as it is now under `key` (64 hex, the step's cache key) and goes
   * on provisioning the same state (docker: commit, then continue in a fresh container
   * from the commit; qemu: guest sync + external disk snapshot). Best-effort: an error
   * makes the cache warn once and record no later step; the build goes on.
   */
  snapshot(key: string, signal: AbortSignal): Promise<Result<SnapshotRef>>;
}

/** What a builder tells `BuildCache.start` about its source, before it creates a machine. */
export interface CacheBase {
  /**
   * The source's content identity, never a name that can move: docker, the repo digest
   * or the chain of rootfs diff IDs; qemu, the disk image's or ISO's sha256.
   */
  readonly identity: string;
  /**
   * Whether a snapshot can still start a machine, asked deepest step first. `local` is
   * the ref the local entry recorded for `key`, undefined when there is none (a builder
   * with a remote cache, `-cache-from`, may then fetch it by key). Resolves with the
   * ref to use, or undefined for a miss (the image was removed, the layer is gone).
   */
  lookup(key: string, local: SnapshotRef | undefined, signal: AbortSignal): Promise<SnapshotRef | undefined>;
  /**
   * The builder goes on in a live machine a failed run kept (`BuildContext.inPlace`),
   * in which the first `provisioners` ran: nothing is looked up, the hook skips those
   * and records the steps that run from there. `where` names it (`container 1a2b3c4d5e6f`).
   */
  readonly live?: { readonly provisioners: number; readonly where: string };
}

/** Where a build resumes: the machine saved after its first `provisioners` provisioners. */
export interface ResumePoint {
  readonly snapshot: SnapshotRef;
  /** How many provisioners the snapshot holds; the hook skips them (`CACHED <key>`). */
  readonly provisioners: number;
  /** The key of the last step the snapshot holds. */
  readonly key: string;
}

/** `BuildCache.start`'s answer: where the builder creates its machine from. */
export interface CacheStart {
  /** The base key (64 hex), for a builder that stores its base (qemu's first layer). */
  readonly baseKey: string;
  /** Start from this snapshot instead of the source; undefined: from the source. */
  readonly resume?: ResumePoint;
  /** The build's provisioner count: `resume.provisioners === steps` leaves none to run. */
  readonly steps: number;
  /** Whether steps that run are recorded (false with `-cache=read`, or a barrier first). */
  readonly record: boolean;
}

/**
 * The step cache of one build, in `BuildContext.cache` only when a cache flag is set
 * (`-cache`, `-cache=read`, `-resume`). A builder that can snapshot calls `start` once
 * it knows its source's identity and BEFORE it creates the machine, creates the machine
 * from `resume.snapshot` when given, and passes its `MachineSnapshots` to the hook.
 * A builder that never calls `start` is provisioned as without cache (a barrier).
 */
export interface BuildCache {
  start(base: CacheBase, signal: AbortSignal): Promise<CacheStart>;
  /** A folder for the builder's snapshot files (qemu layers `<key>.qcow2`), made on demand. */
  readonly layers: string;
  /** `-cache-from` / `-cache-to`: registry references the builder exchanges snapshots with. */
  readonly remote: { readonly from?: string; readonly to?: string };
  /** `-cache-ram`: also keep the machine's RAM state with each snapshot, where the builder can (qemu). */
  readonly ramState?: boolean;
  /** False with `-cache=read`: the builder writes nothing to the cache either (a capture). */
  readonly write?: boolean;
}

/** Core's provisioning, which a builder calls once its machine is reachable. */
export interface ProvisionHook {
  /**
   * `machine`: the builder's snapshots for this machine, when it can save it (with
   * `BuildContext.cache`, the hook then skips the provisioners `start` resumed past and
   * records the others). When `start` resumed past every step, the hook never uses `comm`.
   */
  run(name: ProvisionHookName, ui: Ui, comm: Communicator, data: GeneratedData, signal: AbortSignal, machine?: MachineSnapshots): Promise<Result<void>>;
}

export interface BuildContext {
  readonly ui: Ui;
  readonly signal: AbortSignal;
  readonly hook: ProvisionHook;
  readonly packer: PackerConfig;
  /** The communicator components, by the template's `communicator` value (core gives the registry's). */
  readonly communicators: CommunicatorLookup;
  /** The build's step cache, given only when a cache flag is set (see `BuildCache`). */
  readonly cache?: BuildCache;
  /**
   * The run's ledger: a builder records each container, VM process, temp folder or key
   * file in it before creating it (sdk/ledger). Absent in unit tests: `memoryLedger()`.
   */
  readonly ledger?: Ledger;
  /** Told when each of the builder's steps starts and finishes (`runBuildSteps` does it). */
  readonly steps?: StepObserver;
  /** With `-on-error=abort` or `-resume`: resuming in a machine a failed run kept (sdk/in-place.ts). */
  readonly inPlace?: InPlaceResume;
}

/** Finds the communicator component named `type`; undefined when there is none. */
export type CommunicatorLookup = (type: string) => Promise<CommunicatorDefinition | undefined>;

/** The communicators of `registry`, as a BuildContext carries them. */
export function communicatorLookup(registry: ComponentRegistry): CommunicatorLookup {
  return async (type) => {
    const d = await registry.load('communicator', type);
    return d?.kind === 'communicator' ? d : undefined;
  };
}

/**
 * A builder. `S` is its schema (native, or a spec given at run time), `P` what its
 * `prepare` makes of the config (the config itself when it has no `prepare`).
 */
export interface BuilderDefinition<S extends ComponentSchema = ComponentSchema, P = unknown> {
  readonly kind: 'builder';
  readonly name: string;
  readonly schema: S;
  /** Cross-field checks and derived values, after the schema decoded the config; says the generated-data keys. */
  prepare?(config: ConfigOf<S>, ctx: PrepareContext): Promise<Prepared<P>>;
  /** Runs the build; resolves to the artifact (undefined when there is none) or the error. */
  run(prepared: P, ctx: BuildContext): Promise<Result<Artifact | undefined>>;
}

export interface ProvisionContext {
  readonly ui: Ui;
  readonly signal: AbortSignal;
  readonly communicator: Communicator;
  readonly generatedData: GeneratedData;
  readonly packer: PackerConfig;
  /** The run's ledger, for what the provisioner starts or creates on this host (a local script's processes). */
  readonly ledger?: Ledger;
}

/**
 * A provisioner. Core prepares it twice, as Packer does: while preparing the build
 * (generated data as placeholders) and again before it runs, with the build's data.
 */
export interface ProvisionerDefinition<S extends ComponentSchema = ComponentSchema, P = unknown> {
  readonly kind: 'provisioner';
  readonly name: string;
  readonly schema: S;
  prepare?(config: ConfigOf<S>, ctx: PrepareContext): Promise<Prepared<P>>;
  provision(prepared: P, ctx: ProvisionContext): Promise<Result<void>>;
}

/** What the step cache did with one provisioner of a build (1-based `index`). */
export interface StepCacheRecord {
  readonly index: number;
  readonly type: string;
  /** The step's key (64 hex); empty when caching stopped before it. */
  readonly key: string;
  /**
   * `hit`: taken from the cache; `resumed`: not run, because it ran in the machine a
   * failed `-on-error=abort` run kept and `-resume` went on in (not from the cache);
   * `miss`: it ran; `recorded`: it ran and the cache now holds it; `uncacheable`: caching
   * stopped at or before it.
   */
  readonly status: 'hit' | 'resumed' | 'miss' | 'recorded' | 'uncacheable';
}

export interface PostProcessContext {
  readonly ui: Ui;
  readonly signal: AbortSignal;
  readonly artifact: Artifact;
  readonly packer: PackerConfig;
  /** With a cache flag: the build's steps as the step cache saw them (the manifest records them). */
  readonly stepCache?: readonly StepCacheRecord[];
  /** The run's ledger, for what the post-processor starts or creates on this host. */
  readonly ledger?: Ledger;
}

/**
 * A post-processor's output. `keep` asks to keep the input artifact; `forceOverride`
 * makes that decision win over the user's `keep_input_artifact` (Packer's rules).
 */
export interface PostProcessOutput {
  readonly artifact: Artifact | undefined;
  readonly keep: boolean;
  readonly forceOverride: boolean;
}

/** A post-processor; prepared while preparing the build and again with the artifact's generated data. */
export interface PostProcessorDefinition<S extends ComponentSchema = ComponentSchema, P = unknown> {
  readonly kind: 'post-processor';
  readonly name: string;
  readonly schema: S;
  prepare?(config: ConfigOf<S>, ctx: PrepareContext): Promise<Prepared<P>>;
  postProcess(prepared: P, ctx: PostProcessContext): Promise<Result<PostProcessOutput>>;
}

export interface DatasourceDefinition<S extends ComponentSchema = ComponentSchema, P = unknown> {
  readonly kind: 'datasource';
  readonly name: string;
  readonly schema: S;
  /** The type of `data.<type>.<name>`; used as an unknown value when not executed. */
  readonly outputType: cty.Type;
  prepare?(config: ConfigOf<S>, ctx: DatasourcePrepareContext): Promise<Prepared<P>>;
  execute(prepared: P, signal: AbortSignal): Promise<Result<cty.Value>>;
}

/**
 * A communicator (`ssh`, `docker`, `none`, `local`): connects to a machine a builder
 * made reachable and hands provisioners a Communicator. Its options are part of the
 * builder's block (`sdk/communicator-config.ts`), checked when the builder prepares;
 * `schema` lists the ones it reads, for documentation.
 */
export interface CommunicatorDefinition<S extends ObjectSchema = ObjectSchema> {
  readonly kind: 'communicator';
  readonly name: string;
  readonly schema: S;
  /**
   * Connects, waiting for the machine as the options say, and resolves with the
   * communicator; rejects with the error to fail the build with, having told the user.
   */
  connect(req: ConnectRequest): Promise<Communicator>;
}

export type ComponentDefinition = BuilderDefinition | ProvisionerDefinition | PostProcessorDefinition | DatasourceDefinition | CommunicatorDefinition;
export type ComponentKind = ComponentDefinition['kind'];

/**
 * Identity helpers that keep the schema's literal type for `ConfigOf`, and infer `P`
 * from `prepare` (the config itself without one).
 */
export const defineBuilder = <S extends ComponentSchema, P = ConfigOf<S>>(d: Omit<BuilderDefinition<S, P>, 'kind'>): BuilderDefinition<S, P> => ({ kind: 'builder', ...d });
export const defineProvisioner = <S extends ComponentSchema, P = ConfigOf<S>>(d: Omit<ProvisionerDefinition<S, P>, 'kind'>): ProvisionerDefinition<S, P> => ({ kind: 'provisioner', ...d });
export const definePostProcessor = <S extends ComponentSchema, P = ConfigOf<S>>(d: Omit<PostProcessorDefinition<S, P>, 'kind'>): PostProcessorDefinition<S, P> => ({
  kind: 'post-processor',
  ...d,
});
export const defineCommunicator = <S extends ObjectSchema>(d: Omit<CommunicatorDefinition<S>, 'kind'>): CommunicatorDefinition<S> => ({ kind: 'communicator', ...d });
export const defineDatasource = <S extends ComponentSchema, P = ConfigOf<S>>(d: Omit<DatasourceDefinition<S, P>, 'kind'>): DatasourceDefinition<S, P> => ({ kind: 'datasource', ...d });

/**
 * Where components come from: built-ins and installed plugins, loaded on first use so
 * a command only imports the components its template names.
 */
export interface ComponentRegistry {
  has(kind: ComponentKind, name: string): boolean;
  /** Resolves to undefined when no component of that kind and name exists. */
  load(kind: ComponentKind, name: string): Promise<ComponentDefinition | undefined>;
  /** Known names of a kind, for "did you mean" suggestions. */
  names(kind: ComponentKind): readonly string[];
}
