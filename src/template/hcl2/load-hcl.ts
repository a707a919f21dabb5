/**
 * Loading an HCL2 template, in Packer's phases (reference §2.2): parse every file;
 * check `required_version`; check the top-level schema; read `required_plugins`,
 * variables, data sources and locals; collect variable values (this file: Packer's
 * Parse, all `validate -syntax-only` does); then initialise (validate values, evaluate
 * data sources and locals, read sources and builds, check component types) and build
 * the model (GetBuilds without preparing components: core prepares them through
 * `ComponentSpec.decode`) — initialize.ts, imported only when a command goes on.
 */
import path from 'node:path';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../../hcl/diagnostic.js';
import type { SourceFile } from '../../hcl/diagnostic-text.js';
import type { ComponentRegistry } from '../../sdk/component.js';
import type { LoadOptions, LoadResult } from '../load-hcl2-template.js';
import { decodeDataBlock } from './datasources.js';
import { describe } from './describe.js';
import type { ParsedFile } from './files.js';
import { AUTO_VARS_HCL_EXT, AUTO_VARS_JSON_EXT, findFiles, HCL_EXT, JSON_EXT, parseFile } from './files.js';
import { checkDuplicateLocals, decodeLocalBlock, decodeLocalsBlock } from './locals.js';
import { checkRequiredVersions, decodeRequiredPlugins } from './packer-block.js';
import { TemplateScope } from './scope.js';
import { CONFIG_SCHEMA } from './top-level.js';
import type { DataDefinition, LocalDefinition, RequiredPlugin } from './types.js';
import { noConfigFile } from './unplaced-diagnostics.js';
import { collectVariableValues } from './variable-values.js';
import { decodeVariableBlock, decodeVariablesBlock, defaultsContext } from './variables.js';

/** The load's options, with the Packer version settled. */
export type HclLoadOptions = LoadOptions & { readonly packerVersion: string };

/** Everything read from the files before initialisation. */
export interface Parsed {
  readonly files: readonly ParsedFile[];
  readonly scope: TemplateScope;
  readonly data: Map<string, DataDefinition>;
  readonly locals: LocalDefinition[];
  readonly requiredPlugins: RequiredPlugin[];
}

/**
 * Loads an HCL2 template. `validate -syntax-only` (`opts.syntaxOnly`) stops after
 * Packer's Parse — files parsed, `required_version` checked, declarations read,
 * variable defaults (with `env` only) and values collected — and loads nothing of
 * the later phases: its description's console context has no functions.
 */
export async function loadHcl(target: string, opts: HclLoadOptions, registry: ComponentRegistry): Promise<LoadResult> {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, SourceFile>();
  const parsedFiles = await parseTemplateFiles(target, sources, diagnostics);
  if (parsedFiles === undefined) return { files: sources, diagnostics };

  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const found = findFiles(target, HCL_EXT, JSON_EXT);
  const basedir = found.isDir ? target : path.dirname(target);
  const later = opts.syntaxOnly ? undefined : await import('./initialize.js');
  const called = opts.allFunctions === true || parsedFiles.some((f) => f.mayCallFunctions());
  const fns = await later?.loadFunctions(basedir, env, called, opts.secrets);
  const scope = new TemplateScope(basedir, path.resolve(cwd), opts.packerVersion, fns?.functions ?? new Map());

  const versionDiags = checkRequiredVersions(
    parsedFiles.map((f) => f.body),
    opts.packerVersion,
  );
  diagnostics.push(...versionDiags);
  if (hasErrors(versionDiags)) return { files: sources, diagnostics };

  const parsed = readDeclarations(parsedFiles, scope, env, diagnostics);
  const varFiles = await parseVarFiles(target, found.isDir, opts.varFiles ?? [], sources, diagnostics);
  diagnostics.push(
    ...collectVariableValues(scope.variables, { env, varFiles, vars: opts.vars ?? [], warnOnUndeclaredVar: opts.warnOnUndeclaredVar ?? false }),
  );
  if (!later || !fns) return { files: sources, diagnostics, description: describe(scope, parsed.data, new Map(), [], parsed.requiredPlugins) };
  return later.initializeTemplate(target, parsed, fns.secrets, sources, diagnostics, opts, registry);
}

