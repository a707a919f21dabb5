/**
 * The one decode path of a component's config, for both template syntaxes and for
 * native and runtime schemas:
 *
 * 1. source → cty value through the component's hcldec spec (`specOf(schema)`):
 *    an HCL block body with `decodeBlockBody` (hcldec's Decode), a legacy JSON object
 *    with `decodeJsonValue` (rendered first, as Packer's JSON path renders the raw map);
 * 2. a provisioner's `override` for this build replaces attributes (HCL);
 * 3. `{{ }}` rendering, for native components (`renderConfigValue`); a runtime spec's
 *    component (a Go plugin) gets its value raw and renders it itself;
 * 4. native: the value becomes the schema's typed config (`typedConfig`); runtime: the
 *    config is the value.
 *
 * Diagnostics point at the attribute; `rangeOf` answers where any attribute is, for
 * the component's own prepare diagnostics.
 */
import * as cty from '../../hcl/cty/index.js';
import type { Body } from '../../hcl/body.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag } from '../../hcl/diagnostic.js';
import type { EvalContext } from '../../hcl/eval-context.js';
import type { Range } from '../../hcl/pos.js';
import type { ObjectSpec, Spec } from '../../hcl/dec/spec.js';
import { objectSpecEntries } from '../../hcl/dec/spec.js';
import type { InterpolateContext } from '../interpolate/context.js';
import { renderConfigValue } from '../interpolate/render-config.js';
import { anyToPlain, typedConfig } from './decode.js';
import type { SourceDecode } from './decode-source.js';
import { decodeBlockBody, decodeJsonValue } from './decode-source.js';
import { jsonToCty } from './json-input.js';
import type { ComponentSchema, ConfigOf } from './spec.js';
import { isRuntimeSpec, specOf } from './spec.js';

/** Where a component's config comes from. */
export type ConfigSource =
  | {
      readonly kind: 'hcl';
      /** The block's body (a source merged with its build-level block, when there is one). */
      readonly body: Body;
      readonly ctx: EvalContext;
      /** Attributes replacing the body's own (a provisioner's `override` for this build). */
      readonly override?: ReadonlyMap<string, cty.Value>;
      /** The block header: where "missing" errors and render errors point. */
      readonly range?: Range;
      /** How render errors name the component: `Failed preparing <label>`. */
      readonly label: string;
    }
  | { readonly kind: 'json'; readonly raw: Readonly<Record<string, unknown>> };

/** A decoded config: the cty value, the typed config, and where things are. */
export interface DecodedConfig<T> {
  /** The config as a cty value (after overrides and rendering). */
  readonly value: cty.Value;
  /** `Infer<S>` for a native schema; the value itself for a runtime spec. */
  readonly config: T;
  readonly diagnostics: Diagnostic[];
  /** Strings that came from sensitive values: register them with the secret filter. */
  readonly secrets: string[];
  /** Where the attribute at a path (`name`, `block.name`, `blocks[1].name`) is written, when known. */
  readonly rangeOf: (path: string) => Range | undefined;
  /** The block header, for diagnostics about the whole component. */
  readonly range?: Range;
}

/**
 * Decodes a component's config from `source` through `schema`'s spec. `render` is the
 * `{{ }}` context of a native component (omit it to skip rendering); a runtime spec is
 * never rendered.
 */
export function decodeComponentConfig<S extends ComponentSchema>(schema: S, source: ConfigSource, render?: InterpolateContext): DecodedConfig<ConfigOf<S>> {
  const spec = specOf(schema);
  const runtime = isRuntimeSpec(schema);
  const late = (key: string): boolean => !isRuntimeSpec(schema) && schema[key]?.options.lateInterpolation === true;
  const diagnostics: Diagnostic[] = [];
  const range = source.kind === 'hcl' ? source.range : undefined;
  let read: SourceDecode;
  if (source.kind === 'json') {
    let raw = jsonToCty(source.raw);
    if (render && !runtime) {
      const r = renderConfigValue(raw, late, render);
      if (r.kind === 'error') return failed(errorDiag(r.message, ''));
      raw = r.value;
    }
    read = decodeJsonValue(raw, spec);
  } else {
    read = decodeBlockBody(source.body, spec, source.ctx);
  }
  diagnostics.push(...read.diagnostics);
  let value = read.value;
  if (source.kind === 'hcl') {
    if (source.override) value = withOverride(value, spec, source.override, source.range, diagnostics);
    if (render && !runtime) {
      const r = renderConfigValue(value, late, render);
      if (r.kind === 'error') diagnostics.push(errorDiag(`Failed preparing ${source.label}`, r.message, source.range));
      else value = r.value;
    }
  }
  const at = { rangeOf: read.rangeOf, ...(range ? { range } : {}) };
  if (isRuntimeSpec(schema)) {
    const secrets: string[] = [];
    const [bare, marks] = cty.unmarkDeep(value);
    if (marks.has('sensitive')) collectSensitive(value, secrets);
    return { value: bare, config: bare as ConfigOf<S>, diagnostics, secrets, ...at };
  }
  const typed = typedConfig(schema, value, at);
  diagnostics.push(...typed.diagnostics);
  return { value, config: typed.config as ConfigOf<S>, diagnostics, secrets: typed.secrets, ...at };

  function failed(...diags: Diagnostic[]): DecodedConfig<ConfigOf<S>> {
    const empty = cty.emptyObjectVal;
    return { value: empty, config: (runtime ? empty : {}) as ConfigOf<S>, diagnostics: diags, secrets: [], rangeOf: () => undefined };
  }
}

/** The strings under sensitive marks in `v`. */
function collectSensitive(v: cty.Value, into: string[]): void {
  const [bare, marks] = cty.unmark(v);
  if (marks.has('sensitive')) {
    anyToPlain(cty.unmarkDeep(bare)[0], into);
    return;
  }
  if (!bare.isKnown() || bare.isNull()) return;
  const k = bare.type.kind;
  if (k === 'list' || k === 'set' || k === 'tuple') for (const e of bare.asArray()) collectSensitive(e, into);
  else if (k === 'map' || k === 'object') for (const e of bare.asMap().values()) collectSensitive(e, into);
}

/** `value` with `override`'s attributes in place of its own, converted to their spec types. */
function withOverride(value: cty.Value, spec: Spec, override: ReadonlyMap<string, cty.Value>, range: Range | undefined, diagnostics: Diagnostic[]): cty.Value {
  if (override.size === 0 || spec.kind !== 'object' || !value.isKnown() || value.isNull()) return value;
  const types = attrTypes(spec);
  const attrs = new Map(value.asMap());
  for (const [k, v] of override) {
    const type = types.get(k);
    if (type === undefined) {
      diagnostics.push(errorDiag('Unsupported argument', `An argument named "${k}" is not expected here.`, range));
      continue;
    }
    const converted = cty.convertValue(v, type);
    if (converted instanceof cty.Value) attrs.set(k, converted);
    else diagnostics.push(errorDiag(`Invalid value for ${k}`, `Inappropriate value for attribute "${k}": ${converted.message}.`, range));
  }
  return cty.objectVal(attrs);
}

function attrTypes(spec: ObjectSpec): Map<string, cty.Type> {
  const out = new Map<string, cty.Type>();
  for (const [k, s] of objectSpecEntries(spec)) if (s.kind === 'attr') out.set(k, s.type);
  return out;
}
