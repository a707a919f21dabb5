/**
 * Go's encoding/gob, as much as Packer's protocol uses: a generic decoder for the gob
 * ConfigSpecs (`hcldec.ObjectSpec`, cty types inside as GobEncoder bytes) and gob cty
 * values, and the encoder of `CommandFinished{ExitStatus int}` (a Communicator's exit
 * status). The stream is read flat: gob writes type definitions inside interface values,
 * splitting messages, and Go's decoder skips the next length after each such definition,
 * which is the same as reading message lengths wherever they occur.
 */

/** A decoded interface value: the registered concrete type name and its value. */
export interface GobInterface {
  readonly type: string;
  readonly value: unknown;
}

/** The bytes of a value whose type implements GobEncoder (e.g. a cty.Type). */
export class GobEncoded {
  constructor(
    readonly typeName: string,
    readonly bytes: Uint8Array,
  ) {}
}

type WireType =
  | { kind: 'struct'; name: string; fields: { name: string; id: number }[] }
  | { kind: 'slice' | 'array'; name: string; elem: number }
  | { kind: 'map'; name: string; key: number; elem: number }
  | { kind: 'encoder'; name: string };

const T_BOOL = 1;
const T_INT = 2;
const T_UINT = 3;
const T_FLOAT = 4;
const T_BYTES = 5;
const T_STRING = 6;
const T_COMPLEX = 7;
const T_INTERFACE = 8;

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  byte(): number {
    if (this.pos >= this.buf.length) throw new Error('gob: unexpected end of data');
    return this.buf[this.pos++]!;
  }

  /** Unsigned ints above 2^53 lose precision; the protocol never sends them. */
  uint(): number {
    const b = this.byte();
    if (b < 0x80) return b;
    const n = 256 - b;
    if (n > 8) throw new Error('gob: bad uint length');
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.byte();
    return v;
  }

  int(): number {
    const u = this.uint();
    const half = Math.floor(u / 2);
    return u % 2 === 1 ? -half - 1 : half;
  }

  float(): number {
    let u = BigInt(0);
    const b = this.byte();
    if (b < 0x80) u = BigInt(b);
    else for (let i = 0, n = 256 - b; i < n; i++) u = (u << 8n) | BigInt(this.byte());
    // gob writes the float64 bits byte-reversed.
    let rev = 0n;
    for (let i = 0; i < 8; i++) {
      rev = (rev << 8n) | (u & 0xffn);
      u >>= 8n;
    }
    const dv = new DataView(new ArrayBuffer(8));
    dv.setBigUint64(0, rev);
    return dv.getFloat64(0);
  }

  bytes(): Uint8Array {
    const n = this.uint();
    if (this.pos + n > this.buf.length) throw new Error('gob: length exceeds data');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    return Buffer.from(this.bytes()).toString('utf8');
  }
}

/** Decodes every top-level value of a gob stream. Throws on malformed data. */
export function decodeGob(data: Uint8Array): unknown[] {
  const d = new GobDecoder(new Reader(data));
  const out: unknown[] = [];
  while (!d.r.done) out.push(d.topLevel());
  return out;
}

class GobDecoder {
  private readonly types = new Map<number, WireType>();
  constructor(readonly r: Reader) {}

  topLevel(): unknown {
    for (;;) {
      this.r.uint(); // message length
      const id = this.r.int();
      if (id < 0) {
        this.types.set(-id, this.wireType());
        continue;
      }
      return this.value(id, true);
    }
  }

  /** A value of type `id`; a non-struct value standing alone is preceded by a 0 field delta. */
  private value(id: number, standalone: boolean): unknown {
    const t = this.types.get(id);
    if (standalone && t?.kind !== 'struct') {
      if (this.r.uint() !== 0) throw new Error('gob: bad singleton');
    }
    return this.typed(id);
  }

