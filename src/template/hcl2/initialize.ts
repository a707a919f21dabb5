/**
 * The part of loading an HCL2 template past Packer's Parse (load-hcl.ts imports it
 * when the command needs more than `validate -syntax-only`): Initialize (values
 * validated, data sources and locals evaluated, sources and builds read, component
 * types checked) and the model (GetBuilds without preparing components). It brings the
 * HCL function table, the secret sources and the build decoding with it, none of which
 * the parse phase loads.
 */
import path from 'node:path';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../../hcl/diagnostic.js';
import type { SourceFile } from '../../hcl/diagnostic-text.js';
import { expandDynamicBlocks } from '../../hcl/dynblock/index.js';
import type { CtyFunction } from '../../hcl/functions/function.js';
import type { ComponentRegistry } from '../../sdk/component.js';
import type { SecretResolver } from '../functions/secret-resolver.js';
import type { LoadResult } from '../load-hcl2-template.js';
import { decodeBuildBlock } from './build-block.js';
import { buildSpecs, checkBuilds } from './builds.js';
import { checkRegistryBlock } from './hcp-registry.js';
import { describe, sensitiveStrings } from './describe.js';
import type { HclLoadOptions, Parsed } from './load-hcl.js';
import { evaluatePrereqsGraph, evaluatePrereqsSequential } from './prereqs.js';
import { prefetchSecrets } from './secret-prepass.js';
import { CONFIG_SCHEMA, decodeSourceBlock } from './top-level.js';
import type { BuildBlock, SourceDefinition } from './types.js';
import { validateValues } from './variable-values.js';

/**
 * The functions of a load's evaluation contexts and the secret lookups they share (one
 * resolver per load, so every context's secret functions share its cache; `secrets`
 * when the caller brings one). The function table (every function's code, ~220 KB) and
 * the secret sources are imported only when `called`: when no expression of the load
 * can call a function, the contexts get an empty table and there are no secrets.
 */
export async function loadFunctions(
  baseDir: string,
  env: Readonly<Record<string, string | undefined>>,
  called: boolean,
  secrets?: SecretResolver,
): Promise<{ functions: Map<string, CtyFunction>; secrets?: SecretResolver }> {
  if (!called) return { functions: new Map() };
  const [{ packerFunctions }, resolver] = await Promise.all([import('../functions/table.js'), secrets ?? import('../functions/secret-resolver.js').then((m) => new m.SecretResolver({ env }))]);
  return { functions: packerFunctions({ baseDir, env, secrets: resolver }), secrets: resolver };
}

/**
 * Initialises what `loadHcl` parsed (`diagnostics` holds the parse phase's, which this
 * keeps first) and builds the model.
 */
export async function initializeTemplate(
  target: string,
  parsed: Parsed,
  secrets: SecretResolver | undefined,
  sources: Map<string, SourceFile>,
  diagnostics: Diagnostic[],
  opts: HclLoadOptions,
  registry: ComponentRegistry,
): Promise<LoadResult> {
  const { scope, files: parsedFiles } = parsed;
  const cwd = opts.cwd ?? process.cwd();
  const parseDiagnosticCount = diagnostics.length;
  if (secrets) await prefetchSecrets(secrets, parsedFiles);
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


interface Initialized {
  readonly sources: Map<string, SourceDefinition>;
  readonly builds: BuildBlock[];
  readonly diagnostics: Diagnostic[];
}

/** Packer's Initialize: values checked, data sources and locals evaluated, sources and builds read. */
async function initialize(parsed: Parsed, opts: HclLoadOptions, registry: ComponentRegistry): Promise<Initialized> {
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
