/**
 * One entry point for both template syntaxes (Packer's `Meta.GetConfig` followed by
 * `Initialize` and the model half of `GetBuilds`): the path picks HCL2 or legacy JSON
 * as Packer does, and the result has the same shape either way, plus what the
 * `inspect` and `console` commands need of each syntax.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ComponentRegistry } from '../sdk/component.js';
import type { InterpolateContext } from '../sdk/interpolate/context.js';
import type { EvalContext } from '../hcl/eval-context.js';
import { packerFunctions } from './functions/table.js';
import { TemplateScope } from './hcl2/scope.js';
import type { JsonInitialized } from './json/json-model.js';
import { initializeJsonTemplate, jsonTemplateModel } from './json/json-model.js';
import type { JsonTemplate } from './json/json-template.js';
import { formatErrors, parseJsonTemplate } from './json/json-template.js';
import { parseJsonVarFile } from './json/json-variables.js';
import type { LoadOptions, LoadResult } from './load-hcl2-template.js';
import { PACKER_COMPAT_VERSION } from '../support/version.js';
import { loadHcl2Template } from './load-hcl2-template.js';

/** Packer's template for `console` without a template in JSON mode (TiniestBuilder). */
const TINIEST_BUILDER = '{"builders":[{"type":"null","communicator":"none"}]}';

export interface AnyLoadOptions extends LoadOptions {
  /** `-config-type`: the syntax for `-` (stdin) and for no path at all; default `json`. */
  readonly configType?: 'hcl2' | 'json';
  /** Reads the template from standard input (path `-`). */
  readonly readStdin?: () => string;
}

/** What a legacy JSON template loaded into. */
export interface JsonLoaded {
  readonly template: JsonTemplate;
  /** `-var-file` values overridden by `-var`. */
  readonly provided: Readonly<Record<string, string>>;
  /** Present when Initialize succeeded. */
  readonly initialized?: JsonInitialized;
  /** What `{{ }}` lines render with in `console` (Packer's Core.Context()). */
  readonly interpolation: InterpolateContext;
}

export interface AnyLoadResult extends LoadResult {
  readonly syntax: 'hcl' | 'json';
  /**
   * A failure Packer reports as a plain error line rather than a diagnostic (a path
   * that cannot be read, a JSON template that does not parse, a bad JSON var file).
   * Nothing else is set then.
   */
  readonly failure?: string;
  /** Legacy JSON only. */
  readonly json?: JsonLoaded;
  /** HCL2 without a template (`console -config-type=hcl2`): the console's context. */
  readonly emptyHclContext?: EvalContext;
}

/** Go's wording for the errors Node reports with these codes. */
const GO_ERRNO: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
};

/** `op path: reason` as Go's *PathError prints. */
export function goPathError(op: string, file: string, err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const reason = typeof code === 'string' ? (GO_ERRNO[code] ?? code) : String(err);
  return `${op} ${file}: ${reason}`;
}

/**
 * MetaArgs.GetConfigType: no path or `-` → `-config-type`; `*.pkr.hcl`, `*.pkr.json`
 * or a directory → HCL2; anything else → `-config-type` (JSON by default). A path that
 * cannot be stat'ed is an error (Packer prints `"<path>": stat <path>: ...`).
 */
export function configTypeOf(file: string, explicit: 'hcl2' | 'json' = 'json'): { kind: 'ok'; type: 'hcl2' | 'json' } | { kind: 'error'; message: string } {
  if (file === '' || file === '-') return { kind: 'ok', type: explicit };
  if (file.endsWith('.pkr.hcl') || file.endsWith('.pkr.json')) return { kind: 'ok', type: 'hcl2' };
  try {
    return { kind: 'ok', type: statSync(file).isDirectory() ? 'hcl2' : explicit };
  } catch (err) {
    return { kind: 'error', message: `${JSON.stringify(file)}: ${goPathError('stat', file, err)}` };
  }
}

/**
 * Loads the template at `file` (relative to `options.cwd`), of either syntax. `''`
 * means no template (console). Never throws for user mistakes.
 */
