/**
 * From build blocks to the model's builds (initializeBlocks + GetBuilds): component
 * types checked against the registry, source uses resolved and merged with their
 * source, `-only`/`-except` applied, provisioners and post-processors filtered per
 * source, and each component given its evaluation context.
 */
import * as cty from '../../hcl/cty/index.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag } from '../../hcl/diagnostic.js';
import { mergeBodies } from '../../hcl/merge.js';
import type { Range } from '../../hcl/pos.js';
import { nameSuggestion } from '../../hcl/suggest.js';
import type { ComponentRegistry } from '../../sdk/component.js';
import { unknownComponent } from '../unknown-component.js';
import type { BuildData, BuildSpec, PostProcessorSpec, ProvisionerSpec } from '../model.js';
import type { ComponentSource } from './component-spec.js';
import { componentSpec, generatedToCty } from './component-spec.js';
import { compileGlob } from './glob.js';
import type { TemplateScope } from './scope.js';
import type { BuildBlock, PostProcessorBlock, ProvisionerBlock, SourceDefinition, SourceUse } from './types.js';
import { skips, sourceUseName } from './types.js';
import { filterWarning, invalidPattern, missingBuildBlock } from './unplaced-diagnostics.js';

/** Generated-data keys every build has (packerbuilderdata.BuilderDataCommonKeys). */
export const BUILDER_DATA_COMMON_KEYS = [
  'ID', 'Host', 'Port', 'User', 'Password', 'ConnType', 'PackerRunUUID', 'PackerHTTPPort',
  'PackerHTTPIP', 'PackerHTTPAddr', 'SSHPublicKey', 'SSHPrivateKey', 'WinRMPassword',
];

/** Checks that every component type and source a build names exists (initializeBlocks). */
export function checkBuilds(builds: readonly BuildBlock[], sources: ReadonlyMap<string, SourceDefinition>, registry: ComponentRegistry): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const known = [...sources.keys()].sort();
  for (const b of builds) {
    for (const use of b.sources) {
      if (!registry.has('builder', use.type)) {
        diagnostics.push(unknownComponent('builder', use.type, registry, { label: 'source', subject: use.range }));
        continue;
      }
      const ref = `${use.type}.${use.name}`;
      if (!sources.has(ref)) {
        const s = nameSuggestion(ref, known);
        diagnostics.push(errorDiag(`Unknown source ${ref}`, s !== undefined ? `Did you mean to use "${s}"?` : `Known: [${known.join(' ')}]`, use.range));
      }
    }
    const provs = [...b.provisioners, ...(b.errorCleanupProvisioner ? [b.errorCleanupProvisioner] : [])];
    for (const p of provs) {
      if (!registry.has('provisioner', p.type)) {
        const label = p === b.errorCleanupProvisioner ? 'error-cleanup-provisioner' : 'provisioner';
        diagnostics.push(unknownComponent('provisioner', p.type, registry, { label, quote: true, subject: p.block.typeRange }));
      }
    }
    for (const chain of b.postProcessors) {
      for (const pp of chain) {
        if (!registry.has('post-processor', pp.type)) diagnostics.push(unknownComponent('post-processor', pp.type, registry, { quote: true, subject: pp.block.typeRange }));
      }
    }
  }
  return diagnostics;
}

export interface BuildFilter {
  readonly only?: readonly string[];
  readonly except?: readonly string[];
  /** The template files read, named in "Missing build block". */
  readonly templateFiles?: readonly string[];
}

interface Globs {
  readonly only: ((s: string) => boolean)[];
  readonly except: ((s: string) => boolean)[];
}

function compileAll(patterns: readonly string[], option: 'only' | 'except', diagnostics: Diagnostic[]): ((s: string) => boolean)[] {
  return patterns.flatMap((p) => {
    const g = compileGlob(p);
    if (g.kind === 'ok') return [g.match];
    diagnostics.push(invalidPattern(option, p, g.message));
    return [];
  });
}

/** The patterns (compiled in `globs`, same order) that match none of `names`. */
function unmatched(patterns: readonly string[], globs: Globs['only'], names: readonly string[]): string[] {
  return patterns.filter((_, i) => !names.some((n) => globs[i]?.(n)));
}

