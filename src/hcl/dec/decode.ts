/**
 * `decode`: a body read through a spec into one cty value, with hcldec's semantics and
 * messages (hcldec.Decode, PartialDecode, SourceRange). Never throws: a spec that
 * cannot apply (a block label spec outside a block, a dynamic type in a block map) is
 * reported as an error diagnostic.
 */
import * as cty from '../cty/index.js';
import type { Block, Body, BodyContent } from '../body.js';
import type { Diagnostic } from '../diagnostic.js';
import { hasErrors } from '../diagnostic.js';
import type { EvalContext } from '../eval-context.js';
import type { Range } from '../pos.js';
import { formatRange } from '../pos.js';
import { decodeBlockSpec } from './decode-blocks.js';
import { impliedSchema, impliedType } from './schema.js';
import type { Spec } from './spec.js';
import { objectSpecEntries } from './spec.js';

/** A block label as the nested spec of a block sees it. */
export interface BlockLabel {
  readonly value: string;
  readonly range: Range;
}

export interface DecodeResult {
  readonly value: cty.Value;
  readonly diagnostics: Diagnostic[];
}

/** Decodes `body` with `spec`; anything in the body the spec does not read is an error. */
export function decode(body: Body, spec: Spec, ctx?: EvalContext): DecodeResult {
  const r = decodeBody(body, [], ctx, spec, false);
  return { value: r.value, diagnostics: r.diagnostics };
}

/** As `decode`, leaving what the spec does not read in `remain` (hcldec.PartialDecode). */
export function partialDecode(body: Body, spec: Spec, ctx?: EvalContext): DecodeResult & { readonly remain: Body } {
  const r = decodeBody(body, [], ctx, spec, true);
  return { value: r.value, diagnostics: r.diagnostics, remain: r.remain ?? body };
}

/** The source range most closely matching what `spec` reads from `body` (hcldec.SourceRange). */
export function sourceRange(body: Body, spec: Spec): Range {
  return bodySourceRange(body, [], spec);
}

/** @internal shared with decode-blocks.ts */
export function decodeBody(
  body: Body,
  labels: readonly BlockLabel[],
  ctx: EvalContext | undefined,
  spec: Spec,
  partial: boolean,
): DecodeResult & { readonly remain?: Body } {
  const schema = impliedSchema(spec);
  const read = partial ? body.partialContent(schema) : { ...body.content(schema), remain: undefined };
  const v = decodeSpec(spec, read.content, labels, ctx);
  return { value: v.value, diagnostics: [...read.diagnostics, ...v.diagnostics], ...(read.remain ? { remain: read.remain } : {}) };
}

/** @internal */
export function bodySourceRange(body: Body, labels: readonly BlockLabel[], spec: Spec): Range {
  const { content } = body.partialContent(impliedSchema(spec));
  return specSourceRange(spec, content, labels);
}

/** @internal */
export function labelsForBlock(b: Block): BlockLabel[] {
  return b.labels.map((value, i) => ({ value, range: b.labelRanges[i] ?? b.defRange }));
}

const UNKNOWN_RANGE: Range = { filename: '<unknown>', start: { line: 0, column: 0, byte: 0 }, end: { line: 0, column: 0, byte: 0 } };

function internalError(detail: string, subject: Range): DecodeResult {
  return { value: cty.dynamicVal, diagnostics: [{ severity: 'error', summary: 'Invalid decoder specification', detail, subject }] };
}

/** @internal the value of one spec over already-read content */
export function decodeSpec(spec: Spec, content: BodyContent, labels: readonly BlockLabel[], ctx: EvalContext | undefined): DecodeResult {
  switch (spec.kind) {
    case 'object': {
      const diagnostics: Diagnostic[] = [];
      const vals = new Map<string, cty.Value>();
      for (const [k, s] of objectSpecEntries(spec)) {
        const r = decodeSpec(s, content, labels, ctx);
        vals.set(k, r.value);
        diagnostics.push(...r.diagnostics);
      }
      return { value: cty.objectVal(vals), diagnostics };
    }
    case 'tuple': {
      const diagnostics: Diagnostic[] = [];
      const vals = spec.elements.map((s) => {
        const r = decodeSpec(s, content, labels, ctx);
        diagnostics.push(...r.diagnostics);
        return r.value;
      });
      return { value: cty.tupleVal(vals), diagnostics };
    }
    case 'attr':
      return decodeAttr(spec, content, ctx);
    case 'literal':
      return { value: spec.value, diagnostics: [] };
    case 'expr':
      return spec.expr.value(ctx);
    case 'block-label': {
      const l = labels[spec.index];
      if (l === undefined) return internalError(`The label ${JSON.stringify(spec.name)} is read outside a block with that many labels.`, content.missingItemRange);
      return { value: cty.stringVal(l.value), diagnostics: [] };
    }
    case 'default': {
      const r = decodeSpec(spec.primary, content, labels, ctx);
      if (!r.value.isNull()) return r;
      const d = decodeSpec(spec.default, content, labels, ctx);
      return { value: d.value, diagnostics: [...r.diagnostics, ...d.diagnostics] };
    }
    case 'transform-expr':
    case 'transform-func':
    case 'validate':
      return decodeWrapper(spec, content, labels, ctx);
    case 'block':
    case 'block-list':
    case 'block-tuple':
    case 'block-set':
    case 'block-map':
    case 'block-object':
    case 'block-attrs':
      return decodeBlockSpec(spec, content, ctx);
  }
}

