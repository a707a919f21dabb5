/**
 * The block specs of hcldec: one block, sequences (list, tuple, set) with bounds,
 * label-keyed maps and objects, and a block's attributes as a map. A body that knows
 * it is unknown (a `dynamic` block over an unknown collection) makes the whole result
 * unknown.
 */
import * as cty from '../cty/index.js';
import type { Block, BodyContent } from '../body.js';
import type { Diagnostic } from '../diagnostic.js';
import type { EvalContext } from '../eval-context.js';
import type { Range } from '../pos.js';
import { goQuote } from '../diagnostic-vars.js';
import type { DecodeResult } from './decode.js';
import { bodySourceRange, decodeBody, duplicateBlock, labelsForBlock } from './decode.js';
import { impliedType } from './schema.js';
import type { BlockAttrsSpec, BlockMapSpec, BlockSequenceSpec, BlockSpec } from './spec.js';

type AnyBlockSpec = BlockSpec | BlockSequenceSpec | BlockMapSpec | BlockAttrsSpec;

function unknownOf(spec: AnyBlockSpec): cty.Value {
  return cty.unknownVal(cty.withoutOptionalAttributesDeep(spec.kind === 'block-attrs' ? cty.mapOf(spec.elementType) : impliedType(spec)));
}

/** @internal dispatched from decodeSpec */
export function decodeBlockSpec(spec: AnyBlockSpec, content: BodyContent, ctx: EvalContext | undefined): DecodeResult {
  switch (spec.kind) {
    case 'block':
      return decodeSingle(spec, content, ctx);
    case 'block-list':
    case 'block-tuple':
    case 'block-set':
      return decodeSequence(spec, content, ctx);
    case 'block-map':
    case 'block-object':
      return decodeMap(spec, content, ctx);
    case 'block-attrs':
      return decodeAttrs(spec, content, ctx);
  }
}

function missingBlock(type: string, content: BodyContent): Diagnostic {
  return { severity: 'error', summary: `Missing ${type} block`, detail: `A block of type ${JSON.stringify(type)} is required here.`, subject: content.missingItemRange };
}

function decodeSingle(spec: BlockSpec, content: BodyContent, ctx: EvalContext | undefined): DecodeResult {
  const diagnostics: Diagnostic[] = [];
  let child: Block | undefined;
  for (const b of content.blocks) {
    if (b.type !== spec.typeName) continue;
    if (child !== undefined) {
      diagnostics.push(duplicateBlock(spec.typeName, child, b));
      break;
    }
    child = b;
  }
  if (child === undefined) {
    if (spec.required) diagnostics.push(missingBlock(spec.typeName, content));
    return { value: cty.nullVal(cty.withoutOptionalAttributesDeep(impliedType(spec.nested))), diagnostics };
  }
  const r = decodeBody(child.body, labelsForBlock(child), ctx, spec.nested, false);
  return { value: r.value, diagnostics: [...diagnostics, ...r.diagnostics] };
}

function decodeSequence(spec: BlockSequenceSpec, content: BodyContent, ctx: EvalContext | undefined): DecodeResult {
  const diagnostics: Diagnostic[] = [];
  const elems: cty.Value[] = [];
  const ranges: Range[] = [];
  for (const b of content.blocks) {
    if (b.type !== spec.typeName) continue;
    const r = decodeBody(b.body, labelsForBlock(b), ctx, spec.nested, false);
    diagnostics.push(...r.diagnostics);
    if (b.body.isUnknown?.()) return { value: unknownOf(spec), diagnostics };
    elems.push(r.value);
    ranges.push(bodySourceRange(b.body, labelsForBlock(b), spec.nested));
  }
  const min = spec.minItems ?? 0;
  const max = spec.maxItems ?? 0;
  if (elems.length < min) {
    diagnostics.push({
      severity: 'error',
      summary: `Insufficient ${spec.typeName} blocks`,
      detail: `At least ${min} ${JSON.stringify(spec.typeName)} blocks are required.`,
      subject: content.missingItemRange,
    });
  } else if (max > 0 && elems.length > max) {
    diagnostics.push({
      severity: 'error',
      summary: `Too many ${spec.typeName} blocks`,
      detail: `No more than ${max} ${JSON.stringify(spec.typeName)} blocks are allowed`,
      subject: ranges[max]!,
    });
  }
  if (spec.kind === 'block-tuple') return { value: elems.length === 0 ? cty.emptyTupleVal : cty.tupleVal(elems), diagnostics };
  if (elems.length === 0) {
    const ety = impliedType(spec.nested);
    return { value: spec.kind === 'block-list' ? cty.listValEmpty(ety) : cty.setValEmpty(ety), diagnostics };
  }
  const unified = cty.unifyUnsafe(elems.map((v) => v.type));
  const inconsistent = `Unconsistent argument types in ${spec.typeName} blocks`;
  if (unified.type === undefined) {
    diagnostics.push({ severity: 'error', summary: inconsistent, detail: 'Corresponding attributes in all blocks of this type must be the same.', subject: ranges[0]! });
    return { value: cty.dynamicVal, diagnostics };
  }
  for (let i = 0; i < elems.length; i++) {
    const conv = unified.conversions[i];
    if (conv === undefined) continue;
    const v = conv(elems[i]!);
    if (v instanceof cty.PathError) {
      diagnostics.push({ severity: 'error', summary: inconsistent, detail: `Block with index ${i} has inconsistent argument types: ${v.message}.`, subject: ranges[i]! });
      return { value: cty.dynamicVal, diagnostics };
    }
    elems[i] = v;
  }
  return { value: spec.kind === 'block-list' ? cty.listVal(elems) : cty.setVal(elems), diagnostics };
}

