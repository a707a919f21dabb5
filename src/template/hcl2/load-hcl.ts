/**
 * Loading an HCL2 template, in Packer's phases (reference §2.2): parse every file;
 * check `required_version`; check the top-level schema; read `required_plugins`,
 * variables, data sources and locals; collect variable values; then initialise
 * (validate values, evaluate data sources and locals, read sources and builds, check
 * component types) and build the model (GetBuilds without preparing components:
 * core prepares them through `ComponentSpec.decode`).
 */
import path from 'node:path';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../../hcl/diagnostic.js';
import type { SourceFile } from '../../hcl/diagnostic-text.js';
import { expandDynamicBlocks } from '../../hcl/dynblock/index.js';
import type { ComponentRegistry } from '../../sdk/component.js';
import { SecretResolver } from '../functions/secret-resolver.js';
import { packerFunctions } from '../functions/table.js';
import type { LoadOptions, LoadResult } from '../load-hcl2-template.js';
import { decodeBuildBlock } from './build-block.js';
import { buildSpecs, checkBuilds } from './builds.js';
import { decodeDataBlock } from './datasources.js';
import { checkRegistryBlock } from './hcp-registry.js';
import { describe, sensitiveStrings } from './describe.js';
import type { ParsedFile } from './files.js';
import { AUTO_VARS_HCL_EXT, AUTO_VARS_JSON_EXT, findFiles, HCL_EXT, JSON_EXT, parseFile } from './files.js';
import { checkDuplicateLocals, decodeLocalBlock, decodeLocalsBlock } from './locals.js';
import { checkRequiredVersions, decodeRequiredPlugins } from './packer-block.js';
import { evaluatePrereqsGraph, evaluatePrereqsSequential } from './prereqs.js';
import { prefetchSecrets } from './secret-prepass.js';
import { TemplateScope } from './scope.js';
import { CONFIG_SCHEMA, decodeSourceBlock } from './top-level.js';
import type { BuildBlock, DataDefinition, LocalDefinition, RequiredPlugin, SourceDefinition } from './types.js';
import { noConfigFile } from './unplaced-diagnostics.js';
import { collectVariableValues, validateValues } from './variable-values.js';
import { decodeVariableBlock, decodeVariablesBlock, defaultsContext } from './variables.js';

type Options = LoadOptions & { readonly packerVersion: string };

/** Everything read from the files before initialisation. */
interface Parsed {
  readonly files: readonly ParsedFile[];
  readonly scope: TemplateScope;
  readonly data: Map<string, DataDefinition>;
  readonly locals: LocalDefinition[];
  readonly requiredPlugins: RequiredPlugin[];
}

export async function loadHcl(target: string, opts: Options, registry: ComponentRegistry): Promise<LoadResult> {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, SourceFile>();
  const parsedFiles = parseTemplateFiles(target, sources, diagnostics);
  if (parsedFiles === undefined) return { files: sources, diagnostics };

  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const found = findFiles(target, HCL_EXT, JSON_EXT);
  const basedir = found.isDir ? target : path.dirname(target);
  // One resolver per load: every context's secret functions share its cache.
  const secrets = opts.secrets ?? new SecretResolver({ env });
  const scope = new TemplateScope(basedir, path.resolve(cwd), opts.packerVersion, packerFunctions({ baseDir: basedir, env, secrets }));

  const versionDiags = checkRequiredVersions(
    parsedFiles.map((f) => f.body),
    opts.packerVersion,
  );
  diagnostics.push(...versionDiags);
  if (hasErrors(versionDiags)) return { files: sources, diagnostics };

  const parsed = readDeclarations(parsedFiles, scope, env, diagnostics);
  const varFiles = parseVarFiles(target, found.isDir, opts.varFiles ?? [], sources, diagnostics);
  diagnostics.push(
    ...collectVariableValues(scope.variables, { env, varFiles, vars: opts.vars ?? [], warnOnUndeclaredVar: opts.warnOnUndeclaredVar ?? false }),
  );
  if (opts.syntaxOnly) return { files: sources, diagnostics, description: describe(scope, parsed.data, new Map(), [], parsed.requiredPlugins) };

  const parseDiagnosticCount = diagnostics.length;
  await prefetchSecrets(secrets, parsedFiles);
  const init = await initialize(parsed, opts, registry);
  diagnostics.push(...init.diagnostics);
  const description = describe(parsed.scope, parsed.data, init.sources, init.builds, parsed.requiredPlugins);
  if (hasErrors(diagnostics)) return { files: sources, diagnostics, description, parseDiagnosticCount };

  const specs = buildSpecs(init.builds, init.sources, scope, {
    ...(opts.only ? { only: opts.only } : {}),
    ...(opts.except ? { except: opts.except } : {}),
    templateFiles: parsedFiles.map((f) => f.path),
  });
  diagnostics.push(...specs.diagnostics);
  if (hasErrors(diagnostics)) return { files: sources, diagnostics, description, parseDiagnosticCount };
  const sensitive = [...scope.variables.values()].filter((v) => v.sensitive).map((v) => v.name);
  return {
    model: {
      syntax: 'hcl',
      templatePath: path.resolve(cwd, target),
      builds: specs.builds,
      userVariables: {},
      sensitiveVariables: sensitive,
      secrets: sensitiveStrings(scope),
      warnings: diagnostics.filter((d) => d.severity === 'warning'),
    },
    files: sources,
    diagnostics,
    description,
    parseDiagnosticCount,
  };
}

