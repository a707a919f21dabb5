/**
 * The config model: what the template layer makes of a template (HCL2 or legacy
 * JSON) and what the build engine runs. Component configs stay undecoded until core
 * asks, because a component's schema comes from the registry and because Packer
 * decodes provisioners again at provision time with the build's real generated data
 * (`build.Host`, `{{ .ID }}`), which are unknown while preparing.
 */
import type * as cty from '../hcl/cty/index.js';
import type { Diagnostic } from '../hcl/diagnostic.js';
import type { Range } from '../hcl/pos.js';
import type { GeneratedData } from '../sdk/component.js';
import type { DecodedConfig } from '../sdk/schema/decode-config.js';
import type { ComponentSchema, ConfigOf } from '../sdk/schema/spec.js';

/**
 * The build's generated data a provisioner or post-processor config is decoded with:
 * `keys` are the names the builder's prepare gave (Packer's generatedVars), which read
 * as placeholders while preparing; `data` holds the real values once the build ran.
 */
export interface BuildData {
  readonly keys: readonly string[];
  readonly data?: GeneratedData;
}

export interface ComponentSpec {
  /** The component type: `null`, `shell-local`, `manifest`. */
  readonly type: string;
  /** Where it is defined, for diagnostics. */
  readonly range?: Range;
  /**
   * Evaluates and decodes the component's configuration through `schema`'s hcldec spec
   * (`decodeComponentConfig`), with Go `{{ }}` rendering for native schemas as Packer's
   * SDK does. `build` is the build's generated data (provisioners, post-processors):
   * without real data, references to it decode as Packer's placeholders.
   */
  decode<S extends ComponentSchema>(schema: S, build?: BuildData): DecodedConfig<ConfigOf<S>>;
  /**
   * The configuration read without a schema, for a component whose plugin is not
   * installed (`kiln plan` fingerprints it): attributes evaluated (failures as unknown),
   * nested blocks as lists of objects. Not rendered, not checked.
   */
  raw?(build?: BuildData): cty.Value;
}

export interface ProvisionerSpec extends ComponentSpec {
  /** The block's label name in HCL (`provisioner "shell" { name = ... }`); undefined if unnamed. */
  readonly name?: string;
  /** Milliseconds to wait before running; when set, `timeout` is not applied (Packer's rule). */
  readonly pauseBefore?: number;
  /** Extra attempts after a failure. */
  readonly maxRetries: number;
  /** Milliseconds before the provisioner is cancelled. */
  readonly timeout?: number;
  /** A failure is reported but the build goes on (1.16). */
  readonly continueOnError: boolean;
}

export interface PostProcessorSpec extends ComponentSpec {
  /** The label name (HCL) or `name` (JSON, defaults to the type); `''` when unnamed in HCL. */
  readonly name: string;
  /** undefined: the post-processor decides; true/false: the user's choice. */
  readonly keepInputArtifact?: boolean;
}

export interface BuildSpec {
  /** The displayed build name: `null.hello`, or `<build name>.null.hello`. */
  readonly name: string;
  /** The source's name as declared (PACKER_BUILD_NAME keeps it even when renamed). */
  readonly sourceName: string;
  readonly builder: ComponentSpec;
  readonly provisioners: readonly ProvisionerSpec[];
  readonly errorCleanupProvisioner?: ProvisionerSpec;
  /** Post-processor chains; each chain starts from the builder's artifact. */
  readonly postProcessors: readonly (readonly PostProcessorSpec[])[];
}

export interface TemplateModel {
  readonly syntax: 'hcl' | 'json';
  /** Absolute path of the template file or directory; undefined for stdin. */
  readonly templatePath?: string;
  readonly builds: readonly BuildSpec[];
  /** User variables as strings, for components' `packer_user_variables`. */
  readonly userVariables: Readonly<Record<string, string>>;
  readonly sensitiveVariables: readonly string[];
  /** Secret strings to mask in all output (values of sensitive variables and locals). */
  readonly secrets: readonly string[];
  /** Warnings found while loading (errors stop loading). */
  readonly warnings: readonly Diagnostic[];
}