interface Tree {
  readonly children: Map<string, Tree | cty.Value>;
}

function decodeMap(spec: BlockMapSpec, content: BodyContent, ctx: EvalContext | undefined): DecodeResult {
  const diagnostics: Diagnostic[] = [];
  const n = spec.labelNames.length;
  if (spec.kind === 'block-map' && cty.hasDynamicTypes(impliedType(spec))) {
    return {
      value: cty.dynamicVal,
      diagnostics: [{ severity: 'error', summary: 'Invalid decoder specification', detail: `The nested specification of "${spec.typeName}" blocks has attributes of dynamic type, which a block map cannot hold.`, subject: content.missingItemRange }],
    };
  }
  const root: Tree = { children: new Map() };
  for (const b of content.blocks) {
    if (b.type !== spec.typeName) continue;
    if (b.body.isUnknown?.()) return { value: unknownOf(spec), diagnostics };
    const r = decodeBody(b.body, labelsForBlock(b).slice(n), ctx, spec.nested, false);
    let target = root;
    for (const key of b.labels.slice(0, n - 1)) {
      let next = target.children.get(key);
      if (next === undefined || next instanceof cty.Value) {
        next = { children: new Map() };
        target.children.set(key, next);
      }
      target = next;
    }
    diagnostics.push(...r.diagnostics);
    const key = b.labels[n - 1] ?? '';
    if (target.children.has(key)) {
      diagnostics.push({
        severity: 'error',
        summary: `Duplicate ${spec.typeName} block`,
        detail: `A block for ${spec.typeName}${b.labels.map((l) => ` ${goQuote(l)}`).join('')} was already defined. The ${spec.typeName} labels must be unique.`,
        subject: b.defRange,
      });
      continue;
    }
    target.children.set(key, r.value);
  }
  if (root.children.size === 0) {
    return { value: spec.kind === 'block-map' ? cty.mapValEmpty(impliedType(spec.nested)) : cty.emptyObjectVal, diagnostics };
  }
  const build = (t: Tree): cty.Value => {
    const vals = new Map<string, cty.Value>();
    for (const [k, v] of t.children) vals.set(k, v instanceof cty.Value ? v : build(v));
    return spec.kind === 'block-map' ? cty.mapVal(vals) : cty.objectVal(vals);
  };
  return { value: build(root), diagnostics };
}

function decodeAttrs(spec: BlockAttrsSpec, content: BodyContent, ctx: EvalContext | undefined): DecodeResult {
  const diagnostics: Diagnostic[] = [];
  const matching = content.blocks.filter((b) => b.type === spec.typeName);
  const [block, other] = matching;
  if (block === undefined) {
    if (spec.required) diagnostics.push(missingBlock(spec.typeName, content));
    return { value: cty.nullVal(cty.withoutOptionalAttributesDeep(cty.mapOf(spec.elementType))), diagnostics };
  }
  if (other !== undefined) diagnostics.push(duplicateBlock(spec.typeName, block, other));
  const attrs = block.body.justAttributes();
  diagnostics.push(...attrs.diagnostics);
  if (attrs.attributes.size === 0) return { value: cty.mapValEmpty(spec.elementType), diagnostics };
  const vals = new Map<string, cty.Value>();
  for (const [name, attr] of attrs.attributes) {
    const r = attr.expr.value(ctx);
    diagnostics.push(...r.diagnostics);
    const v = cty.convertValue(r.value, spec.elementType);
    if (v instanceof cty.PathError) {
      diagnostics.push({
        severity: 'error',
        summary: 'Invalid attribute value',
        detail: `Invalid value for attribute of ${JSON.stringify(spec.typeName)} block: ${v.message}.`,
        subject: attr.expr.range,
        context: { filename: attr.nameRange.filename, start: attr.nameRange.start, end: attr.expr.range.end },
        expression: attr.expr,
        evalContext: ctx,
      });
      vals.set(name, cty.unknownVal(spec.elementType));
      continue;
    }
    vals.set(name, v);
  }
  return { value: cty.mapVal(vals), diagnostics };
}
