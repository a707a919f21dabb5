/**
 * A plugin's ConfigSpec as protobuf (SDK ≥0.6 started with `--protobuf`): the SDK's
 * `hcl_spec.proto` `Spec` message (object, attr, block, block list; cty primitive,
 * list and map types). The schema is eight small messages, so this reads the wire
 * format directly rather than through generated code.
 */
import * as cty from '../../hcl/cty/index.js';
import type { Spec } from '../../hcl/dec/spec.js';

type Field = { no: number; wire: number; varint?: bigint; bytes?: Uint8Array };

function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('protobuf: truncated varint');
      const b = buf[pos++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, varint: varint() });
    else if (wire === 2) {
      const n = Number(varint());
      if (pos + n > buf.length) throw new Error('protobuf: truncated field');
      out.push({ no, wire, bytes: buf.subarray(pos, pos + n) });
      pos += n;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`protobuf: unsupported wire type ${wire}`);
  }
  return out;
}

const text = (b: Uint8Array | undefined): string => (b ? Buffer.from(b).toString('utf8') : '');

function ctyType(buf: Uint8Array): cty.Type {
  for (const f of fields(buf)) {
    if (!f.bytes) continue;
    if (f.no === 1) {
      const name = text(fields(f.bytes).find((x) => x.no === 1)?.bytes);
      if (name === 'cty.String') return cty.stringType;
      if (name === 'cty.Number') return cty.numberType;
      if (name === 'cty.Bool') return cty.boolType;
      throw new Error(`protobuf spec: unknown cty primitive ${JSON.stringify(name)}`);
    }
    const elem = fields(f.bytes).find((x) => x.no === 1)?.bytes;
    const et = elem ? ctyType(elem) : cty.dynamicType;
    if (f.no === 2) return cty.listOf(et);
    if (f.no === 3) return cty.mapOf(et);
  }
  return cty.dynamicType;
}

function spec(buf: Uint8Array): Spec {
  for (const f of fields(buf)) {
    if (!f.bytes) continue;
    const inner = fields(f.bytes);
    const str = (no: number): string => text(inner.find((x) => x.no === no)?.bytes);
    const flag = (no: number): boolean => (inner.find((x) => x.no === no)?.varint ?? 0n) !== 0n;
    const sub = (no: number): Spec => {
      const b = inner.find((x) => x.no === no)?.bytes;
      return b ? spec(b) : { kind: 'object', attributes: {} };
    };
    switch (f.no) {
      case 1: {
        const attributes = new Map<string, Spec>();
        for (const entry of inner) {
          if (entry.no !== 1 || !entry.bytes) continue;
          const kv = fields(entry.bytes);
          const value = kv.find((x) => x.no === 2)?.bytes;
          attributes.set(text(kv.find((x) => x.no === 1)?.bytes), value ? spec(value) : { kind: 'object', attributes: {} });
        }
        return { kind: 'object', attributes };
      }
      case 2: {
        const t = inner.find((x) => x.no === 2)?.bytes;
        return { kind: 'attr', name: str(1), type: t ? ctyType(t) : cty.dynamicType, required: flag(3) };
      }
      case 3:
        return { kind: 'block', typeName: str(1), required: flag(2), nested: sub(3) };
      case 4:
        return { kind: 'block-list', typeName: str(1), nested: sub(2) };
    }
  }
  throw new Error('protobuf spec: empty Spec message');
}

/** Decodes the bytes of a protobuf `Spec` (ConfigSpec or OutputSpec) into kiln's spec. */
export function specFromProtobuf(bytes: Uint8Array): Spec {
  return spec(bytes);
}
