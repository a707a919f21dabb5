/**
 * A plugin's ConfigSpec in gob (Packer ≤1.10, SDK <0.6 plugins, no `--protobuf`): a
 * gob `hcldec.ObjectSpec` whose cty types are nested gob streams of go-cty's
 * `gobType{Version, Impl}`. Turned into kiln's hcldec specs and cty types.
 */
import * as cty from '../../hcl/cty/index.js';
import type { Spec } from '../../hcl/dec/spec.js';
import { decodeGob, GobEncoded, type GobInterface } from './gob.js';

function isInterface(v: unknown): v is GobInterface {
  return typeof v === 'object' && v !== null && 'type' in v && 'value' in v;
}

function shortName(typeName: string): string {
  return typeName.slice(typeName.lastIndexOf('.') + 1);
}

/** A cty.Type from its gob bytes. */
export function ctyTypeFromGob(bytes: Uint8Array): cty.Type {
  const [gt] = decodeGob(bytes) as [Record<string, unknown> | undefined];
  const impl = gt?.['Impl'];
  if (!isInterface(impl)) throw new Error('gob cty.Type without an implementation');
  const v = (impl.value ?? {}) as Record<string, unknown>;
  const nested = (x: unknown): cty.Type => {
    if (!(x instanceof GobEncoded)) throw new Error(`gob cty type ${impl.type}: missing element type`);
    return ctyTypeFromGob(x.bytes);
  };
  switch (shortName(impl.type)) {
    case 'primitiveType': {
      const kind = String.fromCharCode(Number(v['Kind'] ?? 0));
      if (kind === 'S') return cty.stringType;
      if (kind === 'N') return cty.numberType;
      if (kind === 'B') return cty.boolType;
      throw new Error(`unknown cty primitive kind ${JSON.stringify(kind)}`);
    }
    case 'pseudoTypeDynamic':
      return cty.dynamicType;
    case 'typeList':
      return cty.listOf(nested(v['ElementTypeT']));
    case 'typeSet':
      return cty.setOf(nested(v['ElementTypeT']));
    case 'typeMap':
      return cty.mapOf(nested(v['ElementTypeT']));
    case 'typeTuple':
      return cty.tupleOf(((v['ElemTypes'] as unknown[] | undefined) ?? []).map(nested));
    case 'typeObject': {
      const attrs: Record<string, cty.Type> = {};
      const m = v['AttrTypes'];
      if (m instanceof Map) for (const [k, t] of m) attrs[String(k)] = nested(t);
      return cty.objectOf(attrs);
    }
    default:
      throw new Error(`unsupported cty type in gob: ${impl.type}`);
  }
}

function specFrom(iface: unknown): Spec {
  if (!isInterface(iface)) throw new Error('gob spec: expected a hcldec.Spec');
  const v = iface.value;
  const name = shortName(iface.type);
  if (name === 'ObjectSpec') return objectSpecFrom(v);
  const o = (v ?? {}) as Record<string, unknown>;
  const str = (k: string): string => String(o[k] ?? '');
  const nested = (): Spec => (o['Nested'] == null ? { kind: 'object', attributes: {} } : specFrom(o['Nested']));
  switch (name) {
    case 'AttrSpec':
      return { kind: 'attr', name: str('Name'), type: typeOf(o['Type']), required: o['Required'] === true };
    case 'BlockSpec':
      return { kind: 'block', typeName: str('TypeName'), nested: nested(), required: o['Required'] === true };
    case 'BlockListSpec':
    case 'BlockSetSpec':
    case 'BlockTupleSpec':
      return {
        kind: name === 'BlockListSpec' ? 'block-list' : name === 'BlockSetSpec' ? 'block-set' : 'block-tuple',
        typeName: str('TypeName'),
        nested: nested(),
        minItems: Number(o['MinItems'] ?? 0),
        maxItems: Number(o['MaxItems'] ?? 0),
      };
    case 'BlockMapSpec':
    case 'BlockObjectSpec':
      return {
        kind: name === 'BlockMapSpec' ? 'block-map' : 'block-object',
        typeName: str('TypeName'),
        labelNames: ((o['LabelNames'] as unknown[] | undefined) ?? []).map(String),
        nested: nested(),
      };
    case 'BlockAttrsSpec':
      return { kind: 'block-attrs', typeName: str('TypeName'), elementType: typeOf(o['ElementType']), required: o['Required'] === true };
    case 'DefaultSpec':
      return { kind: 'default', primary: specFrom(o['Primary']), default: specFrom(o['Default']) };
    case 'TupleSpec':
      return { kind: 'tuple', elements: ((v as unknown[] | undefined) ?? []).map(specFrom) };
    default:
      throw new Error(`unsupported hcldec spec in gob: ${iface.type}`);
  }
}

function typeOf(x: unknown): cty.Type {
  return x instanceof GobEncoded ? ctyTypeFromGob(x.bytes) : cty.dynamicType;
}

function objectSpecFrom(v: unknown): Spec {
  const attributes = new Map<string, Spec>();
  if (v instanceof Map) for (const [k, s] of v) attributes.set(String(k), specFrom(s));
  return { kind: 'object', attributes };
}

/** Decodes a gob `hcldec.ObjectSpec` (a ConfigSpec or OutputSpec) into kiln's spec. */
export function specFromGob(bytes: Uint8Array): Spec {
  const [v] = decodeGob(bytes);
  return objectSpecFrom(v);
}
