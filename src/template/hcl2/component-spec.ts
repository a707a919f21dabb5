/**
 * The lazily decoded component configs of the model (`ComponentSpec.decode`): the
 * body is evaluated in its block's context — at provision time again with the build's
 * real generated data —, read against the component's schema, its strings rendered
 * with Packer's Go-template engine as the SDK's `config.Decode` does (fields marked
 * `late()` and the schema's defaults are left for the component), then decoded.
 */
import type { Body } from '../../hcl/body.js';
import * as cty from '../../hcl/cty/index.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag } from '../../hcl/diagnostic.js';
import type { EvalContext } from '../../hcl/eval-context.js';
import type { Range } from '../../hcl/pos.js';
import type { GeneratedData } from '../../sdk/component.js';
import type { InterpolateContext } from '../../sdk/interpolate/context.js';
import type { ConfigObject, DecodeResult } from '../../sdk/schema/decode.js';
import { decodeConfig } from '../../sdk/schema/decode.js';
import type { ObjectSchema } from '../../sdk/schema/field.js';
import type { ComponentSpec } from '../model.js';
import { readConfigObject } from './config-object.js';
import { interpolateConfigObject } from './interpolate-config.js';

export interface ComponentSource {
  readonly type: string;
  /** The block header, where diagnostics about the whole component point. */
  readonly range: Range;
  /** The body to decode (a source merged with its build-level block, when there is one). */
  readonly body: Body;
  /** The evaluation context; `generated` holds the build's data at run time. */
  context(generated?: GeneratedData): { ctx: EvalContext; diagnostics: Diagnostic[] };
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
    decode: (schema, generated) => decodeComponent(src, schema, generated),
  };
}

function decodeComponent(src: ComponentSource, schema: ObjectSchema, generated?: GeneratedData): DecodeResult<Record<string, unknown>> {
  const { ctx, diagnostics } = src.context(generated);
  const read = readConfigObject(src.body, schema, ctx, src.range);
  diagnostics.push(...read.diagnostics);
  let object = withOverride(read.object, src.override, src.range);
  // `{{ }}` is rendered in what the template set, before the schema's defaults apply
  // (see interpolate-config.ts): defaults are the component's to render.
  const rendered = interpolateConfigObject(object, schema, src.interpolation);
  if (rendered.kind === 'error') diagnostics.push(errorDiag(`Failed preparing ${src.label}`, rendered.message, src.range));
  else object = rendered.object;
  const decoded = decodeConfig(schema, object);
  diagnostics.push(...decoded.diagnostics);
  return { config: decoded.config, diagnostics, secrets: decoded.secrets };
}

function withOverride(object: ConfigObject, override: ReadonlyMap<string, cty.Value> | undefined, range: Range): ConfigObject {
  if (!override || override.size === 0) return object;
  const entries = new Map(object.entries);
  for (const [k, v] of override) entries.set(k, { kind: 'value', value: v, range });
  return { ...object, entries };
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
