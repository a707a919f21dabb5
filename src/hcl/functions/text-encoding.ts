/**
 * Packer's `textencodebase64(string, encoding)` and `textdecodebase64(source, encoding)`
 * (hcl2template/functions.go): text in a legacy character set, carried as base64
 * because cty strings are always UTF-8. Encoding names are looked up as Go's
 * `ianaindex.IANA` does (`iana-charsets.ts`); error messages are Packer's, naming the
 * charset by its IANA name.
 */
import { createRequire } from 'node:module';
import type Iconv from 'iconv-lite';
import { stringType } from '../cty/type.js';
import { stringVal } from '../cty/value.js';
import { ArgError, defineFunction, staticReturnType } from './function.js';
import { CHARMAP_TABLES } from './charmap-tables.js';
import type { CharsetRow } from './iana-charsets.js';
import { lookupCharset } from './iana-charsets.js';

interface Codec {
  /** The bytes, or undefined when a character cannot be represented. */
  readonly encode?: (s: string) => Buffer | undefined;
  /** The text; U+FFFD marks bytes that mean nothing in the charset. */
  readonly decode: (b: Buffer) => string;
}

const REPLACEMENT = '\ufffd';

function textDecoder(label: string, b: Buffer): string {
  return new TextDecoder(label, { ignoreBOM: true }).decode(b);
}

function swap16(b: Buffer): Buffer {
  return Buffer.from(b).swap16();
}

const charmaps = new Map<string, { decode: string[]; encode: Map<number, number> }>();

/** A charmap table of `charmap-tables.ts`, both ways (bytes below its start are ASCII). */
function charmap(name: string): { decode: string[]; encode: Map<number, number> } | undefined {
  let m = charmaps.get(name);
  const table = CHARMAP_TABLES[name];
  if (m === undefined && table !== undefined) {
    const upper = [...table];
    const decode = upper.length === 256 ? upper : [...Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)), ...upper];
    const encode = new Map<number, number>();
    decode.forEach((ch, byte) => {
      if (ch !== REPLACEMENT) encode.set(ch.codePointAt(0)!, byte);
    });
    m = { decode, encode };
    charmaps.set(name, m);
  }
  return m;
}

function tableEncoder(lookup: (cp: number) => number | undefined): (s: string) => Buffer | undefined {
  return (s) => {
    const out: number[] = [];
    for (const ch of s) {
      const b = lookup(ch.codePointAt(0)!);
      if (b === undefined) return undefined;
      out.push(b);
    }
    return Buffer.from(out);
  };
}

/** The codec for a row's spec; undefined for charsets kiln does not support. */
function codecFor(spec: string): Codec | undefined {
  const [kind, a = '', b = ''] = spec.split(':');
  switch (kind) {
    case 'ascii':
      return {
        encode: tableEncoder((cp) => (cp < 0x80 ? cp : undefined)),
        decode: (buf) => [...buf].map((x) => (x < 0x80 ? String.fromCharCode(x) : REPLACEMENT)).join(''),
      };
    case 'utf-8':
      return { encode: (s) => Buffer.from(s, 'utf8'), decode: (buf) => textDecoder('utf-8', buf) };
    case 'utf-16le':
      return { encode: (s) => Buffer.from(s, 'utf16le'), decode: (buf) => textDecoder('utf-16le', buf) };
    case 'utf-16be':
      return { encode: (s) => swap16(Buffer.from(s, 'utf16le')), decode: (buf) => textDecoder('utf-16be', buf) };
    case 'utf-16':
      return {
        encode: (s) => Buffer.concat([Buffer.from([0xfe, 0xff]), swap16(Buffer.from(s, 'utf16le'))]),
        decode: (buf) => {
          if (buf[0] === 0xff && buf[1] === 0xfe) return textDecoder('utf-16le', buf.subarray(2));
          if (buf[0] === 0xfe && buf[1] === 0xff) return textDecoder('utf-16be', buf.subarray(2));
          return textDecoder('utf-16be', buf);
        },
      };
    case 'charmap': {
      const m = charmap(a);
      if (m === undefined) return undefined;
      return { encode: tableEncoder((cp) => m.encode.get(cp)), decode: (buf) => [...buf].map((x) => m.decode[x]!).join('') };
    }
    case 'multi':
      return { encode: checkedIconv(a, (buf) => textDecoder(b, buf)), decode: (buf) => textDecoder(b, buf) };
    case 'decode-only':
      return { decode: (buf) => textDecoder(a, buf) };
    default:
      return undefined;
  }
}