export async function loadEitherSyntax(file: string, options: AnyLoadOptions, registry: ComponentRegistry): Promise<AnyLoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const abs = (p: string): string => path.resolve(cwd, p);
  const type = configTypeOf(file === '' || file === '-' ? file : abs(file), options.configType);
  if (type.kind === 'error') return { syntax: 'json', files: new Map(), diagnostics: [], failure: type.message.replace(JSON.stringify(abs(file)), JSON.stringify(file)).replaceAll(abs(file), file) };
  if (type.type === 'hcl2') {
    if (file === '') return { syntax: 'hcl', files: new Map(), diagnostics: [], emptyHclContext: emptyHclContext(cwd, options.env ?? process.env) };
    const r = await loadHcl2Template(file, { ...options, cwd }, registry);
    return { ...r, syntax: 'hcl' };
  }
  return loadJson(file, options, cwd, registry);
}

async function loadJson(file: string, options: AnyLoadOptions, cwd: string, registry: ComponentRegistry): Promise<AnyLoadResult> {
  const fail = (failure: string): AnyLoadResult => ({ syntax: 'json', files: new Map(), diagnostics: [], failure });
  let text: string;
  try {
    if (file === '') text = TINIEST_BUILDER;
    else if (file === '-') text = options.readStdin?.() ?? '';
    else text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (err) {
    return fail(parseFailure(goPathError('open', file, err)));
  }
  const parsed = parseJsonTemplate(text);
  if (parsed.kind === 'error') return fail(parseFailure(parseErrorText(parsed.errors)));
  const provided: Record<string, string> = {};
  for (const varFile of options.varFiles ?? []) {
    let body: string;
    try {
      body = readFileSync(path.resolve(cwd, varFile), 'utf8');
    } catch (err) {
      return fail(goPathError('open', varFile, err));
    }
    const r = parseJsonVarFile(body);
    if (r.kind === 'error') return fail(`Error reading variables in '${varFile}': ${r.errors.join('\n')}`);
    Object.assign(provided, r.values);
  }
  for (const [k, v] of options.vars ?? []) provided[k] = v;
  const templatePath = file === '' || file === '-' ? undefined : path.resolve(cwd, file);
  const interpolation: InterpolateContext = { env: options.env ?? process.env, cwd };
  const modelOptions = {
    ...(templatePath !== undefined ? { templatePath } : {}),
    ...(options.only ? { only: options.only } : {}),
    ...(options.except ? { except: options.except } : {}),
    interpolation,
    packerVersion: options.packerVersion ?? PACKER_COMPAT_VERSION,
  };
  const consoleContext: InterpolateContext = { ...interpolation, ...(templatePath !== undefined ? { templatePath } : {}), userVariables: provided };
  const base = { syntax: 'json' as const, files: new Map(), parseDiagnosticCount: 0 };
  if (options.syntaxOnly) return { ...base, diagnostics: [], json: { template: parsed.template, provided, interpolation: consoleContext } };
  const init = initializeJsonTemplate(parsed.template, provided, modelOptions);
  if (init.kind === 'error') return { ...base, diagnostics: init.diagnostics, json: { template: parsed.template, provided, interpolation: consoleContext } };
  const json: JsonLoaded = { template: parsed.template, provided, initialized: init.value, interpolation: { ...consoleContext, userVariables: init.value.userVariables } };
  const built = await jsonTemplateModel(parsed.template, provided, registry, modelOptions);
  return { ...base, diagnostics: built.diagnostics, json, ...(built.model ? { model: built.model } : {}) };
}

/** Errors Packer's template.Parse returns alone; the others come joined by go-multierror. */
const SINGLE_PARSE_ERROR = /^(Error parsing JSON|template has duplicate field|'' expected a map|\d+ error\(s\) decoding|Failed to cast root level comment)/;

/** Packer's text for template.Parse errors. */
export function parseErrorText(errors: readonly string[]): string {
  const first = errors[0] ?? '';
  return errors.length === 1 && SINGLE_PARSE_ERROR.test(first) ? first : formatErrors(errors);
}

/** GetConfigFromJSON's message when a legacy JSON template does not parse. */
export function parseFailure(err: string): string {
  return (
    'Failed to parse file as legacy JSON template: if you are using an HCL template, check your file extensions; ' +
    'they should be either *.pkr.hcl or *.pkr.json; see the docs for more details: ' +
    `https://www.packer.io/docs/templates/hcl_templates. \nOriginal error: ${err}`
  );
}

/** The console context of an HCL2 session without a template: functions, `path`, `packer`. */
function emptyHclContext(cwd: string, env: Readonly<Record<string, string | undefined>>): EvalContext {
  const scope = new TemplateScope('.', path.resolve(cwd), PACKER_COMPAT_VERSION, packerFunctions({ baseDir: '.', env }));
  return scope.context('console');
}
