/**
 * Legacy JSON templates as the config model (packer `Core.Initialize`, `Core.BuildNames`
 * and `Core.Build`): the template is validated, its variables resolved, its builder
 * names rendered; `-only`/`-except` pick builds by exact name; each build gets its
 * provisioners and post-processor chains as lazily decoded component specs.
 *
 * Naming (reference §4.4): a build's bare name is the builder's `name` (defaults to its
 * `type`) after rendering; it is what `-only`/`-except`, `{{build_name}}` and
 * `packer_build_name` see. Provisioner `only`/`except`/`override` and post-processor
 * `only`/`except` compare against the builder's name as written (Packer's `rawName`).
 * A named builder is displayed `<type>.<name>`.
 *
 * Decoding (reference §4.5): a component's raw JSON object is rendered with Packer's
 * Go-template engine (fields marked `late()` excepted), then decoded against the
 * component's schema with the JSON dialect's messages. Provisioners and
 * post-processors see placeholder build data while preparing (`{{ .Host }}` renders
 * `Build_Host. To set this dynamically ...`), the build's real data afterwards.
 */
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag } from '../../hcl/diagnostic.js';
import type { ComponentRegistry } from '../../sdk/component.js';
import { parseDuration } from '../../sdk/duration.js';
import type { InterpolateContext } from '../../sdk/interpolate/context.js';
import { PLACEHOLDER_MSG } from '../../sdk/interpolate/context.js';
import { render } from '../../sdk/interpolate/render.js';
import { decodeComponentConfig } from '../../sdk/schema/decode-config.js';
import { jsonToCty } from '../../sdk/schema/json-input.js';
import type { ComponentSchema } from '../../sdk/schema/spec.js';
import { BUILDER_DATA_COMMON_KEYS } from '../hcl2/builds.js';
import { unknownComponentDetail } from '../unknown-component.js';
import type { BuildData, BuildSpec, ComponentSpec, PostProcessorSpec, ProvisionerSpec, TemplateModel } from '../model.js';
import type { JsonValue } from './go-json.js';
import type { JsonBuilder, JsonPostProcessor, JsonProvisioner, JsonTemplate } from './json-template.js';
import { formatErrors, validateJsonTemplate } from './json-template.js';
import { checkMinPackerVersion, resolveJsonVariables } from './json-variables.js';

export interface JsonModelOptions {
  /** Absolute path of the template file (`template_dir`, `packer_template_path`); undefined for stdin. */
  readonly templatePath?: string;
  /** `-only`: exact build names. */
  readonly only?: readonly string[];
  /** `-except`: exact build names; also post-processor names (dropping the rest of that chain). */
  readonly except?: readonly string[];
  /** env, cwd, start time and secret back ends for rendering; `userVariables` is set here. */
  readonly interpolation?: InterpolateContext;
  /** The Packer version `min_packer_version` is checked against. */
  readonly packerVersion?: string;
}

/** Packer's Initialize result for a JSON template: the resolved variables and the builds by rendered name. */
export interface JsonInitialized {
  readonly userVariables: Record<string, string>;
  /** Rendered build name → builder. */
  readonly builds: ReadonlyMap<string, JsonBuilder>;
  /** The rendering context every component starts from. */
  readonly interpolation: InterpolateContext;
  /** Values of `sensitive-variables`, to mask. */
  readonly secrets: readonly string[];
}

/** A diagnostic as Packer makes one from a Go error during Initialize: no summary, the error as detail. */
function initError(detail: string): Diagnostic {
  return { severity: 'error', summary: '', detail };
}

/**
 * Core.Initialize: Template.Validate, `min_packer_version`, required variables, the
 * iterative rendering of variables, then the builder names. `provided` holds the
 * `-var-file` values overridden by `-var`.
 */
