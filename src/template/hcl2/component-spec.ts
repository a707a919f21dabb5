/**
 * The lazily decoded component configs of the model (`ComponentSpec.decode`): the
 * body is evaluated in its block's context — at provision time again with the build's
 * real generated data — and decoded through the component's hcldec spec by the one
 * decode path (`decodeComponentConfig`): native schemas get their strings rendered
 * with Packer's Go-template engine as the SDK's `config.Decode` does (fields marked
 * `late()` and the schema's defaults are left for the component), then typed.
 */
import type { Body } from '../../hcl/body.js';
import * as cty from '../../hcl/cty/index.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag } from '../../hcl/diagnostic.js';
import type { EvalContext } from '../../hcl/eval-context.js';
import type { Range } from '../../hcl/pos.js';
import type { GeneratedData } from '../../sdk/component.js';
import type { InterpolateContext } from '../../sdk/interpolate/context.js';
import type { DecodedConfig } from '../../sdk/schema/decode-config.js';
import { decodeComponentConfig } from '../../sdk/schema/decode-config.js';
import type { ComponentSchema, ConfigOf } from '../../sdk/schema/spec.js';
import type { BuildData, ComponentSpec } from '../model.js';
import { rawBodyValue } from './raw-config.js';

export interface ComponentSource {
  readonly type: string;
  /** The block header, where diagnostics about the whole component point. */
  readonly range: Range;
  /** The body to decode (a source merged with its build-level block, when there is one). */
  readonly body: Body;
  /** The evaluation context; `build` holds the build's generated data for provisioners and post-processors. */
  context(build?: BuildData): { ctx: EvalContext; diagnostics: Diagnostic[] };
  /** Arguments replacing the body's own (a provisioner's `override` for this source). */
  readonly override?: ReadonlyMap<string, cty.Value>;
  /** What `{{build_name}}`, `{{build_type}}` & co. render as. */
  readonly interpolation: InterpolateContext;
  /** How the component is named in "Failed preparing ..." messages. */
  readonly label: string;
}

/** A `ComponentSpec` over `src`. */
export function componentSpec(src: ComponentSource): ComponentSpec {
  return {
    type: src.type,
    range: src.range,
    decode: <S extends ComponentSchema>(schema: S, build?: BuildData) => decodeComponent(src, schema, build),
    raw: (build?: BuildData) => rawBodyValue(src.body, src.context(build).ctx),
  };
}

function decodeComponent<S extends ComponentSchema>(src: ComponentSource, schema: S, build?: BuildData): DecodedConfig<ConfigOf<S>> {
  const { ctx, diagnostics } = src.context(build);
  const source = { kind: 'hcl' as const, body: src.body, ctx, range: src.range, label: src.label, ...(src.override ? { override: src.override } : {}) };
  const decoded = decodeComponentConfig(schema, source, src.interpolation);
  return { ...decoded, diagnostics: [...diagnostics, ...decoded.diagnostics] };
}

/** Generated data as cty values (ConvertPluginConfigValueToHCLValue); other kinds are an error. */
export function generatedToCty(data: GeneratedData, range: Range): { values: Map<string, cty.Value>; diagnostics: Diagnostic[] } {
  const values = new Map<string, cty.Value>();
  const diagnostics: Diagnostic[] = [];
  for (const [k, v] of Object.entries(data)) {
    const c = plainToCty(v);
    if (c === undefined) diagnostics.push(errorDiag(`unhandled buildvar type: ${Array.isArray(v) ? 'array' : typeof v}`, `The build variable "${k}" cannot be given to the template.`, range));
    else values.set(k, c);
  }
  return { values, diagnostics };
}

function plainToCty(v: unknown): cty.Value | undefined {
  if (typeof v === 'string') return cty.stringVal(v);
  if (typeof v === 'boolean') return cty.boolVal(v);
  if (typeof v === 'number') return Number.isInteger(v) ? cty.numberIntVal(v) : cty.numberFloatVal(v);
  if (typeof v === 'bigint') return cty.numberIntVal(v);
  if (Array.isArray(v)) {
    if (v.every((e) => typeof e === 'string')) return v.length === 0 ? cty.listValEmpty(cty.stringType) : cty.listVal(v.map((e) => cty.stringVal(e)));
    if (v.every((e) => typeof e === 'number')) return v.length === 0 ? cty.listValEmpty(cty.numberType) : cty.listVal(v.map((e) => cty.numberFloatVal(e)));
  }
  return undefined;
}
