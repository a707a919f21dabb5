/**
 * A JSON Schema (2020-12) checker for the subset kiln's own schemas use (docs/schema/):
 * `type` (one or a list), `const`, `enum`, `pattern`, `properties`, `required`,
 * `additionalProperties: false`, `items`, and `$ref` to `#/$defs/...`. A keyword
 * outside the subset is an error, so a schema cannot silently go unchecked.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { readonly [key: string]: Json };

const KNOWN = new Set(['$schema', '$id', '$defs', '$ref', 'title', 'description', 'type', 'const', 'enum', 'pattern', 'properties', 'required', 'additionalProperties', 'items']);

function typeOf(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** The problems of `value` against `root` (empty when it conforms), each with its JSON path. */
export function validateJson(value: unknown, root: Schema): string[] {
  const problems: string[] = [];
  const check = (v: Json, s: Schema, at: string): void => {
    for (const k of Object.keys(s)) if (!KNOWN.has(k)) throw new Error(`json-schema: keyword ${k} at ${at} is not supported`);
    const ref = s['$ref'];
    if (typeof ref === 'string') {
      const name = /^#\/\$defs\/(.+)$/.exec(ref)?.[1];
      const target = name !== undefined ? (root['$defs'] as { [k: string]: Schema } | undefined)?.[name] : undefined;
      if (!target) throw new Error(`json-schema: cannot resolve ${ref}`);
      check(v, target, at);
    }
    const t = s['type'];
    if (t !== undefined) {
      const types = Array.isArray(t) ? (t as string[]) : [t as string];
      const actual = typeOf(v);
      if (!types.includes(actual) && !(actual === 'integer' && types.includes('number'))) {
        problems.push(`${at}: ${actual}, expected ${types.join(' or ')}`);
        return;
      }
    }
    if ('const' in s && JSON.stringify(v) !== JSON.stringify(s['const'])) problems.push(`${at}: ${JSON.stringify(v)}, expected ${JSON.stringify(s['const'])}`);
    const en = s['enum'];
    if (Array.isArray(en) && !en.some((e) => JSON.stringify(e) === JSON.stringify(v))) problems.push(`${at}: ${JSON.stringify(v)} is not one of ${JSON.stringify(en)}`);
    const pattern = s['pattern'];
    if (typeof pattern === 'string' && typeof v === 'string' && !new RegExp(pattern, 'u').test(v)) problems.push(`${at}: ${JSON.stringify(v)} does not match ${pattern}`);
    if (typeOf(v) === 'object') {
      const obj = v as { [key: string]: Json };
      const props = (s['properties'] ?? {}) as { [key: string]: Schema };
      for (const r of (s['required'] ?? []) as string[]) if (!(r in obj)) problems.push(`${at}: missing ${r}`);
      for (const [k, e] of Object.entries(obj)) {
        const p = props[k];
        if (p) check(e, p, `${at}.${k}`);
        else if (s['additionalProperties'] === false) problems.push(`${at}: unexpected property ${k}`);
      }
    }
    const items = s['items'];
    if (Array.isArray(v) && items && typeof items === 'object' && !Array.isArray(items)) v.forEach((e, i) => check(e, items as Schema, `${at}[${i}]`));
  };
  check(value as Json, root, '$');
  return problems;
}