export function initializeJsonTemplate(
  t: JsonTemplate,
  provided: Readonly<Record<string, string>>,
  opts: JsonModelOptions = {},
): { kind: 'ok'; value: JsonInitialized } | { kind: 'error'; diagnostics: Diagnostic[] } {
  const invalid = validateJsonTemplate(t);
  if (invalid.length > 0) return { kind: 'error', diagnostics: [initError(formatErrors(invalid))] };
  const version = checkMinPackerVersion(t.minPackerVersion, opts.packerVersion);
  if (version !== undefined) return { kind: 'error', diagnostics: [initError(version)] };
  const base: InterpolateContext = { ...opts.interpolation, ...(opts.templatePath !== undefined ? { templatePath: opts.templatePath } : {}) };
  const vars = resolveJsonVariables(t, provided, base);
  if (vars.kind === 'error') {
    const multi = vars.errors.length > 1 || vars.errors[0]?.startsWith('required variable not set:') === true;
    return { kind: 'error', diagnostics: [initError(multi ? formatErrors(vars.errors) : (vars.errors[0] ?? ''))] };
  }
  const interpolation: InterpolateContext = { ...base, userVariables: vars.values };
  const builds = new Map<string, JsonBuilder>();
  for (const b of t.builders) {
    const r = render(b.name, interpolation);
    if (r.kind === 'error') return { kind: 'error', diagnostics: [initError(`Error interpolating builder '${b.name}': ${r.message}`)] };
    builds.set(r.value, b);
  }
  const secrets = t.variables.filter((v) => v.sensitive).map((v) => vars.values[v.name] ?? '').filter((s) => s !== '');
  return { kind: 'ok', value: { userVariables: vars.values, builds, interpolation, secrets } };
}

/** Core.BuildNames: sorted names, `-only` and `-except` as exact matches. */
export function jsonBuildNames(builds: ReadonlyMap<string, JsonBuilder>, only: readonly string[] = [], except: readonly string[] = []): string[] {
  return [...builds.keys()]
    .filter((n) => (only.length === 0 || only.includes(n)) && !except.includes(n))
    .sort();
}

/** The displayed name of a build: `<type>.<name>` for a named builder. */
export function jsonDisplayName(name: string, builder: JsonBuilder): string {
  return builder.type !== builder.name ? `${builder.type}.${name}` : name;
}

/**
 * The whole pipeline: Initialize, then one build spec per selected build. Builds whose
 * components are unknown are reported (`Failed to initialize build "x"`) and left out;
 * the model is undefined when anything failed.
 */
export async function jsonTemplateModel(
  t: JsonTemplate,
  provided: Readonly<Record<string, string>>,
  registry: ComponentRegistry,
  opts: JsonModelOptions = {},
): Promise<{ model?: TemplateModel; diagnostics: Diagnostic[] }> {
  const init = initializeJsonTemplate(t, provided, opts);
  if (init.kind === 'error') return { diagnostics: init.diagnostics };
  const { builds, userVariables, secrets } = init.value;
  const diagnostics: Diagnostic[] = [];
  const specs: BuildSpec[] = [];
  for (const name of jsonBuildNames(builds, opts.only, opts.except)) {
    const builder = builds.get(name);
    if (!builder) continue;
    const r = await buildSpec(t, name, builder, init.value, registry, opts.except ?? []);
    if (r.kind === 'error') diagnostics.push(errorDiag(`Failed to initialize build "${name}"`, r.message));
    else specs.push(r.spec);
  }
  if (diagnostics.length > 0) return { diagnostics };
  return {
    model: {
      syntax: 'json',
      ...(opts.templatePath !== undefined ? { templatePath: opts.templatePath } : {}),
      builds: specs,
      userVariables,
      sensitiveVariables: t.variables.filter((v) => v.sensitive).map((v) => v.name),
      secrets,
      warnings: [],
    },
    diagnostics,
  };
}

/** sdk OnlyExcept.Skip. */
function skips(c: { readonly only: readonly string[]; readonly except: readonly string[] }, name: string): boolean {
  if (c.only.length > 0 && !c.only.includes(name)) return true;
  return c.except.includes(name);
}

/** Placeholder build data while preparing (packer BasicPlaceholderData plus the builder's keys). */
export function placeholderData(generatedKeys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...BUILDER_DATA_COMMON_KEYS, ...generatedKeys]) out[k] = `Build_${k}. ${PLACEHOLDER_MSG}`;
  // Packer lets the WinRM password through unrendered for backwards compatibility.
  if (!generatedKeys.includes('WinRMPassword')) out['WinRMPassword'] = '{{.WinRMPassword}}';
  return out;
}

type SpecResult = { kind: 'ok'; spec: BuildSpec } | { kind: 'error'; message: string };

