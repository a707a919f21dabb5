/**
 * The native-syntax {@link Body} (hclsyntax's Body methods) over the parser's AST.
 * `partialContent` returns the same AST with the schema's items hidden, so a later
 * `content` on the remainder reports only what no pass has taken.
 */
import type { Attribute, Block, Body, BodyContent, BodySchema, ContentResult, PartialContentResult, AttributesResult } from '../body.js';
import type { Diagnostic } from '../diagnostic.js';
import type { Range } from '../pos.js';
import { nameSuggestion } from '../suggest.js';
import type * as ast from './ast.js';
import { AttributeNode, BlockNode } from './ast-nodes.js';
import { toExpression } from './eval.js';
import { between } from './range.js';

const EMPTY: ReadonlySet<string> = new Set();

/** A native-syntax body; `hiddenAttrs`/`hiddenBlocks` are what earlier partial reads took. */
export class NativeBody implements Body {
  constructor(
    readonly node: ast.Body,
    private readonly hiddenAttrs: ReadonlySet<string> = EMPTY,
    private readonly hiddenBlocks: ReadonlySet<string> = EMPTY,
  ) {}

  content(schema: BodySchema): ContentResult {
    const { content, diagnostics } = this.read(schema);
    const attrSchemas = schema.attributes ?? [];
    const blockSchemas = schema.blocks ?? [];
    // Schemas are a handful of names: a linear search beats building sets for every body.
    for (const [name, attr] of this.node.attributes) {
      if (this.hiddenAttrs.has(name) || attrSchemas.some((a) => a.name === name)) continue;
      diagnostics.push(unsupportedArgument(name, attr.nameRange, schema, content));
    }
    for (const block of this.node.blocks) {
      if (this.hiddenBlocks.has(block.type) || blockSchemas.some((b) => b.type === block.type)) continue;
      diagnostics.push(unsupportedBlock(block.type, block.typeRange, schema));
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

  /** The schema's attributes and blocks that earlier partial reads have not taken. */
  private read(schema: BodySchema): { content: BodyContent; diagnostics: Diagnostic[] } {
    const diagnostics: Diagnostic[] = [];
    const attributes = new Map<string, Attribute>();
    for (const s of schema.attributes ?? []) {
      const attr = this.node.attributes.get(s.name);
      if (attr === undefined || this.hiddenAttrs.has(s.name)) {
        if (s.required) diagnostics.push(missingArgument(s.name, this.missingItemRange()));
        continue;
      }
      attributes.set(s.name, nativeAttribute(attr));
    }
    const blockSchemas = schema.blocks ?? [];
    const blocks: Block[] = [];
    if (blockSchemas.length > 0) {
      for (const block of this.node.blocks) {
        if (this.hiddenBlocks.has(block.type)) continue;
        // The last schema entry of a type wins, as in the Map this used to build.
        let labelNames: readonly string[] | undefined;
        for (const b of blockSchemas) if (b.type === block.type) labelNames = b.labelNames ?? [];
        if (labelNames === undefined) continue;
        const bad = labelProblem(block, labelNames);
        if (bad) diagnostics.push(bad);
        else blocks.push(nativeBlock(block));
      }
    }
    const content: BodyContent = { attributes, blocks, missingItemRange: this.missingItemRange() };
    return { content, diagnostics };
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
    return { filename: r.filename, start: r.start, end: r.start };
  }
}

const attrCache = new WeakMap<ast.Attribute, Attribute>();
const blockCache = new WeakMap<ast.Block, Block>();

/** The AST attribute as an {@link Attribute}; the same object for the same node. */
export function nativeAttribute(a: ast.Attribute): Attribute {
  // Parsed nodes carry their own cache slot: 85,000 WeakMap entries cost the GC dearly.
  if (a instanceof AttributeNode) return (a.hcl ??= { name: a.name, expr: toExpression(a.expr), range: a.srcRange, nameRange: a.nameRange });
  let out = attrCache.get(a);
  if (!out) {
    out = { name: a.name, expr: toExpression(a.expr), range: a.srcRange, nameRange: a.nameRange };
    attrCache.set(a, out);
  }
  return out;
}

/** The AST block as a {@link Block}; the same object for the same node. */
export function nativeBlock(b: ast.Block): Block {
  if (b instanceof BlockNode) return (b.hcl ??= newNativeBlock(b));
  let out = blockCache.get(b);
  if (!out) {
    out = newNativeBlock(b);
    blockCache.set(b, out);
  }
  return out;
}

function newNativeBlock(b: ast.Block): Block {
  const typeRange = b.typeRange;
  const last = b.labelRanges[b.labelRanges.length - 1] ?? typeRange;
  return { type: b.type, labels: b.labels, body: new NativeBody(b.body), defRange: between(typeRange, last), typeRange, labelRanges: b.labelRanges };
}

function labelProblem(block: ast.Block, labelNames: readonly string[]): Diagnostic | undefined {
  const context = between(block.typeRange, block.openBraceRange);
  const name = block.type;
  if (block.labels.length > labelNames.length) {
    const detail = labelNames.length === 0
      ? `No labels are expected for ${name} blocks.`
      : `Only ${labelNames.length} labels (${labelNames.join(', ')}) are expected for ${name} blocks.`;
    const subject = block.labelRanges[labelNames.length];
    return { severity: 'error', summary: `Extraneous label for ${name}`, detail, ...(subject ? { subject } : {}), context };
  }
  if (block.labels.length < labelNames.length) {
    return {
      severity: 'error',
      summary: `Missing ${labelNames[block.labels.length] ?? 'label'} for ${name}`,
      detail: `All ${name} blocks must have ${labelNames.length} labels (${labelNames.join(', ')}).`,
      subject: block.openBraceRange,
      context,
    };
  }
  return undefined;
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
