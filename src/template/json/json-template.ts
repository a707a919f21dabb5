/**
 * Legacy JSON templates (sdk `template/parse.go`, `template/template.go`): parsing into a
 * plain typed description, and `Template.Validate`. Errors are values holding Packer's
 * messages; several errors come back as a list (Packer joins them with go-multierror,
 * see {@link formatErrors}).
 */
import { formatJsonSyntaxError, readGoJson, type JsonValue } from './go-json.js';
import { formatFloat } from '../../sdk/interpolate/go-fmt.js';

type JsonObject = { [key: string]: JsonValue };

/** A template variable: `default` is '' when required (JSON null). */
export interface JsonVariable {
  readonly name: string;
  readonly default: string;
  readonly required: boolean;
  readonly sensitive: boolean;
}

/** A builder: `name` defaults to `type`; `config` is every other key. */
export interface JsonBuilder {
  readonly name: string;
  readonly type: string;
  readonly config: JsonObject;
}

/** A provisioner with its meta keys taken out of `config`. */
export interface JsonProvisioner {
  readonly type: string;
  readonly only: readonly string[];
  readonly except: readonly string[];
  /** Builder name → partial config merged over `config` for that build. */
  readonly override: Readonly<Record<string, JsonValue>>;
  /** Go durations as written (`"10s"`), or nanoseconds when a number; undefined when absent. */
  readonly pauseBefore: string | number | undefined;
  readonly timeout: string | number | undefined;
  /** Still a template string (Packer interpolates it with user variables, then needs an int). */
  readonly maxRetries: string | undefined;
  readonly config: JsonObject;
}

/** A post-processor: `name` defaults to `type`. */
export interface JsonPostProcessor {
  readonly name: string;
  readonly type: string;
  readonly only: readonly string[];
  readonly except: readonly string[];
  readonly keepInputArtifact: boolean | undefined;
  readonly config: JsonObject;
}

/** A parsed legacy JSON template. Lists keep the file's order. */
export interface JsonTemplate {
  readonly description: string;
  readonly minPackerVersion: string;
  /** Root-level `_comment`-style keys. */
  readonly comments: Readonly<Record<string, string>>;
  readonly variables: readonly JsonVariable[];
  readonly builders: readonly JsonBuilder[];
  readonly provisioners: readonly JsonProvisioner[];
  readonly cleanupProvisioner: JsonProvisioner | undefined;
  /** Each element is one chain, run in order. */
  readonly postProcessors: readonly (readonly JsonPostProcessor[])[];
}

/** The parsed template or Packer's error messages. */
export type JsonTemplateResult = { kind: 'ok'; template: JsonTemplate } | { kind: 'error'; errors: string[] };

/** Go-multierror's text for a list of errors (what Packer prints). */
export function formatErrors(errors: readonly string[]): string {
  if (errors.length === 1) return `1 error occurred:\n\t* ${errors[0]}\n\n`;
  return `${errors.length} errors occurred:\n\t${errors.map((e) => `* ${e}`).join('\n\t')}\n\n`;
}

/** Go's reflect kind name of a decoded JSON value, as mapstructure's messages print it. */
export function goKind(v: JsonValue): string {
  if (v === null) return 'invalid';
  if (Array.isArray(v)) return 'slice';
  switch (typeof v) {
    case 'string': return 'string';
    case 'number': return 'float64';
    case 'boolean': return 'bool';
    default: return 'map';
  }
}

function goType(v: JsonValue): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object' && v !== null) return 'map[string]interface {}';
  return goKind(v);
}

