/**
 * The contracts builders, provisioners, post-processors and data sources are written
 * against (Packer's packer.Builder & co.), expressed with the schema DSL: a component
 * declares its options once and gets a typed, validated config.
 */
import type * as cty from '../hcl/cty/index.js';
import type { Artifact } from './artifact.js';
import type { Communicator, ConnectRequest } from './communicator.js';
import type { OnError } from './multistep/runner.js';
import type { Result } from './result.js';
import type { Infer, ObjectSchema } from './schema/field.js';
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

/** Problems found while preparing a component, beyond what the schema checks. */
export interface PrepareIssues {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

export type ProvisionHookName = 'packer_provision' | 'packer_cleanup_provision';

/** Core's provisioning, which a builder calls once its machine is reachable. */
export interface ProvisionHook {
  run(name: ProvisionHookName, ui: Ui, comm: Communicator, data: GeneratedData, signal: AbortSignal): Promise<Result<void>>;
}

export interface BuildContext {
  readonly ui: Ui;
  readonly signal: AbortSignal;
  readonly hook: ProvisionHook;
  readonly packer: PackerConfig;
  /** The communicator components, by the template's `communicator` value (core gives the registry's). */
  readonly communicators: CommunicatorLookup;
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

export interface BuilderDefinition<S extends ObjectSchema = ObjectSchema> {
  readonly kind: 'builder';
  readonly name: string;
  readonly schema: S;
  /** Keys the builder adds to generated data, available as `build.<Key>`. */
  readonly generatedData?: readonly string[];
  /** Cross-field checks and derived values, after the schema decoded the config. */
  prepare?(config: Infer<S>, packer: PackerConfig): PrepareIssues;
  /** Runs the build; resolves to the artifact (undefined when there is none) or the error. */
  run(config: Infer<S>, ctx: BuildContext): Promise<Result<Artifact | undefined>>;
}

export interface ProvisionContext {
  readonly ui: Ui;
  readonly signal: AbortSignal;
  readonly communicator: Communicator;
  readonly generatedData: GeneratedData;
  readonly packer: PackerConfig;
}

export interface ProvisionerDefinition<S extends ObjectSchema = ObjectSchema> {
  readonly kind: 'provisioner';
  readonly name: string;
  readonly schema: S;
  prepare?(config: Infer<S>, packer: PackerConfig): PrepareIssues;
  provision(config: Infer<S>, ctx: ProvisionContext): Promise<Result<void>>;
}

export interface PostProcessContext {
  readonly ui: Ui;
  readonly signal: AbortSignal;
  readonly artifact: Artifact;
  readonly packer: PackerConfig;
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

export interface PostProcessorDefinition<S extends ObjectSchema = ObjectSchema> {
  readonly kind: 'post-processor';
  readonly name: string;
  readonly schema: S;
  prepare?(config: Infer<S>, packer: PackerConfig): PrepareIssues;
  postProcess(config: Infer<S>, ctx: PostProcessContext): Promise<Result<PostProcessOutput>>;
}

export interface DatasourceDefinition<S extends ObjectSchema = ObjectSchema> {
  readonly kind: 'datasource';
  readonly name: string;
  readonly schema: S;
  /** The type of `data.<type>.<name>`; used as an unknown value when not executed. */
  readonly outputType: cty.Type;
  prepare?(config: Infer<S>): PrepareIssues;
  execute(config: Infer<S>, signal: AbortSignal): Promise<Result<cty.Value>>;
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

/** Identity helpers that keep the schema's literal type for `Infer`. */
export const defineBuilder = <S extends ObjectSchema>(d: Omit<BuilderDefinition<S>, 'kind'>): BuilderDefinition<S> => ({ kind: 'builder', ...d });
export const defineProvisioner = <S extends ObjectSchema>(d: Omit<ProvisionerDefinition<S>, 'kind'>): ProvisionerDefinition<S> => ({ kind: 'provisioner', ...d });
export const definePostProcessor = <S extends ObjectSchema>(d: Omit<PostProcessorDefinition<S>, 'kind'>): PostProcessorDefinition<S> => ({ kind: 'post-processor', ...d });
export const defineCommunicator = <S extends ObjectSchema>(d: Omit<CommunicatorDefinition<S>, 'kind'>): CommunicatorDefinition<S> => ({ kind: 'communicator', ...d });
export const defineDatasource = <S extends ObjectSchema>(d: Omit<DatasourceDefinition<S>, 'kind'>): DatasourceDefinition<S> => ({ kind: 'datasource', ...d });

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
