/**
 * The JSON-syntax {@link Body} (json/structure.go). A body is a JSON object, or an
 * array of objects whose properties are read as one body. A property is an argument
 * or a block according to the schema; a block's labels are the names of nested object
 * properties, one level per label; an array gives several blocks of the same type;
 * `null` gives none. Properties named `//` are comments.
 */
import type { Attribute, AttributesResult, Block, Body, BodyContent, BodySchema, ContentResult, PartialContentResult } from '../body.js';
import type { Diagnostic } from '../diagnostic.js';
import type { Range } from '../pos.js';
import { formatRange } from '../pos.js';
import { nameSuggestion } from '../suggest.js';
import type { JSONNode, JSONProperty } from './ast.js';
import { propertyRange, startRange } from './ast.js';
import { jsonExpression } from './expression.js';

const EMPTY: ReadonlySet<string> = new Set();

export class JSONBody implements Body {
  constructor(
    readonly node: JSONNode,
    private readonly hiddenAttrs: ReadonlySet<string> = EMPTY,
  ) {}

  content(schema: BodySchema): ContentResult {
    const { content, remain, diagnostics } = this.partialContent(schema);
    const hidden = (remain as JSONBody).hiddenAttrs;
    const suggestions = [
      ...(schema.attributes ?? []).map((a) => a.name).filter((n) => !hidden.has(n)),
      ...(schema.blocks ?? []).map((b) => b.type),
    ];
    const { attrs, diagnostics: deep } = collectDeepAttrs(this.node, undefined);
    diagnostics.push(...deep);
    for (const attr of attrs) {
      if (attr.name === '//' || hidden.has(attr.name)) continue;
      const s = nameSuggestion(attr.name, suggestions);
      diagnostics.push({
        severity: 'error',
        summary: 'Extraneous JSON object property',
        detail: `No argument or block type is named ${JSON.stringify(attr.name)}.${s === undefined ? '' : ` Did you mean ${JSON.stringify(s)}?`}`,
        subject: attr.nameRange,
        context: propertyRange(attr),
      });
    }
    return { content, diagnostics };
  }

  partialContent(schema: BodySchema): PartialContentResult {
    const { attrs, diagnostics } = collectDeepAttrs(this.node, undefined);
    const used = new Set(this.hiddenAttrs);
    const attributes = new Map<string, Attribute>();
    const blocks: Block[] = [];
    const attrSchemas = new Set((schema.attributes ?? []).map((a) => a.name));
    const blockSchemas = new Map((schema.blocks ?? []).map((b) => [b.type, b.labelNames ?? []] as const));
    for (const prop of attrs) {
      const name = prop.name;
      if (this.hiddenAttrs.has(name)) continue;
      if (attrSchemas.has(name)) {
        const existing = attributes.get(name);
        if (existing) {
          diagnostics.push({
            severity: 'error',
            summary: 'Duplicate argument',
            detail: `The argument ${JSON.stringify(name)} was already set at ${formatRange(existing.range)}.`,
            subject: prop.nameRange,
            context: propertyRange(prop),
          });
          continue;
        }
        attributes.set(name, jsonAttribute(prop));
        used.add(name);
        continue;
      }
      const labelNames = blockSchemas.get(name);
      if (labelNames !== undefined) {
        diagnostics.push(...unpackBlock(prop.value, name, prop.nameRange, labelNames, [], [], blocks));
        used.add(name);
      }
    }
    for (const s of schema.attributes ?? []) {
      if (s.required && !attributes.has(s.name)) {
        diagnostics.push({
          severity: 'error',
          summary: 'Missing required argument',
          detail: `The argument ${JSON.stringify(s.name)} is required, but no definition was found.`,
          subject: this.missingItemRange(),
        });
      }
    }
    const content: BodyContent = { attributes, blocks, missingItemRange: this.missingItemRange() };
    return { content, remain: new JSONBody(this.node, used), diagnostics };
  }