let iconvLib: typeof Iconv | undefined;

/** iconv-lite (CommonJS), loaded on the first multi-byte encode rather than at start-up. */
function iconv(): typeof Iconv {
  iconvLib ??= createRequire(import.meta.url)('iconv-lite') as typeof Iconv;
  return iconvLib;
}

/** iconv-lite substitutes what it cannot encode; a round trip through the decoder tells. */
function checkedIconv(name: string, decode: (b: Buffer) => string): (s: string) => Buffer | undefined {
  return (s) => {
    const buf = iconv().encode(s, name);
    return decode(buf) === s ? buf : undefined;
  };
}

function charset(name: string): { row: CharsetRow; codec: Codec } | ArgError {
  const row = lookupCharset(name);
  if (row === undefined) return new ArgError(1, `${JSON.stringify(name)} is not a supported IANA encoding name or alias`);
  const codec = codecFor(row[1]);
  if (codec === undefined) return new ArgError(1, `${row[0]} is a valid IANA encoding, but kiln does not support it`);
  return { row, codec };
}

export const textEncodeBase64Func = defineFunction({
  description: 'Encodes the input string (UTF-8) to the destination encoding. The output is base64 to account for cty limiting strings to NFC normalised UTF-8 strings.',
  params: [
    { name: 'string', type: stringType },
    { name: 'encoding', type: stringType },
  ],
  type: staticReturnType(stringType),
  impl: (args) => {
    const cs = charset(args[1]!.asString());
    if (cs instanceof ArgError) return cs;
    if (cs.codec.encode === undefined) return new ArgError(1, `kiln can decode ${cs.row[0]} but cannot encode to it`);
    const bytes = cs.codec.encode(args[0]!.asString());
    if (bytes === undefined) return new ArgError(0, `the given string contains characters that cannot be represented in ${cs.row[0]}`);
    return stringVal(bytes.toString('base64'));
  },
});

export const textDecodeBase64Func = defineFunction({
  description: 'Encodes the input base64 blob from an encoding to utf-8. The input is base64 to account for cty limiting strings to NFC normalised UTF-8 strings.',
  params: [
    { name: 'source', type: stringType },
    { name: 'encoding', type: stringType },
  ],
  type: staticReturnType(stringType),
  impl: (args) => {
    const cs = charset(args[1]!.asString());
    if (cs instanceof ArgError) return cs;
    const bytes = decodeBase64Go(args[0]!.asString());
    if (typeof bytes === 'number') return new ArgError(0, `the given value is has an invalid base64 symbol at offset ${bytes}`);
    const text = cs.codec.decode(bytes);
    if (text.includes(REPLACEMENT)) return new ArgError(0, `the given string contains symbols that are not defined for ${cs.row[0]}`);
    return stringVal(text);
  },
});

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i): [number, number] => [c.charCodeAt(0), i]));
const CR = 0x0d;
const LF = 0x0a;
const PAD = 0x3d;

/**
 * Go's `base64.StdEncoding.DecodeString`: padding required, CR and LF ignored; on
 * failure the byte offset Go's `CorruptInputError` reports.
 */
export function decodeBase64Go(text: string): Buffer | number {
  const src = Buffer.from(text, 'utf8');
  const out: number[] = [];
  let si = 0;
  const newline = (i: number): boolean => src[i] === CR || src[i] === LF;
  while (si < src.length) {
    const quantum: number[] = [];
    let done = false;
    while (quantum.length < 4) {
      if (si === src.length) {
        if (quantum.length === 0) return Buffer.from(out);
        return si - quantum.length;
      }
      const c = src[si++]!;
      const v = B64_INDEX.get(c);
      if (v !== undefined) {
        quantum.push(v);
        continue;
      }
      if (c === CR || c === LF) continue;
      if (c !== PAD || quantum.length < 2) return si - 1;
      if (quantum.length === 2) {
        while (si < src.length && newline(si)) si++;
        if (si === src.length) return src.length;
        if (src[si] !== PAD) return si - 1;
        si++;
      }
      while (si < src.length && newline(si)) si++;
      if (si < src.length) return si;
      done = true;
      break;
    }
    const [a = 0, b = 0, c = 0, d = 0] = quantum;
    const val = (a << 18) | (b << 12) | (c << 6) | d;
    out.push((val >> 16) & 0xff);
    if (quantum.length >= 3) out.push((val >> 8) & 0xff);
    if (quantum.length === 4) out.push(val & 0xff);
    if (done) break;
  }
  return Buffer.from(out);
}
