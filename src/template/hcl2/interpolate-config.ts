/**
 * The `{{ }}` pass of the SDK's `config.Decode` over an HCL2 component config.
 *
 * Packer renders the raw config — the values the template set, as HCL evaluated them —
 * before decoding it into the plugin's struct, and the plugin applies its defaults
 * afterwards in Prepare. So what the user wrote is rendered (strings anywhere inside a
 * value or a nested block, map keys too), while defaults never are: a default holding
 * `{{ }}` (`execute_command`'s `{{.Path}}`) is rendered by the component itself, later,
 * with its run-time data. kiln keeps that order: this pass runs on the `ConfigObject`
 * before `decodeConfig` applies the schema's defaults, and before type checks that
 * depend on the rendered text (durations, `oneOf`).
 *
 * Top-level keys whose field is marked `late()` (Packer's InterpolateFilter.Exclude)
 * are checked to parse but kept as written. Nested keys are always rendered, as in
 * Packer, where the filter names top-level keys only.
 */
import * as cty from '../../hcl/cty/index.js';
import type { InterpolateContext } from '../../sdk/interpolate/context.js';
import { render, validate } from '../../sdk/interpolate/render.js';
import type { ConfigNode, ConfigObject } from '../../sdk/schema/decode.js';
import type { ObjectSchema } from '../../sdk/schema/field.js';

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

  node(node: ConfigNode): ConfigNode {
    if (node.kind === 'value') return { ...node, value: this.value(node.value) };
    return {
      kind: 'blocks',
      items: node.items.map((item) => ({ ...item, entries: new Map([...item.entries].map(([k, n]) => [k, this.node(n)])) })),
    };
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

/** `object` with the user's strings rendered, or Packer's error (`invalid 'k': …` / `render 'k': …`). */
export function interpolateConfigObject(
  object: ConfigObject,
  schema: ObjectSchema,
  ctx: InterpolateContext,
): { kind: 'ok'; object: ConfigObject } | { kind: 'error'; message: string } {
  const entries = new Map<string, ConfigNode>();
  for (const [key, node] of object.entries) {
    // Every value is checked to parse first, late ones too (RenderMap's ValidateInterface).
    const check = new StringMapper((s) => {
      const err = validate(s, ctx);
      return err === undefined ? { kind: 'ok', value: s } : { kind: 'error', message: err };
    });
    check.node(node);
    if (check.failure !== undefined) return { kind: 'error', message: `invalid '${key}': ${check.failure}` };
    if (schema[key]?.options.lateInterpolation) {
      entries.set(key, node);
      continue;
    }
    const renderer = new StringMapper((s) => render(s, ctx));
    const rendered = renderer.node(node);
    if (renderer.failure !== undefined) return { kind: 'error', message: `render '${key}': ${renderer.failure}` };
    entries.set(key, rendered);
  }
  return { kind: 'ok', object: { ...object, entries } };
}
