/**
 * What a spec implies without a body: the schema a body is read with (hcldec's
 * ImpliedSchema), the result type (ImpliedType), the label names of a block's nested
 * spec, and the child block types (ChildBlockTypes).
 */
import * as cty from '../cty/index.js';
import type { AttributeSchema, BlockHeaderSchema, BodySchema } from '../body.js';
import { ArgError, CallError } from '../functions/function.js';
import type { Spec } from './spec.js';
import { objectSpecEntries, sameBodyChildren } from './spec.js';

function attrSchemata(s: Spec): AttributeSchema[] {
  switch (s.kind) {
    case 'attr':
      return [{ name: s.name, required: s.required ?? false }];
    case 'default':
      return [...attrSchemata(s.primary), ...attrSchemata(s.default)];
    default:
      return [];
  }
}

function blockHeaderSchemata(s: Spec): BlockHeaderSchema[] {
  switch (s.kind) {
    case 'block':
    case 'block-list':
    case 'block-tuple':
    case 'block-set':
      return [{ type: s.typeName, labelNames: findLabelSpecs(s.nested) }];
    case 'block-map':
    case 'block-object':
      return [{ type: s.typeName, labelNames: [...s.labelNames, ...findLabelSpecs(s.nested)] }];
    case 'block-attrs':
      return [{ type: s.typeName, labelNames: [] }];
    case 'default':
      return blockHeaderSchemata(s.primary);
    default:
      return [];
  }
}

/** The nested spec of a block spec (for `default`, of its primary); undefined for the rest. */
export function nestedSpec(s: Spec): Spec | undefined {
  switch (s.kind) {
    case 'block':
    case 'block-list':
    case 'block-tuple':
    case 'block-set':
    case 'block-map':
    case 'block-object':
      return s.nested;
    case 'default':
      return nestedSpec(s.primary);
    default:
      return undefined;
  }
}

/** The schema to read a body with for `spec` (hcldec.ImpliedSchema). */
export function impliedSchema(spec: Spec): BodySchema {
  const attributes: AttributeSchema[] = [];
  const blocks: BlockHeaderSchema[] = [];
  const visit = (s: Spec): void => {
    attributes.push(...attrSchemata(s));
    blocks.push(...blockHeaderSchemata(s));
    for (const c of sameBodyChildren(s)) visit(c);
  };
  visit(spec);
  return { attributes, blocks };
}

/** The label names that `block-label` specs in `spec` ask for; gaps become `missing00`... */
export function findLabelSpecs(spec: Spec): string[] {
  const names = new Map<number, string>();
  let max = -1;
  const visit = (s: Spec): void => {
    if (s.kind === 'block-label') {
      max = Math.max(max, s.index);
      names.set(s.index, s.name);
    }
    for (const c of sameBodyChildren(s)) visit(c);
  };
  visit(spec);
  const out: string[] = [];
  for (let i = 0; i <= max; i++) out.push(names.get(i) || `missing${String(i).padStart(2, '0')}`);
  return out;
}

/** The type of value `spec` decodes to (hcldec.ImpliedType). */
export function impliedType(spec: Spec): cty.Type {
  switch (spec.kind) {
    case 'object': {
      const entries = objectSpecEntries(spec);
      return entries.length === 0 ? cty.emptyObjectType : cty.objectOf(new Map(entries.map(([k, c]) => [k, impliedType(c)])));
    }
    case 'tuple':
      return spec.elements.length === 0 ? cty.emptyTupleType : cty.tupleOf(spec.elements.map(impliedType));
    case 'attr':
      return spec.type;
    case 'literal':
      return spec.value.type;
    case 'expr':
      return cty.dynamicType;
    case 'block':
      return impliedType(spec.nested);
    case 'block-list':
      return cty.listOf(impliedType(spec.nested));
    case 'block-tuple':
      return cty.dynamicType;
    case 'block-set':
      return cty.setOf(impliedType(spec.nested));
    case 'block-map': {
      let t = impliedType(spec.nested);
      for (let i = 0; i < spec.labelNames.length; i++) t = cty.mapOf(t);
      return t;
    }
    case 'block-object':
      return cty.dynamicType;
    case 'block-attrs':
      return cty.mapOf(spec.elementType);
    case 'block-label':
      return cty.stringType;
    case 'default':
      return impliedType(spec.primary);
    case 'transform-expr': {
      const child = spec.ctx.newChild({ variables: { [spec.varName]: cty.unknownVal(impliedType(spec.wrapped)) } });
      return spec.expr.value(child).value.type;
    }
    case 'transform-func': {
      const t = spec.func.returnType([impliedType(spec.wrapped)]);
      return t instanceof ArgError || t instanceof CallError ? cty.dynamicType : t;
    }
    case 'validate':
      return impliedType(spec.wrapped);
  }
}

/** Every block type the spec reads, with the spec for that block's body (hcldec.ChildBlockTypes). */
export function childBlockTypes(spec: Spec): Map<string, Spec> {
  const out = new Map<string, Spec>();
  const visit = (s: Spec): void => {
    const nested = nestedSpec(s);
    if (nested !== undefined) for (const b of blockHeaderSchemata(s)) out.set(b.type, nested);
    for (const c of sameBodyChildren(s)) visit(c);
  };
  visit(spec);
  return out;
}