/** Parses the template's files; undefined when there are none or any has errors. */
function parseTemplateFiles(target: string, sources: Map<string, SourceFile>, diagnostics: Diagnostic[]): ParsedFile[] | undefined {
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
      const r = parseFile(name, syntax);
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
      if (b.type === 'variable') diagnostics.push(...decodeVariableBlock(b, scope.variables, defaults));
      else if (b.type === 'variables') diagnostics.push(...decodeVariablesBlock(b.body, scope.variables, defaults));
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
function parseVarFiles(target: string, isDir: boolean, explicit: readonly string[], sources: Map<string, SourceFile>, diagnostics: Diagnostic[]): ParsedFile[] {
  const auto = isDir ? findFiles(target, AUTO_VARS_HCL_EXT, AUTO_VARS_JSON_EXT) : { hcl: [], json: [] };
  const out: ParsedFile[] = [];
  for (const name of [...auto.hcl, ...auto.json, ...explicit]) {
    const ext = path.extname(name);
    if (ext !== '.hcl' && ext !== '.json') {
      diagnostics.push(errorDiag(`Could not guess format of ${name}`, 'A var file must be suffixed with `.hcl` or `.json`.'));
      continue;
    }
    const r = parseFile(name, ext === '.hcl' ? 'hcl' : 'json');
    diagnostics.push(...r.diagnostics);
    if (r.file) sources.set(r.file.path, r.file.source);
    if (r.file && !hasErrors(r.diagnostics)) out.push(r.file);
  }
  return out;
}

interface Initialized {
  readonly sources: Map<string, SourceDefinition>;
  readonly builds: BuildBlock[];
  readonly diagnostics: Diagnostic[];
}

/** Packer's Initialize: values checked, data sources and locals evaluated, sources and builds read. */
async function initialize(parsed: Parsed, opts: Options, registry: ComponentRegistry): Promise<Initialized> {
  const { scope } = parsed;
  const diagnostics = validateValues(scope.variables, scope.functions);
  const dsOpts = { execute: opts.evaluateDatasources ?? true, ...(opts.signal ? { signal: opts.signal } : {}) };
  const evaluate = opts.useSequentialEvaluation ? evaluatePrereqsSequential : evaluatePrereqsGraph;
  diagnostics.push(...(await evaluate([...parsed.data.values()], parsed.locals, scope, registry, dsOpts)));

  const sources = new Map<string, SourceDefinition>();
  const builds: BuildBlock[] = [];
  let registryBlock = false;
  // Packer's parseConfig: `dynamic` blocks anywhere under sources and builds expand with
  // `for_each` and `labels` evaluated in the data-source context as it is now (variables,
  // locals, data; `source` and `build` unknown); the generated blocks' own attributes
  // evaluate later, in the context their block is decoded in, plus the iterator.
  const expandCtx = scope.context('local');
  for (const file of parsed.files) {
    const { content } = expandDynamicBlocks(file.body, expandCtx).content(CONFIG_SCHEMA);
    for (const b of content.blocks) {
      if (b.type === 'source') diagnostics.push(...decodeSourceBlock(b, sources));
      else if (b.type === 'build') {
        const r = decodeBuildBlock(b, scope);
        diagnostics.push(...r.diagnostics);
        if (r.build && !hasErrors(r.diagnostics)) builds.push(r.build);
      } else if (b.type === 'hcp_packer_registry') {
        if (registryBlock) diagnostics.push(errorDiag('Only one hcp_packer_registry is allowed', '', b.defRange));
        else diagnostics.push(...checkRegistryBlock(b, scope.context('build')));
        registryBlock = true;
      }
    }
  }
  diagnostics.push(...checkBuilds(builds, sources, registry));
  return { sources, builds, diagnostics };
}
