/**
 * The body of a block generated from an unknown `for_each` (ext/dynblock's
 * unknownBody): it reads like its `content` template, but every attribute is an
 * unknown value and `isUnknown()` tells decoders to make the whole result unknown.
 */
import * as cty from '../cty/index.js';
import type { Attribute, AttributesResult, Body, BodyContent, BodySchema, ContentResult, PartialContentResult } from '../body.js';
import { staticExpr } from '../expression.js';
import type { Range } from '../pos.js';

export class UnknownBody implements Body {
  constructor(
    readonly template: Body,
    readonly marks: cty.Marks | undefined,
  ) {}

  isUnknown(): boolean {
    return true;
  }

  content(schema: BodySchema): ContentResult {
    const r = this.template.content(schema);
    return { content: this.fixContent(r.content), diagnostics: r.diagnostics };
  }

  partialContent(schema: BodySchema): PartialContentResult {
    const r = this.template.partialContent(schema);
    return { content: this.fixContent(r.content), remain: new UnknownBody(r.remain, this.marks), diagnostics: r.diagnostics };
  }

  justAttributes(): AttributesResult {
    const r = this.template.justAttributes();
    return { attributes: this.fixAttrs(r.attributes), diagnostics: r.diagnostics };
  }

  missingItemRange(): Range {
    return this.template.missingItemRange();
  }

  private fixContent(c: BodyContent): BodyContent {
    return {
      attributes: this.fixAttrs(c.attributes),
      blocks: c.blocks.map((b) => ({ ...b, body: new UnknownBody(b.body, this.marks) })),
      missingItemRange: c.missingItemRange,
    };
  }

  private fixAttrs(attrs: ReadonlyMap<string, Attribute>): Map<string, Attribute> {
    const unknown = this.marks ? cty.withMarks(cty.dynamicVal, this.marks) : cty.dynamicVal;
    return new Map([...attrs].map(([k, a]) => [k, { ...a, expr: staticExpr(unknown, a.expr.range) }]));
  }
}
