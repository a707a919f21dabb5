/**
 * Loading a legacy JSON template for a command (the JSON half of `loadEitherSyntax`):
 * Packer's template.Parse, the `-var-file`/`-var` values, Initialize and the model.
 * Its own module so that HCL2 templates never load the JSON template code (the
 * `{{ }}` interpreter, the JSON model); `load-either-syntax.ts` imports it on use.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ComponentRegistry } from '../../sdk/component.js';
import type { InterpolateContext } from '../../sdk/interpolate/context.js';
import { PACKER_COMPAT_VERSION } from '../../support/version.js';
import type { AnyLoadOptions, AnyLoadResult, JsonLoaded } from '../load-either-syntax.js';
import { goPathError } from '../load-either-syntax.js';
import { initializeJsonTemplate, jsonTemplateModel } from './json-model.js';
import { formatErrors, parseJsonTemplate } from './json-template.js';
import { parseJsonVarFile } from './json-variables.js';

/** Packer's template for `console` without a template in JSON mode (TiniestBuilder). */
const TINIEST_BUILDER = '{"builders":[{"type":"null","communicator":"none"}]}';

/** Loads the legacy JSON template `file` ('' for console's tiniest template, '-' for stdin) relative to `cwd`. */
export async function loadJson(file: string, options: AnyLoadOptions, cwd: string, registry: ComponentRegistry): Promise<AnyLoadResult> {
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