function decodeAttr(spec: Extract<Spec, { kind: 'attr' }>, content: BodyContent, ctx: EvalContext | undefined): DecodeResult {
  const attr = content.attributes.get(spec.name);
  if (attr === undefined) return { value: cty.nullVal(cty.withoutOptionalAttributesDeep(spec.type)), diagnostics: [] };
  const r = attr.expr.value(ctx);
  const converted = cty.convertValue(r.value, spec.type);
  if (!(converted instanceof cty.PathError)) return { value: converted, diagnostics: r.diagnostics };
  const diag: Diagnostic = {
    severity: 'error',
    summary: 'Incorrect attribute value type',
    detail: `Inappropriate value for attribute ${JSON.stringify(spec.name)}: ${converted.message}.`,
    subject: attr.expr.range,
    context: { filename: attr.nameRange.filename, start: attr.nameRange.start, end: attr.expr.range.end },
    expression: attr.expr,
    evalContext: ctx,
  };
  return { value: cty.unknownVal(cty.withoutOptionalAttributesDeep(spec.type)), diagnostics: [...r.diagnostics, diag] };
}

function decodeWrapper(
  spec: Extract<Spec, { kind: 'transform-expr' | 'transform-func' | 'validate' }>,
  content: BodyContent,
  labels: readonly BlockLabel[],
  ctx: EvalContext | undefined,
): DecodeResult {
  const wrapped = decodeSpec(spec.wrapped, content, labels, ctx);
  const diagnostics = wrapped.diagnostics;
  if (hasErrors(diagnostics)) return { value: cty.unknownVal(cty.withoutOptionalAttributesDeep(impliedType(spec))), diagnostics };
  switch (spec.kind) {
    case 'transform-expr': {
      const child = spec.ctx.newChild({ variables: { [spec.varName]: wrapped.value } });
      const r = spec.expr.value(child);
      return { value: r.value, diagnostics: [...diagnostics, ...r.diagnostics] };
    }
    case 'transform-func': {
      const r = spec.func.call([wrapped.value]);
      if (r instanceof cty.Value) return { value: r, diagnostics };
      diagnostics.push({
        severity: 'error',
        summary: 'Transform function failed',
        detail: `Decoder transform returned an error: ${r.message}`,
        subject: specSourceRange(spec, content, labels),
      });
      return { value: cty.unknownVal(cty.withoutOptionalAttributesDeep(impliedType(spec))), diagnostics };
    }
    case 'validate': {
      const subject = specSourceRange(spec, content, labels);
      for (const d of spec.func(wrapped.value)) diagnostics.push(d.subject ? d : { ...d, subject });
      return { value: wrapped.value, diagnostics };
    }
  }
}

function firstBlock(content: BodyContent, type: string): Block | undefined {
  return content.blocks.find((b) => b.type === type);
}

/** @internal where a spec's value comes from in already-read content */
export function specSourceRange(spec: Spec, content: BodyContent, labels: readonly BlockLabel[]): Range {
  switch (spec.kind) {
    case 'object':
    case 'tuple':
      return content.missingItemRange;
    case 'attr':
      return content.attributes.get(spec.name)?.expr.range ?? content.missingItemRange;
    case 'literal':
      return UNKNOWN_RANGE;
    case 'expr':
      return spec.expr.range;
    case 'block-label':
      return labels[spec.index]?.range ?? content.missingItemRange;
    case 'default':
      return specSourceRange(spec.primary, content, labels);
    case 'transform-expr':
    case 'transform-func':
    case 'validate':
      return specSourceRange(spec.wrapped, content, labels);
    case 'block-attrs':
      return firstBlock(content, spec.typeName)?.defRange ?? content.missingItemRange;
    case 'block':
    case 'block-list':
    case 'block-tuple':
    case 'block-set':
    case 'block-map':
    case 'block-object': {
      const b = firstBlock(content, spec.typeName);
      if (b === undefined) return content.missingItemRange;
      const childLabels = labelsForBlock(b);
      const rest = spec.kind === 'block-map' || spec.kind === 'block-object' ? childLabels.slice(spec.labelNames.length) : childLabels;
      return bodySourceRange(b.body, rest, spec.nested);
    }
  }
}

/** "Only one block of type ... is allowed" (BlockSpec, BlockAttrsSpec). */
export function duplicateBlock(type: string, previous: Block, subject: Block): Diagnostic {
  return {
    severity: 'error',
    summary: `Duplicate ${type} block`,
    detail: `Only one block of type ${JSON.stringify(type)} is allowed. Previous definition was at ${formatRange(previous.defRange)}.`,
    subject: subject.defRange,
  };
}