/** The builds of the template as the model's build specs (GetBuilds). */
export function buildSpecs(
  builds: readonly BuildBlock[],
  sources: ReadonlyMap<string, SourceDefinition>,
  scope: TemplateScope,
  filter: BuildFilter,
): { builds: BuildSpec[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (builds.length === 0) return { builds: [], diagnostics: [missingBuildBlock(filter.templateFiles ?? [], [...sources.keys()])] };
  const globs: Globs = { only: compileAll(filter.only ?? [], 'only', diagnostics), except: compileAll(filter.except ?? [], 'except', diagnostics) };
  if (diagnostics.length > 0) return { builds: [], diagnostics };
  const out: BuildSpec[] = [];
  const possible: string[] = [];
  const matches = { only: 0, except: 0 };
  for (const build of builds) {
    for (const use of build.sources) {
      const def = sources.get(`${use.type}.${use.name}`);
      if (!def) continue;
      const name = build.name !== '' ? `${build.name}.${sourceUseName(use)}` : sourceUseName(use);
      possible.push(name);
      if (globs.only.length > 0) {
        if (!globs.only.some((m) => m(name))) continue;
        matches.only++;
      }
      if (globs.except.some((m) => m(name))) {
        matches.except++;
        continue;
      }
      out.push(buildSpec(build, use, def, name, scope, globs, matches));
    }
  }
  // Packer's rule: warn when fewer builds matched than patterns were given.
  if ((filter.only?.length ?? 0) > matches.only) diagnostics.push(filterWarning('only', unmatched(filter.only ?? [], globs.only, possible), possible));
  if ((filter.except?.length ?? 0) > matches.except) {
    const names = [...possible, ...builds.flatMap((b) => b.postProcessors.flat().map((pp) => pp.name ?? pp.type))];
    diagnostics.push(filterWarning('except', unmatched(filter.except ?? [], globs.except, names), possible));
  }
  return { builds: out, diagnostics };
}

function buildSpec(
  build: BuildBlock,
  use: SourceUse,
  def: SourceDefinition,
  name: string,
  scope: TemplateScope,
  globs: Globs,
  matches: { except: number },
): BuildSpec {
  const localName = use.localName ?? use.name;
  const source = cty.objectVal({ type: cty.stringVal(use.type), name: cty.stringVal(localName) });
  const interpolation = { buildName: use.name, buildType: use.type };
  const builder = componentSpec({
    type: use.type,
    range: def.block.defRange,
    // A build-level source block adds arguments to its source; setting one again is an error.
    body: use.extra ? mergeBodies([def.block.body, use.extra]) : def.block.body,
    context: () => ({ ctx: scope.context('build', { source }), diagnostics: [] }),
    interpolation,
    label: `source "${use.type}" "${use.name}"`,
  });
  // `build.<Key>`: placeholders for the common keys and those the builder's prepare gave, then the real values.
  const context =
    (range: Range) =>
    (data?: BuildData): ReturnType<ComponentSource['context']> => {
      const values = new Map<string, cty.Value>([...BUILDER_DATA_COMMON_KEYS, ...(data?.keys ?? [])].map((k) => [k, cty.stringVal('<unknown>')]));
      values.set('name', cty.stringVal(build.name));
      const diagnostics: Diagnostic[] = [];
      const generated = data?.data;
      if (generated) {
        const g = generatedToCty(generated, range);
        diagnostics.push(...g.diagnostics);
        for (const [k, v] of g.values) values.set(k, v);
      }
      return { ctx: scope.context('build', { source, build: cty.objectVal(values) }), diagnostics };
    };
  const sourceName = sourceUseName(use);
  const provisioner = (p: ProvisionerBlock): ProvisionerSpec => {
    const range = p.block.defRange;
    const override = p.override?.get(localName);
    const spec = componentSpec({
      type: p.type,
      range,
      body: p.block.body,
      context: context(range),
      ...(override ? { override } : {}),
      interpolation,
      label: `provisioner-block "${p.type}" "${p.name ?? ''}"`,
    });
    return {
      ...spec,
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.pauseBefore !== undefined ? { pauseBefore: p.pauseBefore } : {}),
      maxRetries: p.maxRetries,
      ...(p.timeout !== undefined ? { timeout: p.timeout } : {}),
      continueOnError: p.continueOnError,
    };
  };
  const postProcessor = (pp: PostProcessorBlock): PostProcessorSpec => {
    const range = pp.block.defRange;
    const spec = componentSpec({
      type: pp.type,
      range,
      body: pp.block.body,
      context: context(range),
      interpolation,
      label: `post-processor-block "${pp.type}" "${pp.name ?? ''}"`,
    });
    return { ...spec, name: pp.name ?? '', ...(pp.keepInputArtifact !== undefined ? { keepInputArtifact: pp.keepInputArtifact } : {}) };
  };
  const chains: PostProcessorSpec[][] = [];
  for (const chain of build.postProcessors) {
    const specs: PostProcessorSpec[] = [];
    for (const pp of chain) {
      if (skips(pp.onlyExcept, sourceName)) continue;
      if (globs.except.some((m) => m(pp.name ?? pp.type))) {
        matches.except++;
        break;
      }
      specs.push(postProcessor(pp));
    }
    if (specs.length > 0) chains.push(specs);
  }
  const cleanup = build.errorCleanupProvisioner;
  return {
    name,
    sourceName: use.name,
    builder,
    provisioners: build.provisioners.filter((p) => !skips(p.onlyExcept, sourceName)).map(provisioner),
    ...(cleanup && !skips(cleanup.onlyExcept, sourceName) ? { errorCleanupProvisioner: provisioner(cleanup) } : {}),
    postProcessors: chains,
  };
}
