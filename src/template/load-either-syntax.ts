/**
 * One entry point for both template syntaxes (Packer's `Meta.GetConfig` followed by
 * `Initialize` and the model half of `GetBuilds`): the path picks HCL2 or legacy JSON
 * as Packer does, and the result has the same shape either way, plus what the
 * `inspect` and `console` commands need of each syntax.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { ComponentRegistry } from '../sdk/component.js';
import type { InterpolateContext } from '../sdk/interpolate/context.js';
import type { EvalContext } from '../hcl/eval-context.js';
import type { JsonInitialized } from './json/json-model.js';
import type { JsonTemplate } from './json/json-template.js';
import { TemplateScope } from './hcl2/scope.js';
import type { LoadOptions, LoadResult } from './load-hcl2-template.js';
import { PACKER_COMPAT_VERSION } from '../support/version.js';
import { loadHcl2Template } from './load-hcl2-template.js';

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
 * means no template (console). Never throws for user mistakes. The JSON template code
 * and the HCL function table are imported only when this load needs them.
 */
export async function loadEitherSyntax(file: string, options: AnyLoadOptions, registry: ComponentRegistry): Promise<AnyLoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const abs = (p: string): string => path.resolve(cwd, p);
  const type = configTypeOf(file === '' || file === '-' ? file : abs(file), options.configType);
  if (type.kind === 'error') return { syntax: 'json', files: new Map(), diagnostics: [], failure: type.message.replace(JSON.stringify(abs(file)), JSON.stringify(file)).replaceAll(abs(file), file) };
  if (type.type === 'hcl2') {
    if (file === '') return { syntax: 'hcl', files: new Map(), diagnostics: [], emptyHclContext: await emptyHclContext(cwd, options.env ?? process.env) };
    const r = await loadHcl2Template(file, { ...options, cwd }, registry);
    return { ...r, syntax: 'hcl' };
  }
  const { loadJson } = await import('./json/load-json.js');
  return loadJson(file, options, cwd, registry);
}

/** The console context of an HCL2 session without a template: functions, `path`, `packer`. */
async function emptyHclContext(cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<EvalContext> {
  const { packerFunctions } = await import('./functions/table.js');
  const scope = new TemplateScope('.', path.resolve(cwd), PACKER_COMPAT_VERSION, packerFunctions({ baseDir: '.', env }));
  return scope.context('console');
}
