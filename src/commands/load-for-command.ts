/**
 * Loading a template of either syntax for a command (Packer's `Meta.GetConfig`,
 * `Initialize` and the model half of `GetBuilds`), reading the MetaArgs flags
 * (`-var`, `-var-file`, `-only`, `-except`, `-config-type`,
 * `-use-sequential-evaluation`), and printing diagnostics as Packer's `writeDiags`
 * does: HCL's text format at width 80, through the UI's error stream when any is an
 * error, its say stream otherwise. kiln always quotes the source line of a
 * diagnostic that has a range (Packer only does for parse-phase ones).
 */
import { readFileSync } from 'node:fs';
import * as cty from '../hcl/cty/index.js';
import type { Diagnostic } from '../hcl/diagnostic.js';
import { hasErrors } from '../hcl/diagnostic.js';
import type { SourceFile } from '../hcl/diagnostic-text.js';
import { renderDiagnostics } from '../hcl/diagnostic-text.js';
import { variableStatements } from '../hcl/diagnostic-vars.js';
import type { PreparedBuild } from '../core/prepare.js';
import { diagnosticInfo } from '../core/ui/diagnostic-codes.js';
import type { ComponentRegistry, PackerConfig } from '../sdk/component.js';
import type { OnError } from '../sdk/multistep/runner.js';
import { PACKER_COMPAT_VERSION } from '../support/version.js';
import type { AnyLoadResult } from '../template/load-either-syntax.js';
import { loadEitherSyntax } from '../template/load-either-syntax.js';
import type { BuildSpec, TemplateModel } from '../template/model.js';
import { builtinRegistry } from '../plugins/registry.js';
import type { CommandContext, CommandIO } from './command.js';
import type { ParsedFlags } from './flags.js';
import type { Output } from './output.js';
import { createOutput } from './output.js';

/** What a command asks of the load beyond the MetaArgs flags. */
export interface TemplateLoadOptions {
  /** Stop after parsing and collecting variable values (`validate -syntax-only`). */
  readonly syntaxOnly?: boolean;
  /** Run data sources; default true (`validate` passes its `-evaluate-datasources`). */
  readonly evaluateDatasources?: boolean;
  /** Warn about var-file values no variable declares (`validate` by default, `build -warn-on-undeclared-var`). */
  readonly warnOnUndeclaredVar?: boolean;
  /** Cancels running data sources. */
  readonly signal?: AbortSignal;
  /** Every function in the evaluation contexts, called by the template or not (`console`). */
  readonly allFunctions?: boolean;
}

/** A loaded template, with its diagnostics split by Packer's phases and rendered. */
export interface LoadedTemplate {
  readonly syntax: 'hcl' | 'json';
  /** The config model; undefined when loading found errors (or stopped after parsing). */
  readonly model?: TemplateModel;
  /** Parsed files by the name diagnostics use, for rendering later diagnostics. */
  readonly files: ReadonlyMap<string, SourceFile>;
  /**
   * A problem Packer prints as a plain error line, not a diagnostic: a bad `-var`, a
   * path that cannot be read, a legacy JSON template or JSON var file that does not
   * parse. Nothing was loaded then; print it with `out.emitter.error` and exit 1.
   */
  readonly failure?: string;
  /** Diagnostics of parsing the files and collecting variable values (GetConfig). */
  readonly parseDiagnostics: readonly Diagnostic[];
  /** Diagnostics of initialising and building the model (Initialize, GetBuilds). */
  readonly initDiagnostics: readonly Diagnostic[];
  /** `parseDiagnostics` rendered ('' when none). */
  readonly renderedParse: string;
  /** `initDiagnostics` rendered ('' when none). */
  readonly renderedInit: string;
  /** Secret strings to register with the output's filter (sensitive variables and locals). */
  readonly secrets: readonly string[];
  /** Everything the template layer returned (descriptions for inspect and console). */
  readonly loaded: AnyLoadResult;
}

