/**
 * Writes HCL the way Packer's `hcl2_upgrade` builds it with hclwrite: values converted
 * as the SDK's `HCL2ValueFromConfigValue` and written as `hclwrite.TokensForValue`
 * does (strings quoted with `${`/`%{` doubled, numbers in plain decimal, objects with
 * sorted keys one per line), blocks as `type "label" {` … `}`. Spacing is left to the
 * canonical formatter: {@link Body.text} returns formatted text, as hclwrite's
 * `File.Bytes` does.
 */
import { compareStrings, normalizeString } from '../../hcl/cty/strings.js';
import { isValidIdentifier } from '../../hcl/syntax/parse.js';
import { format } from '../../hcl/write/format.js';
import type { JsonValue } from '../json/go-json.js';

/** An approximation of Go's unicode.IsPrint (graphic characters and U+0020). */
function isPrint(ch: string): boolean {
  return ch === ' ' || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch);
}

/** hclwrite's escaping of a quoted string literal's content. */
export function escapeQuoted(s: string): string {
  let out = '';
  const chars = [...s];
  chars.forEach((ch, i) => {
    switch (ch) {
      case '\n': out += '\\n'; return;
      case '\r': out += '\\r'; return;
      case '\t': out += '\\t'; return;
      case '"': out += '\\"'; return;
      case '\\': out += '\\\\'; return;
      case '$': case '%':
        out += chars[i + 1] === '{' ? ch + ch : ch;
        return;
      default: {
        if (isPrint(ch)) {
          out += ch;
          return;
        }
        const cp = ch.codePointAt(0) ?? 0;
        out += cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
      }
    }
  });
  return out;
}

/** big.Float's `Text('f', -1)` of a float64: the shortest digits, never an exponent. */
export function plainDecimal(n: number): string {
  // String(n) has the same shortest round-tripping digits; only the exponent form differs.
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([-+]\d+)$/.exec(s);
  if (m === null) return s;
  const [, sign = '', lead = '', frac = '', expText = '0'] = m;
  const digits = lead + frac;
  const point = 1 + Number(expText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The HCL expression text of a decoded JSON value (cty conversion + TokensForValue). */
export function valueText(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return plainDecimal(v);
  if (typeof v === 'string') return `"${escapeQuoted(normalizeString(v))}"`;
  if (Array.isArray(v)) return `[${v.map(valueText).join(', ')}]`;
  const entries = Object.entries(v).map(([k, e]) => [normalizeString(k), e] as const);
  if (entries.length === 0) return '{}';
  entries.sort((a, b) => compareStrings(a[0], b[0]));
  const lines = entries.map(([k, e]) => `${isValidIdentifier(k) ? k : valueText(k)} = ${valueText(e)}\n`);
  return `{\n${lines.join('')}}`;
}

type Item =
  | { readonly kind: 'attr'; readonly name: string; readonly expr: string }
  | { readonly kind: 'block'; readonly type: string; readonly labels: readonly string[]; readonly body: Body }
  | { readonly kind: 'newline' };

/** A body under construction (hclwrite's `Body`): attributes, blocks and blank lines in order. */
export class Body {
  private readonly items: Item[] = [];

  /** SetAttributeValue: replaces an attribute of that name in place, else appends. */
  attr(name: string, value: JsonValue): void {
    this.attrRaw(name, valueText(value));
  }

  /** SetAttributeRaw: the expression text as given. */
  attrRaw(name: string, expr: string): void {
    const at = this.items.findIndex((i) => i.kind === 'attr' && i.name === name);
    const item: Item = { kind: 'attr', name, expr };
    if (at >= 0) this.items[at] = item;
    else this.items.push(item);
  }

  /** AppendNewBlock: the new block's body, to be filled in. */
  block(type: string, labels: readonly string[] = []): Body {
    const body = new Body();
    this.items.push({ kind: 'block', type, labels, body });
    return body;
  }

  /** AppendNewline. */
  newline(): void {
    this.items.push({ kind: 'newline' });
  }

  /** The body's source, unformatted. */
  raw(): string {
    return this.items.map((i) => {
      switch (i.kind) {
        case 'attr': return `${i.name} = ${i.expr}\n`;
        case 'newline': return '\n';
        case 'block': {
          const labels = i.labels.map((l) => ` "${escapeQuoted(l)}"`).join('');
          return `${i.type}${labels} {\n${i.body.raw()}}\n`;
        }
      }
    }).join('');
  }

  /** The body's source in canonical format (hclwrite `File.Bytes`). */
  text(): string {
    return format(this.raw());
  }
}
