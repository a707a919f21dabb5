/**
 * A JSON reader that behaves like Go's `encoding/json` as Packer uses it for legacy
 * templates: the same syntax error texts and byte offsets (`invalid character '}'
 * looking for beginning of object key string`, `unexpected end of JSON input`), last
 * value wins for repeated keys, and the first repeated key in document order is
 * reported afterwards as Packer's `template has duplicate field: x`.
 *
 * Written here rather than taken from npm: no package reproduces Go's messages and
 * offsets, and JSON.parse neither sees duplicate keys nor reports positions.
 */

/** A decoded JSON value; objects are plain objects in source key order. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The decoded value, or a syntax error (Go's message and offset), or a duplicate key. */
export type GoJsonResult =
  | { kind: 'ok'; value: JsonValue }
  | { kind: 'syntax-error'; message: string; offset: number }
  | { kind: 'duplicate'; key: string; value: JsonValue };

class SyntaxErr extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** Go's quoteChar: `'x'`, `'\''`, `'"'`, `'\n'`. */
function quoteChar(b: number): string {
  if (b === 0x27) return "'\\''";
  if (b === 0x22) return `'"'`;
  const s = JSON.stringify(String.fromCharCode(b));
  const inner = s.slice(1, -1).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
  return `'${inner}'`;
}

class Reader {
  pos = 0;
  firstDuplicate: string | undefined;

  constructor(private readonly buf: Buffer) {}

  private fail(context: string): never {
    if (this.pos >= this.buf.length) throw new SyntaxErr('unexpected end of JSON input', this.buf.length);
    throw new SyntaxErr(`invalid character ${quoteChar(this.buf[this.pos] ?? 0)} ${context}`, this.pos + 1);
  }

  private skipSpace(): void {
    for (;;) {
      const b = this.buf[this.pos];
      if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return;
      this.pos++;
    }
  }

  document(): JsonValue {
    const v = this.value();
    this.skipSpace();
    if (this.pos < this.buf.length) this.fail('after top-level value');
    return v;
  }

  private value(): JsonValue {
    this.skipSpace();
    const b = this.buf[this.pos];
    switch (b) {
      case 0x7b: return this.object();
      case 0x5b: return this.array();
      case 0x22: return this.string();
      case 0x74: return this.literal('true', true);
      case 0x66: return this.literal('false', false);
      case 0x6e: return this.literal('null', null);
      default:
        if (b === 0x2d || (b !== undefined && b >= 0x30 && b <= 0x39)) return this.number();
        return this.fail('looking for beginning of value');
    }
  }

  private literal<T extends JsonValue>(word: string, v: T): T {
    for (let i = 0; i < word.length; i++) {
      if (this.buf[this.pos] !== word.charCodeAt(i)) this.fail(`in literal ${word} (expecting '${word[i]}')`);
      this.pos++;
    }
    return v;
  }

  private object(): JsonValue {
    this.pos++;
    const entries: [string, JsonValue][] = [];
    const seen = new Set<string>();
    this.skipSpace();
    if (this.buf[this.pos] === 0x7d) {
      this.pos++;
      return {};
    }
    for (;;) {
      this.skipSpace();
      if (this.buf[this.pos] !== 0x22) this.fail('looking for beginning of object key string');
      const key = this.string();
      if (seen.has(key) && this.firstDuplicate === undefined) this.firstDuplicate = key;
      seen.add(key);
      this.skipSpace();
      if (this.buf[this.pos] !== 0x3a) this.fail('after object key');
      this.pos++;
      entries.push([key, this.value()]);
      this.skipSpace();
      const b = this.buf[this.pos];
      if (b === 0x2c) {
        this.pos++;
        continue;
      }
      if (b === 0x7d) {
        this.pos++;
        return Object.fromEntries(entries) as JsonValue;
      }
      this.fail('after object key:value pair');
    }
  }

  private array(): JsonValue {
    this.pos++;
    const out: JsonValue[] = [];
    this.skipSpace();
    if (this.buf[this.pos] === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipSpace();
      const b = this.buf[this.pos];
      if (b === 0x2c) {
        this.pos++;
        continue;
      }
      if (b === 0x5d) {
        this.pos++;
        return out;
      }
      this.fail('after array element');
    }
  }

  private string(): string {
    const start = ++this.pos;
    for (;;) {
      const b = this.buf[this.pos];
      if (b === undefined) this.fail('');
      if (b === 0x22) break;
      if (b < 0x20) this.fail('in string literal');
      if (b === 0x5c) {
        this.pos++;
        const e = this.buf[this.pos];
        if (e === 0x75) {
          for (let i = 0; i < 4; i++) {
            this.pos++;
            const h = this.buf[this.pos];
            if (h === undefined || !/[0-9a-fA-F]/.test(String.fromCharCode(h))) this.fail('in \\u hexadecimal character escape');
          }
        } else if (e === undefined || !'"\\/bfnrt'.includes(String.fromCharCode(e))) {
          this.fail('in string escape code');
        }
      }
      this.pos++;
    }
    const raw = this.buf.subarray(start - 1, this.pos + 1).toString('utf8');
    this.pos++;
    return JSON.parse(raw) as string;
  }

  private digits(): number {
    const from = this.pos;
    while (this.buf[this.pos] !== undefined && (this.buf[this.pos] ?? 0) >= 0x30 && (this.buf[this.pos] ?? 0) <= 0x39) this.pos++;
    return this.pos - from;
  }

  private number(): number {
    const start = this.pos;
    if (this.buf[this.pos] === 0x2d) this.pos++;
    if (this.buf[this.pos] === 0x30) this.pos++;
    else if (this.digits() === 0) this.fail('in numeric literal');
    if (this.buf[this.pos] === 0x2e) {
      this.pos++;
      if (this.digits() === 0) this.fail('after decimal point in numeric literal');
    }
    const e = this.buf[this.pos];
    if (e === 0x65 || e === 0x45) {
      this.pos++;
      if (this.buf[this.pos] === 0x2b || this.buf[this.pos] === 0x2d) this.pos++;
      if (this.digits() === 0) this.fail('in exponent of numeric literal');
    }
    return Number(this.buf.subarray(start, this.pos).toString('latin1'));
  }
}

/** Decodes `text` as Go's json.Unmarshal, then checks for repeated keys as Packer does. */
export function readGoJson(text: string | Buffer): GoJsonResult {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const r = new Reader(buf);
  try {
    const value = r.document();
    if (r.firstDuplicate !== undefined) return { kind: 'duplicate', key: r.firstDuplicate, value };
    return { kind: 'ok', value };
  } catch (e) {
    if (e instanceof SyntaxErr) return { kind: 'syntax-error', message: e.message, offset: e.offset };
    throw e;
  }
}

/**
 * Packer's report of a syntax error (sdk template.ParseFile): the message, line and
 * column, then the previous and current lines and a caret — Go's column quirk kept
 * (0-based on the first line, 1-based after).
 */
export function formatJsonSyntaxError(text: string | Buffer, message: string, offset: number): string {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let line = 1;
  let col = 0;
  let lastLine = '';
  let thisLine: number[] = [];
  for (let n = 0; n < offset && n < buf.length; n++) {
    const b = buf[n] ?? 0;
    if (b === 0x0a) {
      lastLine = Buffer.from(thisLine).toString('utf8');
      thisLine = [];
      line++;
      col = 1;
    } else {
      col++;
      thisLine.push(b);
    }
  }
  let highlight = '';
  if (line > 1) highlight += `${String(line - 1).padStart(5)}: ${lastLine}\n`;
  highlight += `${String(line).padStart(5)}: ${Buffer.from(thisLine).toString('utf8')}\n`;
  highlight += `${' '.repeat(col + 5)}^\n`;
  return `Error parsing JSON: ${message}\nAt line ${line}, column ${col} (offset ${offset}):\n${highlight}`;
}
