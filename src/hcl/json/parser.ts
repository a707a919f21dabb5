/**
 * The JSON parser (json/parser.go) with HCL's diagnostics and recovery. It never
 * throws: where no value could be read the tree holds an `invalid` node.
 */
import type { Diagnostic } from '../diagnostic.js';
import type { Pos, Range } from '../pos.js';
import { nameSuggestion } from '../suggest.js';
import type { JSONNode, JSONProperty } from './ast.js';
import { startRange } from './ast.js';
import type { Token } from './scanner.js';
import { scanJSON } from './scanner.js';

export interface JSONParseResult {
  readonly node: JSONNode;
  readonly diagnostics: Diagnostic[];
}

/** Parses one JSON value filling the whole of `src` (HCL's parseFileContent). */
export function parseJSONValue(src: string, filename: string, start: Pos): JSONParseResult {
  const p = new Peeker(scanJSON(src, filename, start));
  const { node, diagnostics } = parseValue(p);
  if (diagnostics.length === 0 && p.peek().type !== 'eof') {
    diagnostics.push(err('Extraneous data after value', 'Extra characters appear after the JSON value.', p.peek().range));
  }
  return { node, diagnostics };
}

class Peeker {
  private i = 0;
  constructor(private readonly tokens: readonly Token[]) {}
  peek(): Token {
    return this.tokens[this.i] ?? this.tokens[this.tokens.length - 1]!;
  }
  read(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }
}

function err(summary: string, detail: string, subject: Range, context?: Range): Diagnostic {
  return { severity: 'error', summary, detail, subject, ...(context ? { context } : {}) };
}

interface Partial {
  readonly node: JSONNode | undefined;
  readonly diagnostics: Diagnostic[];
}

const NOT_A_VALUE = 'A JSON value must start with a brace, a bracket, a number, a string, or a keyword.';

function parseValue(p: Peeker): { node: JSONNode; diagnostics: Diagnostic[] } {
  const tok = p.peek();
  const r = parseValueInner(p, tok);
  return { node: r.node ?? { kind: 'invalid', srcRange: tok.range }, diagnostics: r.diagnostics };
}

function parseValueInner(p: Peeker, tok: Token): Partial {
  switch (tok.type) {
    case '{':
      return parseObject(p);
    case '[':
      return parseArray(p);
    case 'number':
      return parseNumber(p);
    case 'string':
      return parseString(p);
    case 'keyword':
      return parseKeyword(p);
    case '}':
      return { node: undefined, diagnostics: [err('Missing JSON value', NOT_A_VALUE, tok.range)] };
    case ']':
      return { node: undefined, diagnostics: [err('Missing array element value', NOT_A_VALUE, tok.range)] };
    case 'eof':
      return { node: undefined, diagnostics: [err('Missing value', 'The JSON data ends prematurely.', tok.range)] };
    default:
      return { node: undefined, diagnostics: [err('Invalid start of value', NOT_A_VALUE, tok.range)] };
  }
}

/** Skips to the bracket closing the current container (HCL's recover closures). */
function recover(p: Peeker, tok: Token, open: '{' | '[', close: '}' | ']'): void {
  let depth = 1;
  for (;;) {
    if (tok.type === open) depth++;
    else if (tok.type === close) {
      depth--;
      if (depth <= 1) return;
    } else if (tok.type === 'eof') return;
    tok = p.read();
  }
}

function parseObject(p: Peeker): Partial {
  const diagnostics: Diagnostic[] = [];
  const open = p.read();
  const attrs: JSONProperty[] = [];
  const fail = (d: Diagnostic): Partial => ({ node: undefined, diagnostics: [...diagnostics, d] });
  for (;;) {
    if (p.peek().type === '}') break;
    const key = parseValue(p);
    diagnostics.push(...key.diagnostics);
    if (key.node.kind !== 'string') {
      return fail(err('Invalid object property name', 'A JSON object property name must be a string', startRange(key.node)));
    }
    const colon = p.read();
    if (colon.type !== ':') {
      recover(p, colon, '{', '}');
      if (colon.type === '}' || colon.type === ',') {
        return fail(err('Missing object value', 'A JSON object attribute must have a value, introduced by a colon.', colon.range));
      }
      if (colon.type === '=') {
        return fail(err('Missing property value colon', 'JSON uses a colon as its name/value delimiter, not an equals sign.', colon.range));
      }
      return fail(err('Missing property value colon', "A colon must appear between an object property's name and its value.", colon.range));
    }
    const value = parseValue(p);
    diagnostics.push(...value.diagnostics);
    attrs.push({ name: key.node.value, value: value.node, nameRange: key.node.srcRange });
    const next = p.peek();
    if (next.type === ',') {
      const comma = p.read();
      if (p.peek().type === '}') {
        return fail(err('Trailing comma in object', 'JSON does not permit a trailing comma after the final property in an object.', comma.range));
      }
      continue;
    }
    if (next.type === 'eof') return fail(err('Unclosed object', 'No closing brace was found for this JSON object.', open.range));
    if (next.type === ']') {
      p.read();
      return fail(err('Mismatched braces', 'A JSON object must be closed with a brace, not a bracket.', p.peek().range));
    }
    if (next.type === '}') break;
    recover(p, p.read(), '{', '}');
    return fail(err('Missing attribute seperator comma', 'A comma must appear between each property definition in an object.', p.peek().range));
  }
  const close = p.read();
  return {
    node: { kind: 'object', attrs, srcRange: { filename: open.range.filename, start: open.range.start, end: close.range.end }, openRange: open.range, closeRange: close.range },
    diagnostics,
  };
}

