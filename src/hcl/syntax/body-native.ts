/**
 * The native-syntax {@link Body} (hclsyntax's Body methods) over the parser's AST.
 * `partialContent` returns the same AST with the schema's items hidden, so a later
 * `content` on the remainder reports only what no pass has taken.
 */
import type { Attribute, AttributeSchema, Block, BlockHeaderSchema, Body, BodyContent, BodySchema, ContentResult, PartialContentResult, AttributesResult } from '../body.js';
import type { Diagnostic } from '../diagnostic.js';
import type { Range } from '../pos.js';
import { nameSuggestion } from '../suggest.js';
import type * as ast from './ast.js';
import { toExpression } from './eval.js';
import { between } from './range.js';
import { TokenRange } from './token-range.js';

const EMPTY: ReadonlySet<string> = new Set();

/** A native-syntax body; `hiddenAttrs`/`hiddenBlocks` are what earlier partial reads took. */
export class NativeBody implements Body {
  // Declared fields set in the constructor: a class field costs V8 an initializer call per object.
  declare readonly node: ast.Body;
  private declare readonly hiddenAttrs: ReadonlySet<string>;
  private declare readonly hiddenBlocks: ReadonlySet<string>;

  constructor(node: ast.Body, hiddenAttrs: ReadonlySet<string> = EMPTY, hiddenBlocks: ReadonlySet<string> = EMPTY) {
    this.node = node;
    this.hiddenAttrs = hiddenAttrs;
    this.hiddenBlocks = hiddenBlocks;
  }

  content(schema: BodySchema): ContentResult {
    const { content, diagnostics, blocksInSchema } = this.read(schema);
    const hiddenAttrs = this.hiddenAttrs;
    const hiddenBlocks = this.hiddenBlocks;
    const nodeAttrs = this.node.attributes;
    // Usually every item is in the schema: the counts show it without a second pass.
    if (hiddenAttrs.size > 0 || content.attributes.size !== nodeAttrs.size) {
      const attrSchemas = schema.attributes ?? NONE;
      // Schemas are a handful of names: a linear search beats building sets for every body.
      for (const [name, attr] of nodeAttrs) {
        if (hasAttribute(attrSchemas, name) || (hiddenAttrs.size > 0 && hiddenAttrs.has(name))) continue;
        diagnostics.push(unsupportedArgument(name, attr.nameRange, schema, content));
      }
    }
    if (hiddenBlocks.size > 0 || blocksInSchema !== this.node.blocks.length) {
      const blockSchemas = schema.blocks ?? NONE;
      for (const block of this.node.blocks) {
        if (hasBlock(blockSchemas, block.type) || (hiddenBlocks.size > 0 && hiddenBlocks.has(block.type))) continue;
        diagnostics.push(unsupportedBlock(block.type, block.typeRange, schema));
      }
    }
    return { content, diagnostics };
  }

  partialContent(schema: BodySchema): PartialContentResult {
    const { content, diagnostics } = this.read(schema);
    const hiddenAttrs = new Set(this.hiddenAttrs);
    for (const name of content.attributes.keys()) hiddenAttrs.add(name);
    const hiddenBlocks = new Set(this.hiddenBlocks);
    for (const b of schema.blocks ?? []) hiddenBlocks.add(b.type);
    return { content, remain: new NativeBody(this.node, hiddenAttrs, hiddenBlocks), diagnostics };
  }

  /**
   * The schema's attributes and blocks that earlier partial reads have not taken. Most
   * bodies have nothing wrong and a few attributes: nothing is allocated for a check
   * that passes, and the missing-item range is built only when read.
   */
  private read(schema: BodySchema): { content: BodyContent; diagnostics: Diagnostic[]; blocksInSchema: number } {
    const diagnostics: Diagnostic[] = [];
    const attributes = new Map<string, Attribute>();
    const nodeAttrs = this.node.attributes;
    const hiddenAttrs = this.hiddenAttrs;
    const attrSchemas = schema.attributes;
    if (attrSchemas !== undefined) {
      for (let i = 0; i < attrSchemas.length; i++) {
        const s = attrSchemas[i]!;
        const attr = nodeAttrs.get(s.name);
        if (attr === undefined || (hiddenAttrs.size > 0 && hiddenAttrs.has(s.name))) {
          if (s.required) diagnostics.push(missingArgument(s.name, this.missingItemRange()));
          continue;
        }
        attributes.set(s.name, nativeAttribute(attr));
      }
    }
    const blockSchemas = schema.blocks;
    const blocks: Block[] = [];
    // Blocks not hidden whose type the schema names (well-labelled or not).
    let blocksInSchema = 0;
    if (blockSchemas !== undefined && blockSchemas.length > 0) {
      const hiddenBlocks = this.hiddenBlocks;
      for (const block of this.node.blocks) {
        if (hiddenBlocks.size > 0 && hiddenBlocks.has(block.type)) continue;
        // The last schema entry of a type wins, as in the Map this used to build.
        let labelNames: readonly string[] | undefined;
        for (let i = 0; i < blockSchemas.length; i++) {
          const b = blockSchemas[i]!;
          if (b.type === block.type) labelNames = b.labelNames ?? NONE;
        }
        if (labelNames === undefined) continue;
        blocksInSchema++;
        if (block.labels.length !== labelNames.length) diagnostics.push(labelProblem(block, labelNames));
        else blocks.push(nativeBlock(block));
      }
    }
    return { content: new NativeContent(attributes, blocks, this), diagnostics, blocksInSchema };
  }

