/**
 * The syntax-independent body interface (hcl.Body) and its schema types. Native syntax
 * (`syntax/body-native.ts`), JSON syntax (`json/`), merged bodies (`merge.ts`) and
 * wrappers such as dynamic blocks (`dynblock/`) implement `Body`; the template layer
 * and `dec/` read configuration only through it.
 *
 * A body is read against a schema: `content` takes exactly the schema's items and
 * reports anything else; `partialContent` takes them and hands back the rest as a new
 * body for a later pass (Packer reads `source` blocks this way, first the common
 * arguments, then the plugin's own). Neither ever throws.
 */
import type { Diagnostic } from './diagnostic.js';
import type { Expression } from './expression.js';
import type { Range } from './pos.js';

/** One argument a body may set (hcl.AttributeSchema). */
export interface AttributeSchema {
  readonly name: string;
  /** When true, its absence is "Missing required argument". */
  readonly required?: boolean;
}

/** One block type a body may contain, with the names of its labels (hcl.BlockHeaderSchema). */
export interface BlockHeaderSchema {
  readonly type: string;
  /** One name per label the block must have; the names appear in diagnostics. Empty = no labels. */
  readonly labelNames?: readonly string[];
}

/** What a body is read against (hcl.BodySchema). */
export interface BodySchema {
  readonly attributes?: readonly AttributeSchema[];
  readonly blocks?: readonly BlockHeaderSchema[];
}

/** An argument as found in a body (hcl.Attribute). */
export interface Attribute {
  readonly name: string;
  readonly expr: Expression;
  /** The whole definition, `name = expr`. */
  readonly range: Range;
  readonly nameRange: Range;
}

/** A nested block (hcl.Block). */
export interface Block {
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: Body;
  /** The block's header (type and labels): what to underline when the block is the subject. */
  readonly defRange: Range;
  readonly typeRange: Range;
  readonly labelRanges: readonly Range[];
}

/** The part of a body a schema selected (hcl.BodyContent). */
export interface BodyContent {
  /** By name, in source order. */
  readonly attributes: ReadonlyMap<string, Attribute>;
  /** In source order (for JSON: in object-property order). */
  readonly blocks: readonly Block[];
  /** Where to point a diagnostic about something that is missing from the body. */
  readonly missingItemRange: Range;
}

export interface ContentResult {
  readonly content: BodyContent;
  readonly diagnostics: Diagnostic[];
}

export interface PartialContentResult extends ContentResult {
  /** The same body with the schema's items hidden, for a later pass. */
  readonly remain: Body;
}

export interface AttributesResult {
  /** By name, in source order. */
  readonly attributes: ReadonlyMap<string, Attribute>;
  readonly diagnostics: Diagnostic[];
}

/** A body of configuration, independent of syntax (hcl.Body). No method throws. */
export interface Body {
  /**
   * The attributes and blocks the schema names. Anything else in the body is an error
   * ("Unsupported argument", "Unsupported block type"), as is a missing required argument
   * or a block with the wrong number of labels; the content holds whatever was valid.
   */
  content(schema: BodySchema): ContentResult;
  /** As `content`, but items the schema does not name are left in `remain`, not reported. */
  partialContent(schema: BodySchema): PartialContentResult;
  /**
   * Every attribute, for bodies whose names are chosen by the user (`locals`,
   * `variables`); any block is an error. Hidden items (after `partialContent`) are left out.
   */
  justAttributes(): AttributesResult;
  /** Where to report an item that should have been in the body but was not. */
  missingItemRange(): Range;
  /**
   * Capability (hcldec.UnknownBody): true when the body stands for content not known
   * yet, e.g. a `dynamic` block whose `for_each` is unknown; decoders then produce an
   * unknown value instead of reading it.
   */
  isUnknown?(): boolean;
}

/** The blocks of one type, in order (hcl.Blocks.OfType). */
export function blocksOfType(blocks: readonly Block[], type: string): Block[] {
  return blocks.filter((b) => b.type === type);
}

/** Blocks grouped by type, each group in order (hcl.Blocks.ByType). */
export function blocksByType(blocks: readonly Block[]): Map<string, Block[]> {
  const out = new Map<string, Block[]>();
  for (const b of blocks) {
    const group = out.get(b.type);
    if (group) group.push(b);
    else out.set(b.type, [b]);
  }
  return out;
}
