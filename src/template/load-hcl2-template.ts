/**
 * Loading an HCL2 template (`loadHcl2Template`: a `*.pkr.hcl`/`*.pkr.json` file or a
 * directory, plus the command line's variable inputs) into the config model, with
 * every problem as a diagnostic and the parsed files for the diagnostic renderer; and
 * the load options and results both syntaxes share. The three loaders:
 * - this one, HCL2 only;
 * - `load-either-syntax.ts` (`loadEitherSyntax`): picks HCL2 or legacy JSON (`json/`)
 *   from the path as Packer does;
 * - `commands/load-for-command.ts`: a command's load — MetaArgs flags in, Packer's
 *   diagnostics printed, builds prepared.
 */
import { statSync } from 'node:fs';
import type * as cty from '../hcl/cty/index.js';
import type { Diagnostic } from '../hcl/diagnostic.js';
import type { SourceFile } from '../hcl/diagnostic-text.js';
import type { EvalContext } from '../hcl/eval-context.js';
import type { ComponentRegistry } from '../sdk/component.js';
import type { SecretResolver } from './functions/secret-resolver.js';
import { PACKER_COMPAT_VERSION } from '../support/version.js';
import { loadHcl } from './hcl2/load-hcl.js';
import type { TemplateModel } from './model.js';


export interface LoadOptions {
  /** `-var name=value` flags, in command-line order (later ones win). */
  readonly vars?: readonly (readonly [string, string])[];
  /** `-var-file` paths, in command-line order. */
  readonly varFiles?: readonly string[];
  /** The environment (`PKR_VAR_*`, `env()`); defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The working directory (`path.cwd`); defaults to `process.cwd()`. */
  readonly cwd?: string;
  /** `-only` glob patterns (`*` also matches `.`). */
  readonly only?: readonly string[];
  /** `-except` glob patterns; they also drop post-processors by name (or type). */
  readonly except?: readonly string[];
  /**
   * Run data sources (`build`, `inspect`, `console`, `validate -evaluate-datasources`);
   * when false each data source is an unknown value of its output type (validate's
   * default). Defaults to true.
   */
  readonly evaluateDatasources?: boolean;
  /** `-use-sequential-evaluation`: data sources, then locals, instead of one graph. */
  readonly useSequentialEvaluation?: boolean;
  /** Warn about var-file keys no variable declares (`validate` does by default). */
  readonly warnOnUndeclaredVar?: boolean;
  /** Stop after parsing and collecting variable values (`validate -syntax-only`). */
  readonly syntaxOnly?: boolean;
  /** Cancels running data sources. */
  readonly signal?: AbortSignal;
  /**
   * Answers the secret functions (`vault`, `consul_key`, `aws_secretsmanager*`); the
   * loader prefetches the template's literal calls into it before evaluating. Defaults
   * to a new resolver over `env` for this load.
   */
  readonly secrets?: SecretResolver;
  /**
   * Give evaluation contexts every function even when no template file calls one
   * (`console`, whose input lines may). Otherwise the function table is loaded only for
   * templates that may call a function.
   */
  readonly allFunctions?: boolean;
  /** Overrides {@link PACKER_COMPAT_VERSION} (tests). */
  readonly packerVersion?: string;
}

export interface VariableDescription {
  readonly name: string;
  /** The value in use; unknown when unset; marked `sensitive` when sensitive. */
  readonly value: cty.Value;
  readonly type: cty.Type;
  readonly description: string;
  readonly sensitive: boolean;
}

export interface ComponentDescription {
  readonly type: string;
  /** The `name` meta-argument; undefined when unnamed. */
  readonly name?: string;
}

export interface BuildDescription {
  /** `name`, or '' for an unnamed build (inspect prints `<unnamed build i>`). */
  readonly name: string;
  readonly description: string;
  /** `type.name` (the local name when renamed), in run order. */
  readonly sources: readonly string[];
  /** The same sources as referenced (`type.name` of the `source` block they use). */
  readonly sourceRefs: readonly string[];
  readonly provisioners: readonly ComponentDescription[];
  readonly postProcessors: readonly (readonly ComponentDescription[])[];
}

/** What `inspect` and `console` show of an HCL2 template. */
export interface TemplateDescription {
  readonly variables: readonly VariableDescription[];
  /** Locals that evaluated (a failing one is left out). */
  readonly locals: readonly VariableDescription[];
  /** Declared sources, `type.name`, in declaration order. */
  readonly sources: readonly string[];
  /** Declared data sources, `type.name`. */
  readonly datasources: readonly string[];
  readonly builds: readonly BuildDescription[];
  /** `required_plugins` entries, for `init`. */
  readonly requiredPlugins: readonly { readonly name: string; readonly source: string; readonly version: string }[];
  /** The context `console` evaluates in: var, local, path, packer and all functions (no data). */
  consoleContext(): EvalContext;
}

export interface LoadResult {
  /** The model; undefined when loading found errors. */
  readonly model?: TemplateModel;
  /** Every parsed file (templates and var files) by the name diagnostics use. */
  readonly files: ReadonlyMap<string, SourceFile>;
  /** Errors and warnings, in the order found. */
  readonly diagnostics: readonly Diagnostic[];
  /** Present once the files parsed, even when later phases found errors (inspect ignores them). */
  readonly description?: TemplateDescription;
  /**
   * How many of `diagnostics`, from the start, came from parsing the files and
   * collecting variable values (Packer's Parse); the rest came from initialising and
   * building the model. Undefined when loading stopped before initialising (all of
   * them are parse diagnostics then).
   */
  readonly parseDiagnosticCount?: number;
}

/**
 * Packer's choice of template syntax for `path` (MetaArgs.GetConfigType): HCL2 for a
 * directory or a `.pkr.hcl`/`.pkr.json` file, otherwise `explicit` (`-config-type`),
 * otherwise legacy JSON.
 */
export function detectConfigType(path: string, explicit?: 'hcl2' | 'json'): 'hcl2' | 'json' {
  if (path === '-') return 'json';
  if (path.endsWith('.pkr.hcl') || path.endsWith('.pkr.json')) return 'hcl2';
  try {
    if (statSync(path).isDirectory()) return 'hcl2';
  } catch {
    // A missing path is reported by the loader that reads it.
  }
  return explicit ?? 'json';
}

/**
 * Loads an HCL2 template. `registry` provides data sources (decoded and, unless told
 * otherwise, executed here) and the component types builds are checked against.
 * Never throws for template mistakes; they come back as diagnostics.
 */
export function loadHcl2Template(path: string, options: LoadOptions, registry: ComponentRegistry): Promise<LoadResult> {
  return loadHcl(path, { ...options, packerVersion: options.packerVersion ?? PACKER_COMPAT_VERSION }, registry);
}
