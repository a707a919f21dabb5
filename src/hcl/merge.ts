/**
 * Merged bodies (hcl.MergeBodies / MergeFiles): several bodies read as one, in order.
 * An argument set in more than one of them is "Duplicate argument"; blocks are
 * concatenated. Packer merges the files of a configuration this way, and a `source`
 * block inside `build` with the top-level `source` it refers to.
 *
 * Required arguments are checked across all bodies together, so their diagnostic has
 * no source range: prefer optional arguments and a check of your own on merged bodies.
 */
import type { Attribute, AttributesResult, Block, Body, BodySchema, ContentResult, PartialContentResult } from './body.js';
import type { Diagnostic } from './diagnostic.js';
import type { Range } from './pos.js';
import { formatRange } from './pos.js';

class MergedBodies implements Body {
  constructor(readonly bodies: readonly Body[]) {}

  content(schema: BodySchema): ContentResult {
    const { content, diagnostics } = this.merged(schema, false);
    return { content, diagnostics };
  }

  partialContent(schema: BodySchema): PartialContentResult {
    return this.merged(schema, true);
  }

  justAttributes(): AttributesResult {
    const attributes = new Map<string, Attribute>();
    const diagnostics: Diagnostic[] = [];
    for (const body of this.bodies) {
      const r = body.justAttributes();
      diagnostics.push(...r.diagnostics);
      addAttributes(attributes, r.attributes, diagnostics);
    }
    return { attributes, diagnostics };
  }

  missingItemRange(): Range {
    const first = this.bodies[0];
    if (first === undefined) return { filename: '<empty>', start: { line: 0, column: 0, byte: 0 }, end: { line: 0, column: 0, byte: 0 } };
    return first.missingItemRange();
  }

  private merged(schema: BodySchema, partial: boolean): PartialContentResult {
    // Any one body may supply a required argument, so each is read with none required.
    const relaxed: BodySchema = { attributes: (schema.attributes ?? []).map((a) => ({ name: a.name, required: false })), blocks: schema.blocks ?? [] };
    const attributes = new Map<string, Attribute>();
    const blocks: Block[] = [];
    const diagnostics: Diagnostic[] = [];
    const leftovers: Body[] = [];
    for (const body of this.bodies) {
      const r = partial ? body.partialContent(relaxed) : { ...body.content(relaxed), remain: undefined };
      if (r.remain) leftovers.push(r.remain);
      diagnostics.push(...r.diagnostics);
      addAttributes(attributes, r.content.attributes, diagnostics);
      blocks.push(...r.content.blocks);
    }
    for (const a of schema.attributes ?? []) {
      if (a.required && !attributes.has(a.name)) {
        diagnostics.push({ severity: 'error', summary: 'Missing required argument', detail: `The argument ${JSON.stringify(a.name)} is required, but was not set.` });
      }
    }
    return { content: { attributes, blocks, missingItemRange: this.missingItemRange() }, remain: mergeBodies(leftovers), diagnostics };
  }
}

function addAttributes(into: Map<string, Attribute>, from: ReadonlyMap<string, Attribute>, diagnostics: Diagnostic[]): void {
  for (const [name, attr] of from) {
    const existing = into.get(name);
    if (existing) {
      diagnostics.push({
        severity: 'error',
        summary: 'Duplicate argument',
        detail: `Argument ${JSON.stringify(name)} was already set at ${formatRange(existing.nameRange)}`,
        subject: attr.nameRange,
      });
      continue;
    }
    into.set(name, attr);
  }
}

const EMPTY = new MergedBodies([]);

/** A body with no content, for where a body is required but there is none. */
export function emptyBody(): Body {
  return EMPTY;
}

/** The bodies read as one, in order; merged bodies among them are flattened. */
export function mergeBodies(bodies: readonly Body[]): Body {
  const flat: Body[] = [];
  for (const b of bodies) {
    if (b instanceof MergedBodies) flat.push(...b.bodies);
    else flat.push(b);
  }
  return flat.length === 0 ? EMPTY : new MergedBodies(flat);
}
