/**
 * The `{{ }}` step of a native component's config decode (the SDK's `config.Decode`,
 * `interpolate.RenderMap`): every known string of the config value — inside lists,
 * objects and nested blocks, map and object keys too — is rendered once with Packer's
 * Go-template engine, except under the top-level keys the component renders later
 * with run-time data (fields marked `late()`: InterpolateFilter.Exclude). All strings
 * of a key are first checked to parse, late keys too.
 *
 * Components opt into this step by declaring a native schema; a component whose spec
 * arrives at run time (a Go plugin) receives its config raw and renders it itself.
 *
 * It runs on what the template set, before the schema's defaults apply: a default
 * holding `{{ }}` (`execute_command`'s `{{.Path}}`) is the component's to render.
 */
import * as cty from '../../hcl/cty/index.js';
import type { InterpolateContext } from './context.js';
import { render, validate } from './render.js';

/** The rendered config value, or Packer's error (`invalid 'k': …` / `render 'k': …`). */
export type RenderConfigResult = { kind: 'ok'; value: cty.Value } | { kind: 'error'; message: string };

type StringResult = { kind: 'ok'; value: string } | { kind: 'error'; message: string };

/** Applies a string function; the first failure is kept in `failure` and later strings are left alone. */
class StringMapper {
  failure: string | undefined;
  constructor(private readonly fn: (s: string) => StringResult) {}

  string(s: string): string {
    // Text without an action renders as itself and always parses.
    if (this.failure !== undefined || !s.includes('{{')) return s;
    const r = this.fn(s);
    if (r.kind === 'ok') return r.value;
    this.failure = `${r.message} in:\n\n${s}`;
    return s;
  }

  /** `v` with every known string in it (and map and object keys) mapped; marks kept. */
  value(v: cty.Value): cty.Value {
    const [bare, marks] = cty.unmark(v);
    if (!bare.isKnown() || bare.isNull()) return v;
    let out: cty.Value;
    switch (bare.type.kind) {
      case 'string':
        out = cty.stringVal(this.string(bare.asString()));
        break;
      case 'list':
      case 'tuple':
      case 'set': {
        const elems = bare.asArray();
        if (elems.length === 0) return v;
        const mapped = elems.map((e) => this.value(e));
        out = bare.type.kind === 'list' ? cty.listVal(mapped) : bare.type.kind === 'tuple' ? cty.tupleVal(mapped) : cty.setVal(mapped);
        break;
      }
      case 'map':
      case 'object': {
        if (bare.asMap().size === 0) return v;
        const mapped = new Map<string, cty.Value>();
        for (const [k, e] of bare.asMap()) mapped.set(this.string(k), this.value(e));
        out = bare.type.kind === 'map' ? cty.mapVal(mapped) : cty.objectVal(mapped);
        break;
      }
      default:
        return v;
    }
    return marks.size > 0 ? cty.withMarks(out, marks) : out;
  }
}

/**
 * `config` (an object value) with its strings rendered in `ctx`; keys for which `late`
 * is true are checked to parse and kept as written. Keys are visited in the object's
 * order (Go visits a map in random order, so with several bad keys which error comes
 * first may differ from Packer).
 */
export function renderConfigValue(config: cty.Value, late: (key: string) => boolean, ctx: InterpolateContext): RenderConfigResult {
  const [bare, marks] = cty.unmark(config);
  if (!bare.isKnown() || bare.isNull() || (bare.type.kind !== 'object' && bare.type.kind !== 'map')) return { kind: 'ok', value: config };
  const out = new Map<string, cty.Value>();
  for (const [key, v] of bare.asMap()) {
    const check = new StringMapper((s) => {
      const err = validate(s, ctx);
      return err === undefined ? { kind: 'ok', value: s } : { kind: 'error', message: err };
    });
    check.value(v);
    if (check.failure !== undefined) return { kind: 'error', message: `invalid '${key}': ${check.failure}` };
    if (late(key)) {
      out.set(key, v);
      continue;
    }
    const renderer = new StringMapper((s) => render(s, ctx));
    const rendered = renderer.value(v);
    if (renderer.failure !== undefined) return { kind: 'error', message: `render '${key}': ${renderer.failure}` };
    out.set(key, rendered);
  }
  const value = bare.type.kind === 'map' ? cty.mapVal(out) : cty.objectVal(out);
  return { kind: 'ok', value: marks.size > 0 ? cty.withMarks(value, marks) : value };
}