  justAttributes(): AttributesResult {
    const diagnostics: Diagnostic[] = [];
    const first = this.node.blocks[0];
    if (first) {
      diagnostics.push({ severity: 'error', summary: `Unexpected ${JSON.stringify(first.type)} block`, detail: 'Blocks are not allowed here.', subject: first.typeRange });
    }
    const attributes = new Map<string, Attribute>();
    for (const [name, attr] of this.node.attributes) {
      if (!this.hiddenAttrs.has(name)) attributes.set(name, nativeAttribute(attr));
    }
    return { attributes, diagnostics };
  }

  missingItemRange(): Range {
    const r = this.node.srcRange;
    if (r instanceof TokenRange) return new TokenRange(r.streamOf(), r.startSlot(), r.startSlot());
    return { filename: r.filename, start: r.start, end: r.start };
  }
}

const NONE: readonly never[] = [];

function hasAttribute(schemas: readonly AttributeSchema[], name: string): boolean {
  for (let i = 0; i < schemas.length; i++) if (schemas[i]!.name === name) return true;
  return false;
}

function hasBlock(schemas: readonly BlockHeaderSchema[], type: string): boolean {
  for (let i = 0; i < schemas.length; i++) if (schemas[i]!.type === type) return true;
  return false;
}

/** A body's content; `missingItemRange` is built when read (a diagnostic needs it), not for every body. */
class NativeContent implements BodyContent {
  declare readonly attributes: ReadonlyMap<string, Attribute>;
  declare readonly blocks: readonly Block[];
  private declare readonly body: NativeBody;

  constructor(attributes: ReadonlyMap<string, Attribute>, blocks: readonly Block[], body: NativeBody) {
    this.attributes = attributes;
    this.blocks = blocks;
    this.body = body;
  }

  get missingItemRange(): Range {
    return this.body.missingItemRange();
  }
}

/**
 * The AST attribute as an {@link Attribute}: a new object on each call. Nothing depends
 * on identity, and a view kept on the node outlived the read that made it (a 5 MB
 * template's ~67,000 variable attributes, each with two ranges and an expression).
 */
export function nativeAttribute(a: ast.Attribute): Attribute {
  return { name: a.name, expr: toExpression(a.expr), range: a.srcRange, nameRange: a.nameRange };
}

/** The AST block as a {@link Block}: a new object on each call, as for attributes. */
export function nativeBlock(b: ast.Block): Block {
  return newNativeBlock(b);
}

function newNativeBlock(b: ast.Block): Block {
  const typeRange = b.typeRange;
  const last = b.labelRanges[b.labelRanges.length - 1] ?? typeRange;
  return { type: b.type, labels: b.labels, body: new NativeBody(b.body), defRange: between(typeRange, last), typeRange, labelRanges: b.labelRanges };
}

/** The diagnostic for a block whose label count is not the schema's (called only then). */
function labelProblem(block: ast.Block, labelNames: readonly string[]): Diagnostic {
  const context = between(block.typeRange, block.openBraceRange);
  const name = block.type;
  if (block.labels.length > labelNames.length) {
    const detail = labelNames.length === 0
      ? `No labels are expected for ${name} blocks.`
      : `Only ${labelNames.length} labels (${labelNames.join(', ')}) are expected for ${name} blocks.`;
    const subject = block.labelRanges[labelNames.length];
    return { severity: 'error', summary: `Extraneous label for ${name}`, detail, ...(subject ? { subject } : {}), context };
  }
  return {
    severity: 'error',
    summary: `Missing ${labelNames[block.labels.length] ?? 'label'} for ${name}`,
    detail: `All ${name} blocks must have ${labelNames.length} labels (${labelNames.join(', ')}).`,
    subject: block.openBraceRange,
    context,
  };
}

/** "Missing required argument" at the body's missing-item range. */
export function missingArgument(name: string, subject: Range): Diagnostic {
  return { severity: 'error', summary: 'Missing required argument', detail: `The argument ${JSON.stringify(name)} is required, but no definition was found.`, subject };
}

/** "Unsupported argument", suggesting an unset schema argument or a block of that name. */
export function unsupportedArgument(name: string, subject: Range, schema: BodySchema, content: BodyContent): Diagnostic {
  const candidates = (schema.attributes ?? []).map((a) => a.name).filter((n) => !content.attributes.has(n));
  const s = nameSuggestion(name, candidates);
  let hint = s === undefined ? '' : ` Did you mean ${JSON.stringify(s)}?`;
  if (s === undefined && (schema.blocks ?? []).some((b) => b.type === name)) {
    hint = ` Did you mean to define a block of type ${JSON.stringify(name)}?`;
  }
  return { severity: 'error', summary: 'Unsupported argument', detail: `An argument named ${JSON.stringify(name)} is not expected here.${hint}`, subject };
}

/** "Unsupported block type", suggesting a schema block type or an argument of that name. */
export function unsupportedBlock(type: string, subject: Range, schema: BodySchema): Diagnostic {
  const s = nameSuggestion(type, (schema.blocks ?? []).map((b) => b.type));
  let hint = s === undefined ? '' : ` Did you mean ${JSON.stringify(s)}?`;
  if (s === undefined && (schema.attributes ?? []).some((a) => a.name === type)) {
    hint = ` Did you mean to define argument ${JSON.stringify(type)}? If so, use the equals sign to assign it a value.`;
  }
  return { severity: 'error', summary: 'Unsupported block type', detail: `Blocks of type ${JSON.stringify(type)} are not expected here.${hint}`, subject };
}
