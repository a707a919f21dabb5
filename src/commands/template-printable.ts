/**
 * HCL values as `inspect` and `console` print them (Packer's `PrintableCtyValue`:
 * hcl2shim's `ConfigValueFromHCL2`, then `repl.FormatResult`): strings bare at the top
 * level and quoted inside collections; integers exactly, other numbers as Go's `%g`;
 * lists `[\n  elem,\n]`; maps and objects `{\n  "k" = v\n}` with sorted keys and null
 * entries left out; `<unknown>` when any part is unknown. Marks are ignored: sensitive
 * values are masked by the output's secret filter, as in Packer.
 */
import * as cty from '../hcl/cty/index.js';
import { goQuote } from '../hcl/diagnostic-vars.js';
import { formatFloat } from '../sdk/interpolate/go-fmt.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A plain value as ConfigValueFromHCL2 yields it. */
type Plain = null | string | boolean | { readonly int: bigint } | { readonly float: number } | readonly Plain[] | ReadonlyMap<string, Plain>;

function toPlain(v: cty.Value): Plain {
  if (v.isNull()) return null;
  switch (v.type.kind) {
    case 'string':
      return v.asString();
    case 'bool':
      return v.asBool();
    case 'number': {
      const n = v.asNumber();
      const i = cty.toBigInt(n);
      if (i !== undefined && i >= INT64_MIN && i <= INT64_MAX) return { int: i };
      return { float: cty.toFloat64(n) };
    }
    case 'list':
    case 'set':
    case 'tuple':
      return v.asArray().map(toPlain);
    case 'map':
    case 'object': {
      const out = new Map<string, Plain>();
      for (const [k, e] of v.asMap()) {
        const p = toPlain(e);
        if (p !== null) out.set(k, p);
      }
      return out;
    }
    case 'dynamic':
      return null;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

function format(p: Plain, nested: boolean): string {
  if (p === null) return 'null';
  if (typeof p === 'string') return nested ? goQuote(p) : p;
  if (typeof p === 'boolean') return p ? 'true' : 'false';
  if (Array.isArray(p)) {
    const items = p as readonly Plain[];
    return `[${items.length > 0 ? '\n' : ''}${items.map((e) => `${indent(format(e, true))},\n`).join('')}]`;
  }
  if (p instanceof Map) {
    const keys = [...p.keys()].sort();
    return `{${keys.length > 0 ? '\n' : ''}${keys.map((k) => `${indent(`${goQuote(k)} = ${format(p.get(k) ?? null, true)}`)}\n`).join('')}}`;
  }
  if ('int' in p) return p.int.toString();
  return formatFloat((p as { float: number }).float, 'g', -1);
}

/** Packer's PrintableCtyValue. */
export function printableValue(v: cty.Value): string {
  const [bare] = cty.unmarkDeep(v);
  if (!bare.isWhollyKnown()) return '<unknown>';
  return format(toPlain(bare), false);
}