function parseArray(p: Peeker): Partial {
  const diagnostics: Diagnostic[] = [];
  const open = p.read();
  const values: JSONNode[] = [];
  const fail = (d: Diagnostic): Partial => ({ node: undefined, diagnostics: [...diagnostics, d] });
  for (;;) {
    if (p.peek().type === ']') break;
    const value = parseValue(p);
    diagnostics.push(...value.diagnostics);
    values.push(value.node);
    const next = p.peek();
    if (next.type === ',') {
      const comma = p.read();
      if (p.peek().type === ']') {
        return fail(err('Trailing comma in array', 'JSON does not permit a trailing comma after the final value in an array.', comma.range));
      }
      continue;
    }
    if (next.type === ']') break;
    recover(p, p.read(), '[', ']');
    if (next.type === ':') return fail(err('Invalid array value', 'A colon is not used to introduce values in a JSON array.', p.peek().range));
    if (next.type === 'eof') return fail(err('Unclosed object', 'No closing bracket was found for this JSON array.', open.range));
    if (next.type === '}') return fail(err('Mismatched brackets', 'A JSON array must be closed with a bracket, not a brace.', p.peek().range));
    return fail(err('Missing attribute seperator comma', 'A comma must appear between each value in an array.', p.peek().range));
  }
  const close = p.read();
  return { node: { kind: 'array', values, srcRange: { filename: open.range.filename, start: open.range.start, end: close.range.end }, openRange: open.range }, diagnostics };
}

const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

function parseNumber(p: Peeker): Partial {
  const tok = p.read();
  if (!JSON_NUMBER.test(tok.text)) {
    return { node: undefined, diagnostics: [err('Invalid JSON number', 'There is a syntax error in the given JSON number.', tok.range)] };
  }
  return { node: { kind: 'number', text: tok.text, srcRange: tok.range }, diagnostics: [] };
}

function parseString(p: Peeker): Partial {
  const tok = p.read();
  const r = decodeJSONString(tok.text);
  if (typeof r === 'string') return { node: { kind: 'string', value: r, srcRange: tok.range }, diagnostics: [] };
  const s = tok.range.start;
  const subject: Range = {
    filename: tok.range.filename,
    start: { line: s.line, column: s.column + r.offset, byte: s.byte + r.offset },
    end: { line: s.line, column: s.column + r.offset + 1, byte: s.byte + r.offset + 1 },
  };
  return { node: undefined, diagnostics: [err('Invalid JSON string', 'There is a syntax error in the given JSON string.', subject, tok.range)] };
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * A JSON string token's value, or where Go's encoding/json reports the syntax error:
 * `offset` counts the UTF-8 bytes read up to and including the offending one.
 */
export function decodeJSONString(text: string): string | { readonly offset: number } {
  let out = '';
  let bytes = 1;
  let i = 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return i === text.length - 1 ? out : { offset: bytes + 1 };
    if (c < ' ') return { offset: bytes + 1 };
    if (c !== '\\') {
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out += ch;
      bytes += Buffer.byteLength(ch, 'utf8');
      i += ch.length;
      continue;
    }
    const sel = text[i + 1];
    if (sel === undefined) return { offset: text.length === i + 1 ? Buffer.byteLength(text, 'utf8') : bytes + 2 };
    if (sel !== 'u') {
      const e = ESCAPES[sel];
      if (e === undefined) return { offset: bytes + 2 };
      out += e;
      i += 2;
      bytes += 2;
      continue;
    }
    for (let k = 0; k < 4; k++) {
      const h = text[i + 2 + k];
      if (h === undefined) return { offset: Buffer.byteLength(text, 'utf8') };
      if (!/[0-9a-fA-F]/.test(h)) return { offset: bytes + 3 + k };
    }
    let unit = parseInt(text.slice(i + 2, i + 6), 16);
    i += 6;
    bytes += 6;
    if (unit >= 0xd800 && unit < 0xdc00) {
      const low = text.slice(i, i + 6);
      const lowUnit = low.startsWith('\\u') && HEX4.test(low.slice(2)) ? parseInt(low.slice(2), 16) : -1;
      if (lowUnit >= 0xdc00 && lowUnit < 0xe000) {
        out += String.fromCharCode(unit, lowUnit);
        i += 6;
        bytes += 6;
        continue;
      }
      unit = 0xfffd;
    } else if (unit >= 0xdc00 && unit < 0xe000) unit = 0xfffd;
    out += String.fromCharCode(unit);
  }
  return { offset: Buffer.byteLength(text, 'utf8') };
}

const KEYWORDS = ['false', 'true', 'null'];

function parseKeyword(p: Peeker): Partial {
  const tok = p.read();
  switch (tok.text) {
    case 'true':
    case 'false':
      return { node: { kind: 'bool', value: tok.text === 'true', srcRange: tok.range }, diagnostics: [] };
    case 'null':
      return { node: { kind: 'null', srcRange: tok.range }, diagnostics: [] };
    case 'undefined':
    case 'NaN':
    case 'Infinity':
      return { node: undefined, diagnostics: [err('Invalid JSON keyword', `The JavaScript identifier ${JSON.stringify(tok.text)} cannot be used in JSON.`, tok.range)] };
    default: {
      const s = nameSuggestion(tok.text, KEYWORDS);
      const hint = s === undefined ? '' : ` Did you mean ${JSON.stringify(s)}?`;
      return { node: undefined, diagnostics: [err('Invalid JSON keyword', `${JSON.stringify(tok.text)} is not a valid JSON keyword.${hint}`, tok.range)] };
    }
  }
}