/** Parses the template's files; undefined when there are none or any has errors. */
async function parseTemplateFiles(target: string, sources: Map<string, SourceFile>, diagnostics: Diagnostic[]): Promise<ParsedFile[] | undefined> {
  const found = findFiles(target, HCL_EXT, JSON_EXT);
  diagnostics.push(...found.diagnostics);
  if (hasErrors(found.diagnostics)) return undefined;
  if (found.hcl.length + found.json.length === 0) diagnostics.push(noConfigFile(target, found.isDir));
  const files: ParsedFile[] = [];
  for (const [list, syntax] of [
    [found.hcl, 'hcl'],
    [found.json, 'json'],
  ] as const) {
    for (const name of list) {
      const r = await parseFile(name, syntax);
      diagnostics.push(...r.diagnostics);
      if (r.file) {
        files.push(r.file);
        sources.set(r.file.path, r.file.source);
      }
    }
  }
  return hasErrors(diagnostics) ? undefined : files;
}

/** The top-level schema check, `required_plugins`, variables, data blocks and locals. */
function readDeclarations(files: readonly ParsedFile[], scope: TemplateScope, env: Readonly<Record<string, string | undefined>>, diagnostics: Diagnostic[]): Parsed {
  const contents = files.map((f) => {
    const r = f.body.content(CONFIG_SCHEMA);
    diagnostics.push(...r.diagnostics);
    return r.content;
  });
  const requiredPlugins: RequiredPlugin[] = [];
  for (const c of contents) {
    for (const b of c.blocks) {
      if (b.type !== 'packer') continue;
      const r = decodeRequiredPlugins(b);
      diagnostics.push(...r.diagnostics);
      requiredPlugins.push(...r.plugins);
    }
  }
  const seenPlugins = new Map<string, RequiredPlugin>();
  for (const p of requiredPlugins) {
    if (seenPlugins.has(p.name)) diagnostics.push(errorDiag(`Duplicate required_plugin.${p.name} block`, `The plugin "${p.name}" is required more than once.`, p.range));
    seenPlugins.set(p.name, p);
  }
  const defaults = defaultsContext(env);
  for (const c of contents) {
    for (const b of c.blocks) {
      // Most blocks have no diagnostics: no spread call for them (a template may have thousands).
      const d = b.type === 'variable' ? decodeVariableBlock(b, scope.variables, defaults) : b.type === 'variables' ? decodeVariablesBlock(b.body, scope.variables, defaults) : undefined;
      if (d !== undefined && d.length > 0) diagnostics.push(...d);
    }
  }
  const data = new Map<string, DataDefinition>();
  for (const c of contents) for (const b of c.blocks) if (b.type === 'data') diagnostics.push(...decodeDataBlock(b, data));
  const locals: LocalDefinition[] = [];
  for (const c of contents) {
    for (const b of c.blocks) {
      if (b.type === 'local') {
        const r = decodeLocalBlock(b);
        diagnostics.push(...r.diagnostics);
        if (r.local) locals.push(r.local);
      } else if (b.type === 'locals') {
        const r = decodeLocalsBlock(b.body);
        diagnostics.push(...r.diagnostics);
        locals.push(...r.locals);
      }
    }
  }
  diagnostics.push(...checkDuplicateLocals(locals));
  return { files, scope, data, locals, requiredPlugins };
}

/** Auto var files (directory only), then `-var-file`s; the format comes from the extension. */
async function parseVarFiles(target: string, isDir: boolean, explicit: readonly string[], sources: Map<string, SourceFile>, diagnostics: Diagnostic[]): Promise<ParsedFile[]> {
  const auto = isDir ? findFiles(target, AUTO_VARS_HCL_EXT, AUTO_VARS_JSON_EXT) : { hcl: [], json: [] };
  const out: ParsedFile[] = [];
  for (const name of [...auto.hcl, ...auto.json, ...explicit]) {
    const ext = path.extname(name);
    if (ext !== '.hcl' && ext !== '.json') {
      diagnostics.push(errorDiag(`Could not guess format of ${name}`, 'A var file must be suffixed with `.hcl` or `.json`.'));
      continue;
    }
    const r = await parseFile(name, ext === '.hcl' ? 'hcl' : 'json');
    diagnostics.push(...r.diagnostics);
    if (r.file) sources.set(r.file.path, r.file.source);
    if (r.file && !hasErrors(r.diagnostics)) out.push(r.file);
  }
  return out;
}
