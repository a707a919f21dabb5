/**
 * cty's JSON functions: `jsonencode` (cty's JSON marshalling: object and map keys in
 * order, numbers in plain decimal, Go's string escaping) and `jsondecode` (objects become
 * objects, arrays tuples, numbers exact decimals, `null` a null of dynamic type), with
 * Go's encoding/json syntax error messages.
 */
import type { Num } from '../cty/number.js';
import { formatNum, parseNum } from '../cty/number.js';
import type { Type } from '../cty/type.js';
import { boolType, dynamicType, numberType, stringType } from '../cty/type.js';
import { stringPrefixOf } from '../cty/refinement.js';
import type { Value } from '../cty/value.js';
import { boolVal, nullVal, numberVal, objectVal, stringVal, tupleVal, unknownVal } from '../cty/value.js';
import { ArgError, CallError, defineFunction, staticReturnType } from './function.js';

/** Go's json string encoding (HTML-safe, as encoding/json escapes by default). */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return out + '"';
}

/** cty's `json.Marshal(v, v.Type())` for a wholly known value; an error text otherwise. */
export function marshalJson(v: Value): string | CallError {
  if (!v.isKnown()) return new CallError('value is not known');
  if (v.isNull()) return 'null';
  switch (v.type.kind) {
    case 'string':
      return goJsonString(v.asString());
    case 'number':
      return formatNum(v.asNumber());
    case 'bool':
      return v.asBool() ? 'true' : 'false';
    case 'list':
    case 'set':
    case 'tuple': {
      const parts: string[] = [];
      for (const e of v.asArray()) {
        const p = marshalJson(e);
        if (p instanceof CallError) return p;
        parts.push(p);
      }
      return `[${parts.join(',')}]`;
    }
    case 'map':
    case 'object': {
      const parts: string[] = [];
      for (const [k, e] of v.asMap()) {
        const p = marshalJson(e);
        if (p instanceof CallError) return p;
        parts.push(`${goJsonString(k)}:${p}`);
      }
      return `{${parts.join(',')}}`;
    }
    case 'dynamic':
      return new CallError('value is not known');
  }
}

export const jsonEncodeFunc = defineFunction({
  description: 'Returns a string containing a JSON representation of the given value.',
  params: [{ name: 'val', type: dynamicType, allowUnknown: true, allowDynamicType: true, allowNull: true }],
  type: staticReturnType(stringType),
  impl: (args) => {
    const v = args[0]!;
    if (!v.isWhollyKnown()) return unknownVal(stringType);
    const r = marshalJson(v);
    return r instanceof CallError ? r : stringVal(r);
  },
});

export const jsonDecodeFunc = defineFunction({
  description: 'Parses the given string as JSON and returns a value corresponding to what the JSON document describes.',
  params: [{ name: 'str', type: stringType }],
  type: (args) => {
    const s = args[0]!;
    if (!s.isKnown()) return typeFromPrefix(stringPrefixOf(s));
    const r = decodeJson(s.asString());
    return r instanceof CallError ? r : r.type;
  },
  impl: (args) => decodeJson(args[0]!.asString()),
});

/**
 * cty's JSONDecode type for an unknown document whose first characters are known: a
 * quote means a string, `t`/`f` a bool, a digit, `-` or `.` a number (as cty has it);
 * `{`, `[` and `n` say nothing; any other first character can never start JSON.
 */
function typeFromPrefix(prefix: string): Type | ArgError {
  const first = [...prefix.trim()][0];
  if (first === undefined || first === '{' || first === '[' || first === 'n') return dynamicType;
  if (first === '"') return stringType;
  if (first === 't' || first === 'f') return boolType;
  if (first === '-' || first === '.' || (first >= '0' && first <= '9')) return numberType;
  return new ArgError(0, `a JSON document cannot begin with the character ${goQuoteRune(first)}`);
}

/** Go's %q of a rune: 'a', '\\'', '\\n'. */
function goQuoteRune(ch: string): string {
  const escapes: Record<string, string> = { "'": "\\'", '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' };
  return `'${escapes[ch] ?? ch}'`;
}

/** Parses a JSON document into a cty value with Go's error messages. */
export function decodeJson(text: string): Value | CallError {
  const p = new JsonParser(text);
  try {
    p.skipSpace();
    const v = p.value();
    p.skipSpace();
    if (p.pos < text.length) p.fail(`invalid character ${quoteChar(text[p.pos]!)} after top-level value`);
    return v;
  } catch (e) {
    if (e instanceof JsonSyntaxError) return new CallError(e.message);
    throw e;
  }
}

class JsonSyntaxError extends Error {}

function quoteChar(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '"') return `'"'`;
  return `'${ch}'`;
}

/**
 * The deepest nesting of arrays and objects `jsondecode` accepts. Go's decoder has no
 * limit that cty's use of it reaches; ours recurses per level, and a limit well under
 * Node's stack makes a hostile document an error rather than a stack overflow.
 */