/** Go's `%v` of a decoded JSON value. */
export function goValueString(v: JsonValue): string {
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValueString).join(' ')}]`;
  switch (typeof v) {
    case 'number': return formatFloat(v, 'g', -1);
    case 'object': return `map[${Object.keys(v).sort().map((k) => `${k}:${goValueString(v[k] ?? null)}`).join(' ')}]`;
    default: return String(v);
  }
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unconvertible(name: string, want: string, v: JsonValue): string {
  return `'${name}' expected type '${want}', got unconvertible type '${goType(v)}', value: '${goValueString(v)}'`;
}

/** mapstructure's weak string decoding (numbers and bools become strings). */
function weakString(v: JsonValue | undefined): string | undefined {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? v.toFixed(0) : String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  return undefined;
}

function stringList(v: JsonValue | undefined, name: string, weak: boolean, errs: string[]): string[] {
  if (v === undefined || v === null) return [];
  if (weak && typeof v !== 'object') return [weakString(v) ?? ''];
  if (!Array.isArray(v)) {
    errs.push(`'${name}': source data must be an array or slice, got ${goKind(v)}`);
    return [];
  }
  return v.map((e, i) => {
    const s = weak ? weakString(e) : typeof e === 'string' ? e : undefined;
    if (s === undefined) errs.push(unconvertible(`${name}[${i}]`, 'string', e));
    return s ?? '';
  });
}

function decodeErrors(errs: string[]): string {
  return `${errs.length} error(s) decoding:\n\n${errs.map((e) => `* ${e}`).sort().join('\n')}`;
}

const PROVISIONER_META = ['except', 'only', 'override', 'pause_before', 'max_retries', 'type', 'timeout'];

function duration(v: JsonValue | undefined, name: string, errs: string[]): string | number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (!/^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$/.test(v)) {
      errs.push(`error decoding '${name}': time: invalid duration ${JSON.stringify(v)}`);
    }
    return v;
  }
  errs.push(unconvertible(name, 'time.Duration', v));
  return undefined;
}

function decodeProvisioner(raw: JsonValue): { ok: JsonProvisioner } | { error: string } {
  // mapstructure decodes nothing from null, so only the missing type is reported.
  if (raw === null) return { error: "Provisioner missing 'type'" };
  if (!isObject(raw)) return { error: `Error decoding provisioner: '' expected a map, got '${goKind(raw)}'` };
  const errs: string[] = [];
  const type = weakString(raw['type']);
  if (type === undefined) errs.push(unconvertible('type', 'string', raw['type'] ?? null));
  const only = stringList(raw['only'], 'only', true, errs);
  const except = stringList(raw['except'], 'except', true, errs);
  const rawOverride = raw['override'];
  // Weak decoding reads an empty list as an empty map.
  const override = Array.isArray(rawOverride) && rawOverride.length === 0 ? {} : rawOverride;
  if (override !== undefined && override !== null && !isObject(override)) errs.push(`'override' expected a map, got '${goKind(override)}'`);
  const pauseBefore = duration(raw['pause_before'], 'pause_before', errs);
  const timeout = duration(raw['timeout'], 'timeout', errs);
  const maxRetries = raw['max_retries'] === undefined ? undefined : weakString(raw['max_retries']);
  if (errs.length > 0) return { error: `Error decoding provisioner: ${decodeErrors(errs)}` };
  if (!type) return { error: "Provisioner missing 'type'" };
  const config: JsonObject = {};
  for (const [k, v] of Object.entries(raw)) if (!PROVISIONER_META.includes(k)) config[k] = v;
  return {
    ok: { type, only, except, override: isObject(override) ? override : {}, pauseBefore, timeout, maxRetries, config },
  };
}

function parsePostProcessorChain(i: number, raw: JsonValue): { ok: JsonObject[] } | { errors: string[] } {
  if (typeof raw === 'string') return { ok: [{ type: raw }] };
  if (isObject(raw)) return { ok: [raw] };
  if (!Array.isArray(raw)) return { errors: [`post-processor ${i + 1}: bad format`] };
  const errors: string[] = [];
  const out: JsonObject[] = [];
  raw.forEach((inner, j) => {
    if (typeof inner === 'string') out.push({ type: inner });
    else if (isObject(inner)) out.push(inner);
    else if (Array.isArray(inner)) errors.push(`post-processor ${i + 1}.${j + 1}: sequence not allowed to be nested in a sequence`);
    else errors.push(`post-processor ${i + 1}.${j + 1}: unknown format`);
  });
  return errors.length > 0 ? { errors } : { ok: out };
}

function decodePostProcessor(c: JsonObject, where: string): { ok: JsonPostProcessor } | { error: string } {
  const errs: string[] = [];
  const str = (k: string): string => {
    const v = c[k];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') errs.push(unconvertible(k, 'string', v));
    return typeof v === 'string' ? v : '';
  };
  const type = str('type');
  const name = str('name');
  const only = stringList(c['only'], 'only', false, errs);
  const except = stringList(c['except'], 'except', false, errs);
  const keep = c['keep_input_artifact'];
  if (keep !== undefined && keep !== null && typeof keep !== 'boolean') errs.push(unconvertible('keep_input_artifact', 'bool', keep));
  if (errs.length > 0) return { error: `${where}: ${decodeErrors(errs)}` };
  if (!type) return { error: `${where}: type is required` };
  const config: JsonObject = {};
  for (const [k, v] of Object.entries(c)) if (!['except', 'only', 'keep_input_artifact', 'type', 'name'].includes(k)) config[k] = v;
  return { ok: { name: name || type, type, only, except, keepInputArtifact: typeof keep === 'boolean' ? keep : undefined, config } };
}

/** How sdk's rawTemplate spells the fields that have no mapstructure tag. */
const ROOT_FIELD_NAMES: Readonly<Record<string, string>> = { description: 'Description', comments: 'Comments', push: 'Push', provisioners: 'Provisioners', variables: 'Variables' };

const ROOT_KEYS = ['min_packer_version', 'description', 'builders', 'comments', 'push', 'post-processors', 'provisioners', 'error-cleanup-provisioner', 'variables', 'sensitive-variables'];

/** Decodes the root object's known keys with mapstructure's (strict) type rules. */
function rootFields(root: JsonObject): { fields: Map<string, JsonValue>; unused: string[]; errs: string[] } {
  const fields = new Map<string, JsonValue>();
  const unused: string[] = [];
  const errs: string[] = [];
  for (const [k, v] of Object.entries(root)) {
    const known = ROOT_KEYS.find((r) => r === k.toLowerCase());
    // mapstructure reads the key spelled as the field when there is one (sdk rawTemplate:
    // `Description`, `Provisioners`… without tags); another case variant is then unused.
    const exact = known === undefined ? '' : ROOT_FIELD_NAMES[known] ?? known;
    if (known === undefined || (k !== exact && Object.hasOwn(root, exact))) {
      unused.push(k);
      continue;
    }
    fields.set(known, v);
    if (v === null) continue;
    switch (known) {
      case 'min_packer_version': case 'description':
        if (typeof v !== 'string') errs.push(unconvertible(exact, 'string', v));
        break;
      case 'builders': case 'provisioners': case 'post-processors': case 'comments': case 'sensitive-variables':
        if (!Array.isArray(v)) errs.push(`'${exact}': source data must be an array or slice, got ${goKind(v)}`);
        else if (known === 'sensitive-variables') stringList(v, exact, false, errs);
        break;
      case 'push': case 'variables':
        if (!isObject(v)) errs.push(`'${exact}' expected a map, got '${goKind(v)}'`);
        break;
      default:
    }
  }
  return { fields, unused: unused.sort(), errs };
}

/** Parses a legacy JSON template's text (sdk `template.Parse`, with ParseFile's syntax-error report). */
export function parseJsonTemplate(text: string | Buffer): JsonTemplateResult {
  const json = readGoJson(text);
  if (json.kind === 'syntax-error') return { kind: 'error', errors: [formatJsonSyntaxError(text, json.message, json.offset)] };
  if (json.kind === 'duplicate') return { kind: 'error', errors: [`template has duplicate field: ${json.key}`] };
  if (!isObject(json.value)) return { kind: 'error', errors: [`'' expected a map, got '${goKind(json.value)}'`] };
  const { fields, unused, errs: typeErrs } = rootFields(json.value);
  if (typeErrs.length > 0) return { kind: 'error', errors: [decodeErrors(typeErrs)] };
  const comments: Record<string, string> = {};
  const errors: string[] = [];
  for (const k of unused) {
    if (k.startsWith('_')) {
      const v = json.value[k];
      if (typeof v !== 'string') return { kind: 'error', errors: [`Failed to cast root level comment value in comment "${k}" to string.`] };
      comments[k] = v;
      continue;
    }
    errors.push(`Unknown root level key in template: '${k}'`);
  }
  if (errors.length > 0) return { kind: 'error', errors };
  return decodeTemplate(fields, comments);
}

function decodeTemplate(fields: Map<string, JsonValue>, comments: Record<string, string>): JsonTemplateResult {
  const errors: string[] = [];
  const arr = (k: string): JsonValue[] => {
    const v = fields.get(k);
    return Array.isArray(v) ? v : [];
  };
  const sensitive = new Set(arr('sensitive-variables').map((v) => String(v)));
  const variables: JsonVariable[] = [];
  const rawVars = fields.get('variables');
  for (const name of isObject(rawVars) ? Object.keys(rawVars).sort() : []) {
    const v = (rawVars as JsonObject)[name] ?? null;
    if (v !== null && typeof v !== 'string') {
      errors.push(`variable ${name}: ${unconvertible('', 'string', v)}`);
      continue;
    }
    variables.push({ name, default: v ?? '', required: v === null, sensitive: sensitive.has(name) });
  }
  const builders: JsonBuilder[] = [];
  arr('builders').forEach((raw, i) => {
    if (!isObject(raw)) {
      errors.push(`builder ${i + 1}: '' expected a map, got '${goKind(raw)}'`);
      return;
    }
    const type = weakString(raw['type']);
    const name = weakString(raw['name']);
    if (type === undefined || name === undefined) {
      errors.push(`builder ${i + 1}: ${decodeErrors([unconvertible(type === undefined ? 'type' : 'name', 'string', raw[type === undefined ? 'type' : 'name'] ?? null)])}`);
      return;
    }
    if (!type) {
      errors.push(`builder ${i + 1}: missing 'type'`);
      return;
    }
    const bname = name || type;
    if (builders.some((b) => b.name === bname)) {
      errors.push(`builder ${i + 1}: builder with name '${bname}' already exists`);
      return;
    }
    const config: JsonObject = {};
    for (const [k, v] of Object.entries(raw)) if (k !== 'name' && k !== 'type') config[k] = v;
    builders.push({ name: bname, type, config });
  });
  const postProcessors: JsonPostProcessor[][] = [];
  arr('post-processors').forEach((raw, i) => {
    const chain = parsePostProcessorChain(i, raw);
    if ('errors' in chain) {
      errors.push(...chain.errors);
      return;
    }
    const pps: JsonPostProcessor[] = [];
    chain.ok.forEach((c, j) => {
      const pp = decodePostProcessor(c, `post-processor ${i + 1}.${j + 1}`);
      if ('error' in pp) errors.push(pp.error);
      else pps.push(pp.ok);
    });
    postProcessors.push(pps);
  });
  const provisioners: JsonProvisioner[] = [];
  arr('provisioners').forEach((raw, i) => {
    const p = decodeProvisioner(raw);
    if ('error' in p) errors.push(`provisioner ${i + 1}: ${p.error}`);
    else provisioners.push(p.ok);
  });
  let cleanupProvisioner: JsonProvisioner | undefined;
  const rawCleanup = fields.get('error-cleanup-provisioner');
  if (rawCleanup !== undefined && rawCleanup !== null) {
    const p = decodeProvisioner(rawCleanup);
    if ('error' in p) errors.push(`On Error Cleanup Provisioner error: ${p.error}`);
    else cleanupProvisioner = p.ok;
  }
  if (errors.length > 0) return { kind: 'error', errors };
  const str = (k: string): string => {
    const v = fields.get(k);
    return typeof v === 'string' ? v : '';
  };
  return {
    kind: 'ok',
    template: {
      description: str('description'),
      minPackerVersion: str('min_packer_version'),
      comments,
      variables,
      builders,
      provisioners,
      cleanupProvisioner,
      postProcessors,
    },
  };
}

function onlyExceptErrors(o: { only: readonly string[]; except: readonly string[] }, names: Set<string>): string[] {
  if (o.only.length > 0 && o.except.length > 0) return ["only one of 'only' or 'except' may be specified"];
  return [
    ...o.only.filter((n) => !names.has(n)).map((n) => `'only' specified builder '${n}' not found`),
    ...o.except.filter((n) => !names.has(n)).map((n) => `'except' specified builder '${n}' not found`),
  ];
}

/** sdk `Template.Validate`: the errors, empty when valid. */
export function validateJsonTemplate(t: JsonTemplate): string[] {
  const errors: string[] = [];
  const names = new Set(t.builders.map((b) => b.name));
  if (t.builders.length === 0) errors.push('at least one builder must be defined');
  t.provisioners.forEach((p, i) => {
    for (const e of onlyExceptErrors(p, names)) errors.push(`provisioner ${i + 1}: ${e}`);
    for (const n of Object.keys(p.override)) if (!names.has(n)) errors.push(`provisioner ${i + 1}: override '${n}' doesn't exist`);
  });
  t.postProcessors.forEach((chain, i) => chain.forEach((p, j) => {
    for (const e of onlyExceptErrors(p, names)) errors.push(`post-processor ${i + 1}.${j + 1}: ${e}`);
  }));
  return errors;
}