  private typed(id: number): unknown {
    switch (id) {
      case T_BOOL:
        return this.r.uint() !== 0;
      case T_INT:
        return this.r.int();
      case T_UINT:
        return this.r.uint();
      case T_FLOAT:
        return this.r.float();
      case T_BYTES:
        return this.r.bytes();
      case T_STRING:
        return this.r.string();
      case T_COMPLEX:
        return [this.r.float(), this.r.float()];
      case T_INTERFACE:
        return this.iface();
    }
    const t = this.types.get(id);
    if (!t) throw new Error(`gob: unknown type id ${id}`);
    switch (t.kind) {
      case 'struct': {
        const obj: Record<string, unknown> = {};
        let field = -1;
        for (;;) {
          const delta = this.r.uint();
          if (delta === 0) return obj;
          field += delta;
          const f = t.fields[field];
          if (!f) throw new Error(`gob: field ${field} out of range in ${t.name}`);
          obj[f.name] = this.typed(f.id);
        }
      }
      case 'slice':
      case 'array': {
        const n = this.r.uint();
        const arr: unknown[] = [];
        for (let i = 0; i < n; i++) arr.push(this.typed(t.elem));
        return arr;
      }
      case 'map': {
        const n = this.r.uint();
        const m = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          const k = this.typed(t.key);
          m.set(k, this.typed(t.elem));
        }
        return m;
      }
      case 'encoder':
        return new GobEncoded(t.name, this.r.bytes());
    }
  }

  private iface(): GobInterface | null {
    const name = this.r.string();
    if (name === '') return null;
    let id: number;
    for (;;) {
      id = this.r.int();
      if (id >= 0) break;
      this.types.set(-id, this.wireType());
      this.r.uint(); // the length of the message that continues the value
    }
    this.r.uint(); // byte count of the value
    return { type: name, value: this.value(id, true) };
  }

  /** gob's wireType struct, read by its fixed shape. */
  private wireType(): WireType {
    let result: WireType | undefined;
    let field = -1;
    for (;;) {
      const delta = this.r.uint();
      if (delta === 0) break;
      field += delta;
      const parts = this.fixedStruct(field === 2 ? 'struct' : 'plain');
      const name = String(parts.common?.name ?? '');
      switch (field) {
        case 0:
          result = { kind: 'array', name, elem: parts.ints[0] ?? 0 };
          break;
        case 1:
          result = { kind: 'slice', name, elem: parts.ints[0] ?? 0 };
          break;
        case 2:
          result = { kind: 'struct', name, fields: parts.fields };
          break;
        case 3:
          result = { kind: 'map', name, key: parts.ints[0] ?? 0, elem: parts.ints[1] ?? 0 };
          break;
        default:
          result = { kind: 'encoder', name };
      }
    }
    if (!result) throw new Error('gob: empty type definition');
    return result;
  }

  /** arrayType/sliceType/mapType/gobEncoderType: CommonType then ints; structType: CommonType then fields. */
  private fixedStruct(shape: 'struct' | 'plain'): { common?: { name: string; id: number }; ints: number[]; fields: { name: string; id: number }[] } {
    const out: { common?: { name: string; id: number }; ints: number[]; fields: { name: string; id: number }[] } = { ints: [], fields: [] };
    let field = -1;
    for (;;) {
      const delta = this.r.uint();
      if (delta === 0) return out;
      field += delta;
      if (field === 0) out.common = this.nameAndId();
      else if (shape === 'struct') {
        const n = this.r.uint();
        for (let i = 0; i < n; i++) out.fields.push(this.nameAndId());
      } else out.ints[field - 1] = this.r.int();
    }
  }

  private nameAndId(): { name: string; id: number } {
    const v = { name: '', id: 0 };
    let field = -1;
    for (;;) {
      const delta = this.r.uint();
      if (delta === 0) return v;
      field += delta;
      if (field === 0) v.name = this.r.string();
      else v.id = this.r.int();
    }
  }
}

function gobUint(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  let v = n;
  while (v > 0) {
    bytes.unshift(v % 256);
    v = Math.floor(v / 256);
  }
  return [256 - bytes.length, ...bytes];
}

function gobInt(n: number): number[] {
  return gobUint(n < 0 ? -n * 2 - 1 : n * 2);
}

function gobString(s: string): number[] {
  const b = [...Buffer.from(s, 'utf8')];
  return [...gobUint(b.length), ...b];
}

function message(body: number[]): number[] {
  return [...gobUint(body.length), ...body];
}

/** The gob stream of `CommandFinished{ExitStatus}` a Communicator server writes on the response stream. */
export function encodeCommandFinished(exitStatus: number): Buffer {
  const typeDef = message([
    ...gobInt(-65),
    3, // wireType.StructT
    1, // structType.CommonType
    1, ...gobString('CommandFinished'),
    1, ...gobInt(65),
    0,
    1, // structType.Field
    1, // one field
    1, ...gobString('ExitStatus'),
    1, ...gobInt(T_INT),
    0,
    0,
    0,
  ]);
  const value = message([...gobInt(65), ...(exitStatus === 0 ? [] : [1, ...gobInt(exitStatus)]), 0]);
  return Buffer.from([...typeDef, ...value]);
}

/** Reads the exit status from a response stream's gob bytes. */
export function decodeCommandFinished(data: Uint8Array): number {
  const [v] = decodeGob(data);
  const status = (v as Record<string, unknown> | undefined)?.['ExitStatus'];
  return typeof status === 'number' ? status : 0;
}