export const MAX_JSON_DEPTH = 1000;

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class JsonParser {
  pos = 0;
  private depth = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    throw new JsonSyntaxError(message);
  }
  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos]!)) this.pos++;
  }
  private peek(context: string): string {
    if (this.pos >= this.text.length) this.fail('unexpected end of JSON input');
    const ch = this.text[this.pos]!;
    if (ch.charCodeAt(0) < 0x20 && !' \t\r\n'.includes(ch)) this.fail(`invalid character ${goControl(ch)} ${context}`);
    return ch;
  }

  value(): Value {
    const ch = this.peek('looking for beginning of value');
    if (ch === '{' || ch === '[') {
      if (++this.depth > MAX_JSON_DEPTH) this.fail(`exceeded max depth of ${MAX_JSON_DEPTH}`);
      const v = ch === '{' ? this.object() : this.array();
      this.depth--;
      return v;
    }
    if (ch === '"') return stringVal(this.string());
    if (ch === '-' || (ch >= '0' && ch <= '9')) return this.number();
    if (ch === 't') return this.literal('true', boolVal(true));
    if (ch === 'f') return this.literal('false', boolVal(false));
    if (ch === 'n') return this.literal('null', nullVal(dynamicType));
    return this.fail(`invalid character ${quoteChar(ch)} looking for beginning of value`);
  }

  private literal(word: string, v: Value): Value {
    for (let i = 0; i < word.length; i++) {
      const ch = this.text[this.pos + i];
      if (ch === undefined) this.fail('unexpected end of JSON input');
      if (ch !== word[i]) this.fail(`invalid character ${quoteChar(ch)} in literal ${word} (expecting ${quoteChar(word[i]!)})`);
    }
    this.pos += word.length;
    return v;
  }

  private number(): Value {
    NUMBER_RE.lastIndex = this.pos;
    const m = NUMBER_RE.exec(this.text);
    if (m === null) {
      const ch = this.text[this.pos + 1];
      if (ch === undefined) this.fail('unexpected end of JSON input');
      this.fail(`invalid character ${quoteChar(ch)} in numeric literal`);
    }
    this.pos += m[0].length;
    const n: Num | undefined = parseNum(m[0]);
    return numberVal(n ?? 0);
  }

  string(): string {
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unexpected end of JSON input');
      const ch = this.text[this.pos]!;
      if (ch === '"') {
        this.pos++;
        return out;
      }
      if (ch.charCodeAt(0) < 0x20) this.fail(`invalid character ${goControl(ch)} in string literal`);
      if (ch !== '\\') {
        out += ch;
        this.pos++;
        continue;
      }
      const e = this.text[this.pos + 1];
      if (e === undefined) this.fail('unexpected end of JSON input');
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (simple[e] !== undefined) {
        out += simple[e];
        this.pos += 2;
      } else if (e === 'u') {
        const hex = this.text.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid character in \\u hexadecimal character escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 6;
      } else {
        this.fail(`invalid character ${quoteChar(e)} in string escape code`);
      }
    }
  }

  private array(): Value {
    this.pos++;
    const vals: Value[] = [];
    this.skipSpace();
    if (this.peek('looking for beginning of value') === ']') {
      this.pos++;
      return tupleVal(vals);
    }
    for (;;) {
      this.skipSpace();
      vals.push(this.value());
      this.skipSpace();
      const ch = this.peek('after array element');
      this.pos++;
      if (ch === ']') return tupleVal(vals);
      if (ch !== ',') this.fail(`invalid character ${quoteChar(ch)} after array element`);
    }
  }

  private object(): Value {
    this.pos++;
    const attrs = new Map<string, Value>();
    this.skipSpace();
    if (this.peek('looking for beginning of object key string') === '}') {
      this.pos++;
      return objectVal(attrs);
    }
    for (;;) {
      this.skipSpace();
      const q = this.peek('looking for beginning of object key string');
      if (q !== '"') this.fail(`invalid character ${quoteChar(q)} looking for beginning of object key string`);
      const key = this.string();
      this.skipSpace();
      const colon = this.peek('after object key');
      if (colon !== ':') this.fail(`invalid character ${quoteChar(colon)} after object key`);
      this.pos++;
      this.skipSpace();
      attrs.set(key, this.value());
      this.skipSpace();
      const ch = this.peek('after object key:value pair');
      this.pos++;
      if (ch === '}') return objectVal(attrs);
      if (ch !== ',') this.fail(`invalid character ${quoteChar(ch)} after object key:value pair`);
    }
  }
}

function goControl(ch: string): string {
  const c = ch.charCodeAt(0);
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };
  return `'${named[c] ?? `\\x${c.toString(16).padStart(2, '0')}`}'`;
}