async function buildSpec(t: JsonTemplate, name: string, builder: JsonBuilder, init: JsonInitialized, registry: ComponentRegistry, except: readonly string[]): Promise<SpecResult> {
  if (!registry.has('builder', builder.type)) return { kind: 'error', message: unknownComponentDetail('builder', builder.type, registry) };
  const rawName = builder.name;
  const ctx: InterpolateContext = { ...init.interpolation, buildName: name, buildType: builder.type };
  const provisioner = (p: JsonProvisioner): { kind: 'ok'; spec: ProvisionerSpec } | { kind: 'error'; message: string } => {
    if (!registry.has('provisioner', p.type)) return { kind: 'error', message: unknownComponentDetail('provisioner', p.type, registry) };
    const override = p.override[rawName];
    const raw = isObject(override) ? { ...p.config, ...override } : p.config;
    let maxRetries = 0;
    if (p.maxRetries !== undefined && p.maxRetries !== '') {
      const r = render(p.maxRetries, init.interpolation);
      if (r.kind === 'error') return { kind: 'error', message: `failed to interpolate \`max_retries\`: ${r.message}` };
      if (!/^[+-]?\d+$/.test(r.value)) return { kind: 'error', message: `\`max_retries\` must be a valid integer: strconv.Atoi: parsing ${JSON.stringify(r.value)}: invalid syntax` };
      maxRetries = Number.parseInt(r.value, 10);
    }
    const pauseBefore = durationMs(p.pauseBefore);
    const timeout = durationMs(p.timeout);
    return {
      kind: 'ok',
      spec: {
        ...jsonComponent(p.type, raw, ctx),
        ...(pauseBefore ? { pauseBefore } : {}),
        maxRetries,
        ...(timeout ? { timeout } : {}),
        continueOnError: false,
      },
    };
  };
  const provisioners: ProvisionerSpec[] = [];
  for (const p of t.provisioners) {
    if (skips(p, rawName)) continue;
    const r = provisioner(p);
    if (r.kind === 'error') return r;
    provisioners.push(r.spec);
  }
  let cleanup: ProvisionerSpec | undefined;
  if (t.cleanupProvisioner) {
    const r = provisioner(t.cleanupProvisioner);
    if (r.kind === 'error') return r;
    cleanup = r.spec;
  }
  const chains: PostProcessorSpec[][] = [];
  for (const chain of t.postProcessors) {
    const specs: PostProcessorSpec[] = [];
    for (const pp of chain) {
      if (skips(pp, rawName)) continue;
      if (except.some((e) => e !== '' && e === pp.name)) break;
      if (!registry.has('post-processor', pp.type)) return { kind: 'error', message: unknownComponentDetail('post-processor', pp.type, registry) };
      specs.push(postProcessorSpec(pp, ctx));
    }
    if (specs.length > 0) chains.push(specs);
  }
  return {
    kind: 'ok',
    spec: {
      name: jsonDisplayName(name, builder),
      sourceName: name,
      builder: jsonComponent(builder.type, builder.config, ctx),
      provisioners,
      ...(cleanup ? { errorCleanupProvisioner: cleanup } : {}),
      postProcessors: chains,
    },
  };
}

function postProcessorSpec(pp: JsonPostProcessor, ctx: InterpolateContext): PostProcessorSpec {
  return {
    ...jsonComponent(pp.type, pp.config, ctx),
    name: pp.name,
    ...(pp.keepInputArtifact !== undefined ? { keepInputArtifact: pp.keepInputArtifact } : {}),
  };
}

/** Milliseconds of a Go duration as written, or nanoseconds as a number; 0 when absent or invalid. */
function durationMs(v: string | number | undefined): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v / 1e6;
  const r = parseDuration(v);
  return r.kind === 'ok' ? r.ms : 0;
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A component whose config is the raw JSON object `raw`, decoded by the one decode
 * path (`decodeComponentConfig`): rendered (late fields kept for the component), then
 * read through the component's spec with the JSON dialect's messages. A provisioner's
 * or post-processor's `build` data is the builder's generated-data keys as Packer's
 * placeholders while preparing, the real values afterwards; builders get none.
 */
export function jsonComponent(type: string, raw: Readonly<Record<string, JsonValue>>, ctx: InterpolateContext): ComponentSpec {
  return {
    type,
    decode<S extends ComponentSchema>(schema: S, build?: BuildData) {
      const data = build ? (build.data ?? placeholderData(build.keys)) : undefined;
      return decodeComponentConfig(schema, { kind: 'json', raw }, { ...ctx, ...(data !== undefined ? { data } : {}) });
    },
    raw: () => jsonToCty(raw),
  };
}