/** `-var k=v` values as ordered pairs, or Go flag's error for one without `=`. */
export function parseVarFlags(raw: readonly string[]): [string, string][] | string {
  const pairs: [string, string][] = [];
  for (const arg of raw) {
    const eq = arg.indexOf('=');
    if (eq < 0) return `invalid value "${arg}" for flag -var: No '=' value in arg: ${arg}`;
    pairs.push([arg.slice(0, eq), arg.slice(eq + 1)]);
  }
  return pairs;
}

/** Renders diagnostics as Packer prints them (HCL text format, width 80, `with var.x as ...` lines). */
export function renderTemplateDiagnostics(diags: readonly Diagnostic[], files: ReadonlyMap<string, SourceFile>): string {
  return renderDiagnostics(diags, files, { width: 80, variableStatements });
}

/**
 * Packer's writeDiags: prints the rendered diagnostics through the UI — as an error
 * when any is an error, else as a say — and returns the exit code (1 on errors).
 */
export function writeDiagnostics(out: Output, diags: readonly Diagnostic[], files: ReadonlyMap<string, SourceFile>): 0 | 1 {
  if (diags.length === 0) return 0;
  // For machine readers (-json, CI annotations); the human and machine-readable outputs ignore these.
  for (const d of diags) out.emitter.emit({ kind: 'diagnostic', diagnostic: diagnosticInfo(d) });
  const text = renderTemplateDiagnostics(diags, files);
  if (hasErrors(diags)) {
    out.emitter.error(text);
    return 1;
  }
  out.emitter.say(text);
  return 0;
}

/**
 * What a command does first with a loaded template (the GetConfig half of Packer's
 * commands): registers its secrets with the output's filter, then prints a failure as
 * an error line, or the parse-phase diagnostics as `writeDiagnostics` does. Returns 1
 * when the command must stop with exit 1 (a failure or a parse error), else 0.
 */
export function reportParsePhase(out: Output, loaded: LoadedTemplate): 0 | 1 {
  for (const s of loaded.secrets) out.secrets.register(s);
  if (loaded.failure !== undefined) {
    out.emitter.error(loaded.failure);
    return 1;
  }
  return writeDiagnostics(out, loaded.parseDiagnostics, loaded.files);
}

/**
 * `console` and `inspect`: loads the one positional TEMPLATE ('' when there is none or
 * more than one) with the built-in components into a plain, colourless output and
 * reports the parse phase; initialisation problems are left to the caller (both
 * ignore them). Undefined when the command must exit 1.
 */
export async function loadForReading(ctx: CommandContext, options: TemplateLoadOptions = {}): Promise<{ out: Output; loaded: LoadedTemplate } | undefined> {
  const template = ctx.flags.positional.length === 1 ? (ctx.flags.positional[0] ?? '') : '';
  const out = createOutput(ctx, { machineReadable: ctx.machineReadable, color: false, timestampUi: false });
  const loaded = await loadAnyTemplate(template, ctx.flags, ctx, builtinRegistry(), options);
  return reportParsePhase(out, loaded) === 0 ? { out, loaded } : undefined;
}

const list = (flags: ParsedFlags, name: string): string[] => (flags.values.get(name) as string[] | undefined) ?? [];

/**
 * Loads `path` ('' for none: `console` without a template) with the MetaArgs of
 * `flags`, relative to `io.cwd` and with `io.env`. `-` reads the template from
 * standard input. Never throws for user mistakes.
 */
