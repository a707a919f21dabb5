/**
 * The parts of an HCL2 template as the loader collects them (hcl2template's
 * PackerConfig pieces), before they become the config model.
 */
import type { Block, Body } from '../../hcl/body.js';
import type * as cty from '../../hcl/cty/index.js';
import type { Expression } from '../../hcl/expression.js';
import type { Range } from '../../hcl/pos.js';
import type { Defaults } from '../../hcl/typeexpr/index.js';

/** Where a variable's value came from, as Packer names it in diagnostics. */
export type ValueSource = 'default' | 'env' | 'varfile' | 'cmd';

export interface VariableAssignment {
  readonly from: ValueSource;
  readonly value: cty.Value;
  /** The expression that set it, for diagnostics; undefined for literal -var/env text. */
  readonly range?: Range;
}

export interface VariableValidation {
  readonly condition: Expression;
  readonly errorMessage: string;
  /** The `validation` block's header. */
  readonly range: Range;
}

export interface InputVariable {
  readonly name: string;
  /** The type constraint; dynamic when neither `type` nor a typed default was given. */
  type: cty.Type;
  /** Whether a `type` attribute was given (then -var/env text is parsed unless string/number). */
  readonly typeDefaults?: Defaults;
  readonly description: string;
  readonly sensitive: boolean;
  /** Every assignment in precedence order; the last one wins. */
  readonly values: VariableAssignment[];
  readonly validations: readonly VariableValidation[];
  /** The `variable` block header (or the attribute in a `variables` block). */
  readonly range: Range;
}

export interface LocalDefinition {
  readonly name: string;
  readonly expr: Expression;
  readonly sensitive: boolean;
  /** The attribute, or the `local` block header. */
  readonly range: Range;
}

export interface EvaluatedLocal {
  readonly name: string;
  readonly value: cty.Value;
  readonly sensitive: boolean;
}

export interface DataDefinition {
  readonly type: string;
  readonly name: string;
  readonly block: Block;
}

export interface SourceDefinition {
  readonly type: string;
  readonly name: string;
  /** The top-level block; its body expands `dynamic` blocks when read. */
  readonly block: Block;
}

/** A use of a source in a `build` block (`sources = [...]` or `source "t.n" { ... }`). */
export interface SourceUse {
  readonly type: string;
  readonly name: string;
  /** The `name` given in a build-level `source` block: renames the build. */
  readonly localName?: string;
  /**
   * The rest of the build-level `source` block (without `name`), merged into the
   * source's body; it carries its `dynamic` iteration when a dynamic block made it.
   */
  readonly extra?: Body;
  readonly range: Range;
}

/** `<type>.<local name or name>`, what only/except of provisioners match. */
export function sourceUseName(s: SourceUse): string {
  return `${s.type}.${s.localName ?? s.name}`;
}

export interface OnlyExcept {
  readonly only: readonly string[];
  readonly except: readonly string[];
}

/** Whether a provisioner or post-processor skips the source named `name` (exact match). */
export function skips(o: OnlyExcept, name: string): boolean {
  if (o.only.length > 0) return !o.only.includes(name);
  if (o.except.length > 0) return o.except.includes(name);
  return false;
}

export interface ProvisionerBlock {
  readonly type: string;
  readonly name?: string;
  readonly pauseBefore?: number;
  readonly maxRetries: number;
  readonly timeout?: number;
  readonly continueOnError: boolean;
  readonly onlyExcept: OnlyExcept;
  /** Per source name: attributes that replace the block's own. */
  readonly override?: ReadonlyMap<string, ReadonlyMap<string, cty.Value>>;
  /**
   * The block, its body without the meta-arguments; a block made by a `dynamic` block
   * evaluates its attributes with the iterator in scope.
   */
  readonly block: Block;
}

export interface PostProcessorBlock {
  readonly type: string;
  readonly name?: string;
  readonly keepInputArtifact?: boolean;
  readonly onlyExcept: OnlyExcept;
  /** As {@link ProvisionerBlock.block}. */
  readonly block: Block;
}

export interface BuildBlock {
  readonly name: string;
  readonly description: string;
  readonly sources: readonly SourceUse[];
  readonly provisioners: readonly ProvisionerBlock[];
  readonly errorCleanupProvisioner?: ProvisionerBlock;
  readonly postProcessors: readonly (readonly PostProcessorBlock[])[];
  readonly range: Range;
}

/** A `required_plugins` entry, recorded for `init` and plugin discovery. */
export interface RequiredPlugin {
  readonly name: string;
  readonly source: string;
  readonly version: string;
  readonly range: Range;
}