  justAttributes(): AttributesResult {
    const attributes = new Map<string, Attribute>();
    if (this.node.kind !== 'object') {
      return {
        attributes,
        diagnostics: [{
          severity: 'error',
          summary: 'Incorrect JSON value type',
          detail: 'A JSON object is required here, setting the arguments for this block.',
          subject: startRange(this.node),
        }],
      };
    }
    const diagnostics: Diagnostic[] = [];
    for (const prop of this.node.attrs) {
      if (prop.name === '//' || this.hiddenAttrs.has(prop.name)) continue;
      const existing = attributes.get(prop.name);
      if (existing) {
        diagnostics.push({
          severity: 'error',
          summary: 'Duplicate attribute definition',
          detail: `The argument ${JSON.stringify(prop.name)} was already set at ${formatRange(existing.range)}.`,
          subject: prop.nameRange,
        });
        continue;
      }
      attributes.set(prop.name, jsonAttribute(prop));
    }
    return { attributes, diagnostics };
  }

  missingItemRange(): Range {
    const n = this.node;
    if (n.kind === 'object') return n.closeRange;
    return startRange(n);
  }
}

function jsonAttribute(prop: JSONProperty): Attribute {
  return { name: prop.name, expr: jsonExpression(prop.value), range: propertyRange(prop), nameRange: prop.nameRange };
}

function unpackBlock(
  v: JSONNode,
  type: string,
  typeRange: Range,
  labelsLeft: readonly string[],
  labelsUsed: readonly string[],
  labelRanges: readonly Range[],
  out: Block[],
): Diagnostic[] {
  const [labelName, ...rest] = labelsLeft;
  if (labelName !== undefined) {
    const { attrs, diagnostics } = collectDeepAttrs(v, labelName);
    if (attrs.length === 0) {
      diagnostics.push({
        severity: 'error',
        summary: 'Missing block label',
        detail: `At least one object property is required, whose name represents the ${type} block's ${labelName}.`,
        subject: startRange(v),
      });
      return diagnostics;
    }
    for (const p of attrs) {
      diagnostics.push(...unpackBlock(p.value, type, typeRange, rest, [...labelsUsed, p.name], [...labelRanges, p.nameRange], out));
    }
    return diagnostics;
  }
  const block = (bodyNode: JSONNode, defRange: Range): Block => ({
    type, labels: labelsUsed, body: new JSONBody(bodyNode), defRange, typeRange, labelRanges,
  });
  switch (v.kind) {
    case 'null':
      return [];
    case 'object':
      out.push(block(v, v.openRange));
      return [];
    case 'array':
      // An element that is not an object is reported when its body is read.
      for (const el of v.values) out.push(block(el, v.openRange));
      return [];
    default:
      return [{
        severity: 'error',
        summary: 'Incorrect JSON value type',
        detail: `Either a JSON object or a JSON array is required, representing the contents of one or more ${JSON.stringify(type)} blocks.`,
        subject: startRange(v),
      }];
  }
}

/** The properties of an object, or of every object in an array (collectDeepAttrs). */
function collectDeepAttrs(v: JSONNode, labelName: string | undefined): { attrs: JSONProperty[]; diagnostics: Diagnostic[] } {
  const attrs: JSONProperty[] = [];
  const diagnostics: Diagnostic[] = [];
  const wrong = (n: JSONNode, detail: string): void => {
    diagnostics.push({ severity: 'error', summary: 'Incorrect JSON value type', detail, subject: startRange(n) });
  };
  switch (v.kind) {
    case 'null':
      break;
    case 'object':
      attrs.push(...v.attrs);
      break;
    case 'array':
      for (const el of v.values) {
        if (el.kind === 'object') attrs.push(...el.attrs);
        else if (labelName !== undefined) wrong(el, `A JSON object is required here, to specify ${labelName} labels for this block.`);
        else wrong(el, 'A JSON object is required here, to define arguments and child blocks.');
      }
      break;
    default:
      if (labelName !== undefined) wrong(v, `Either a JSON object or JSON array of objects is required here, to specify ${labelName} labels for this block.`);
      else wrong(v, 'Either a JSON object or JSON array of objects is required here, to define arguments and child blocks.');
  }
  return { attrs, diagnostics };
}