export async function loadAnyTemplate(
  path: string,
  flags: ParsedFlags,
  io: CommandIO,
  registry: ComponentRegistry,
  options: TemplateLoadOptions = {},
): Promise<LoadedTemplate> {
  const vars = parseVarFlags(list(flags, 'var'));
  if (typeof vars === 'string') {
    const loaded: AnyLoadResult = { syntax: 'json', files: new Map(), diagnostics: [], failure: vars };
    return { syntax: 'json', files: loaded.files, failure: vars, parseDiagnostics: [], initDiagnostics: [], renderedParse: '', renderedInit: '', secrets: [], loaded };
  }
  const configType = flags.values.get('config-type');
  const loaded = await loadEitherSyntax(
    path,
    {
      vars,
      varFiles: list(flags, 'var-file'),
      env: io.env,
      cwd: io.cwd,
      only: list(flags, 'only'),
      except: list(flags, 'except'),
      useSequentialEvaluation: flags.values.get('use-sequential-evaluation') === true,
      warnOnUndeclaredVar: options.warnOnUndeclaredVar ?? false,
      evaluateDatasources: options.evaluateDatasources ?? true,
      syntaxOnly: options.syntaxOnly ?? false,
      ...(options.allFunctions === true ? { allFunctions: true } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(configType === 'hcl2' || configType === 'json' ? { configType } : {}),
      readStdin: () => readFileSync(0, 'utf8'),
    },
    registry,
  );
  const split = loaded.parseDiagnosticCount ?? loaded.diagnostics.length;
  const parseDiagnostics = loaded.diagnostics.slice(0, split);
  const initDiagnostics = loaded.diagnostics.slice(split);
  return {
    syntax: loaded.syntax,
    ...(loaded.model ? { model: loaded.model } : {}),
    files: loaded.files,
    ...(loaded.failure !== undefined ? { failure: loaded.failure } : {}),
    parseDiagnostics,
    initDiagnostics,
    renderedParse: parseDiagnostics.length > 0 ? renderTemplateDiagnostics(parseDiagnostics, loaded.files) : '',
    renderedInit: initDiagnostics.length > 0 ? renderTemplateDiagnostics(initDiagnostics, loaded.files) : '',
    secrets: secretsOf(loaded),
    loaded,
  };
}

/** The strings to mask: the model's, or (when loading failed) those of sensitive variables and locals. */
function secretsOf(loaded: AnyLoadResult): string[] {
  if (loaded.model) return [...loaded.model.secrets];
  if (loaded.json?.initialized) return [...loaded.json.initialized.secrets];
  const out = new Set<string>();
  for (const v of [...(loaded.description?.variables ?? []), ...(loaded.description?.locals ?? [])]) {
    if (v.sensitive) stringsIn(v.value, out);
  }
  return [...out];
}

/** How a run sets the `packer_*` values components see. */
export interface RunFlags {
  readonly debug?: boolean;
  readonly force?: boolean;
  readonly onError?: OnError;
}

/** The PackerConfig of one build of `model` (Packer's `packer_*` config keys). */
export function packerConfigFor(model: TemplateModel, build: BuildSpec, run: RunFlags = {}): PackerConfig {
  return {
    buildName: build.sourceName,
    builderType: build.builder.type,
    coreVersion: PACKER_COMPAT_VERSION,
    debug: run.debug ?? false,
    force: run.force ?? false,
    onError: run.onError ?? 'cleanup',
    ...(model.templatePath !== undefined ? { templatePath: model.templatePath } : {}),
    userVariables: model.userVariables,
    sensitiveVariables: model.sensitiveVariables,
  };
}

/** Prepares every build of `model` through the registry (GetBuilds' Prepare half; core/prepare is loaded here, on first use). */
export async function prepareModel(model: TemplateModel, registry: ComponentRegistry, run: RunFlags = {}): Promise<{ builds: PreparedBuild[]; diagnostics: Diagnostic[]; secrets: string[] }> {
  const { prepareBuilds } = await import('../core/prepare.js');
  return prepareBuilds(model.builds, registry, (b) => packerConfigFor(model, b, run));
}

/** Every non-empty string inside `v` (for the secret filter). */
function stringsIn(v: cty.Value, out: Set<string> = new Set()): Set<string> {
  const [bare] = cty.unmarkDeep(v);
  if (!bare.isKnown() || bare.isNull()) return out;
  switch (bare.type.kind) {
    case 'string':
      if (bare.asString() !== '') out.add(bare.asString());
      return out;
    case 'list':
    case 'set':
    case 'tuple':
      for (const e of bare.asArray()) stringsIn(e, out);
      return out;
    case 'map':
    case 'object':
      for (const e of bare.asMap().values()) stringsIn(e, out);
      return out;
    default:
      return out;
  }
}
