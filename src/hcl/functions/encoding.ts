/**
 * Encoding functions: go-cty-funcs' base64encode, base64decode and urlencode, and cty's
 * csvdecode (Go's encoding/csv rules: RFC 4180 quoting, a header line naming the
 * attributes, every record the same width).
 */
import { dynamicType, listOf, objectOf, stringType } from '../cty/type.js';
import type { Type } from '../cty/type.js';
import type { Value } from '../cty/value.js';
import { listVal, listValEmpty, objectVal, stringVal } from '../cty/value.js';
import { CallError, defineFunction, staticReturnType } from './function.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function oneString(description: string, f: (s: string) => Value | CallError) {
  return defineFunction({
    description,
    params: [{ name: 'str', type: stringType }],
    type: staticReturnType(stringType),
    impl: (args) => f(args[0]!.asString()),
  });
}

export const base64EncodeFunc = oneString('Encodes a string to base64.', (s) => stringVal(Buffer.from(s, 'utf8').toString('base64')));

export const base64DecodeFunc = oneString('Decodes a base64 string to its UTF-8 text.', (s) => {
  // Go's StdEncoding skips CR and LF and insists on padding.
  const clean = s.replace(/[\r\n]/g, '');
  if (!BASE64.test(clean)) return new CallError(`failed to decode base64 data '${s}'`);
  try {
    return stringVal(strictUtf8.decode(Buffer.from(clean, 'base64')));
  } catch {
    return new CallError('the result of decoding the the provided string is not valid UTF-8');
  }
});

export const urlEncodeFunc = oneString('Applies URL encoding to a given string.', (s) => stringVal(goQueryEscape(s)));

/** Go's url.QueryEscape: unreserved bytes kept, space as `+`, the rest `%XX`. */
export function goQueryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (b === 0x20) out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export const csvDecodeFunc = defineFunction({
  description: 'Parses the given string as Comma Separated Values (as defined by RFC 4180) and returns a map of objects representing the table of data, using the first row as a header row to define the object attributes.',
  params: [{ name: 'str', type: stringType }],
  type: (args) => {
    const s = args[0]!;
    if (!s.isKnown()) return dynamicType;
    const r = parseCsv(s.asString());
    if (r instanceof CallError) return r;
    if (r.length === 0) return new CallError('missing header line');
    return listOf(objectOf(Object.fromEntries(r[0]!.map((h): [string, Type] => [h, stringType]))));
  },
  impl: (args, retType) => {
    const rows = parseCsv(args[0]!.asString());
    if (rows instanceof CallError) return rows;
    const header = rows[0]!;
    const records = rows.slice(1).map((r) => objectVal(Object.fromEntries(header.map((h, i): [string, Value] => [h, stringVal(r[i] ?? '')]))));
    return records.length === 0 ? listValEmpty((retType as { element: Type }).element) : listVal(records);
  },
});

/** Go's csv.Reader.ReadAll with default settings; errors as cty reports them. */
function parseCsv(text: string): string[][] | CallError {
  const rows: string[][] = [];
  const lines = text.replace(/\r\n/g, '\n');
  let i = 0;
  let line = 1;
  let width = -1;
  while (i < lines.length) {
    if (lines[i] === '\n') {
      // Go's reader skips empty lines.
      i++;
      line++;
      continue;
    }
    const recordLine = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (lines[i] === '"') {
        i++;
        for (;;) {
          if (i >= lines.length) return new CallError(`CSV parse error on line ${recordLine}: extraneous or missing " in quoted-field`);
          const ch = lines[i]!;
          if (ch === '"') {
            if (lines[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
        if (i < lines.length && lines[i] !== ',' && lines[i] !== '\n') {
          return new CallError(`CSV parse error on line ${line}: extraneous or missing " in quoted-field`);
        }
      } else {
        while (i < lines.length && lines[i] !== ',' && lines[i] !== '\n') {
          if (lines[i] === '"') return new CallError(`CSV parse error on line ${line}: bare " in non-quoted-field`);
          field += lines[i];
          i++;
        }
      }
      fields.push(field);
      if (lines[i] === ',') {
        i++;
        continue;
      }
      i++;
      line++;
      break;
    }
    if (width === -1) width = fields.length;
    else if (fields.length !== width) return new CallError(`CSV parse error on line ${recordLine}: wrong number of fields`);
    rows.push(fields);
  }
  return rows;
}

