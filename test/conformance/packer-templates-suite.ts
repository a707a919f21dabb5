/**
 * `packer-templates`: the parse cases of ../shared/conformance/packer-templates
 * (Packer's hcl2template table tests run through its `testParse` harness). Each case
 * loads a fixture with the mock components Packer's tests use, and checks what the
 * test checks: whether parsing and initialising gives diagnostics and errors; when it
 * gives none, whether preparing the builds (decoding every component, as
 * `GetBuilds` does) gives diagnostics; and the expected variables, locals, sources,
 * data sources, build blocks and core builds where the index lists them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as cty from '../../src/hcl/cty/index.js';
import { unmarkDeep } from '../../src/hcl/cty/index.js';
import type { Diagnostic } from '../../src/hcl/diagnostic.js';
import { hasErrors } from '../../src/hcl/diagnostic.js';
import type { ComponentKind, ComponentRegistry } from '../../src/sdk/component.js';
import type { LoadResult, TemplateDescription, VariableDescription } from '../../src/template/load-hcl2-template.js';
import { loadHcl2Template } from '../../src/template/load-hcl2-template.js';
import type { BuildData, BuildSpec, ComponentSpec } from '../../src/template/model.js';
import { decodeAndPrepare } from '../../src/core/prepare.js';
import { testPackerConfig } from '../support/packer-config.js';
import { mockRegistry } from '../support/mock-components.js';
import { sharedPath } from '../support/shared.js';
import { decodeType, decodeValue, vectorEquals } from './cty-json.js';
import type { Suite, SuiteResult } from './suite.js';

interface ExpectedVariable {
  readonly type: unknown;
  /** Absent or without `value` where the Go expectation holds something not extracted. */
  readonly values?: readonly { readonly from: string | null; readonly value?: unknown }[];
  readonly sensitive?: boolean;
}

interface ExpectedBuild {
  readonly name?: string;
  readonly sources?: readonly string[];
  readonly provisioners?: readonly string[];
  readonly post_processors?: readonly (readonly string[])[];
}

interface ExpectedCoreBuild {
  readonly type: string;
  readonly builder_type: string;
  readonly provisioners: readonly string[];
  readonly post_processors: readonly (readonly string[])[];
  readonly sensitive_vars: readonly string[];
}

interface ParseCase {
  readonly id: string;
  readonly fixture: string;
  readonly var_files: readonly string[] | null;
  readonly vars: Readonly<Record<string, string>> | null;
  readonly expect: {
    readonly parse_diagnostics: boolean;
    readonly parse_has_errors: boolean;
    readonly get_builds_diagnostics: boolean;
    readonly config?: {
      readonly input_variables?: Readonly<Record<string, ExpectedVariable>>;
      readonly local_variables?: Readonly<Record<string, ExpectedVariable>>;
      readonly sources?: readonly string[];
      readonly datasources?: readonly string[];
      readonly builds?: readonly ExpectedBuild[];
    };
    readonly core_builds?: readonly ExpectedCoreBuild[] | null;
  };
}

/** Packer's template tests run with core version 1.5.0 (common_test.go's lockedVersion). */
const TEST_PACKER_VERSION = '1.5.0';

const summary = (diags: readonly Diagnostic[]): string => diags.map((d) => `${d.severity}: ${d.summary}`).join('; ');
const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const sameSet = (a: readonly string[], b: readonly string[]): boolean => sameList([...a].sort(), [...b].sort());

function checkVariables(kind: string, want: Readonly<Record<string, ExpectedVariable>> | undefined, got: readonly VariableDescription[]): string | undefined {
  if (want === undefined) return undefined;
  if (!sameSet(Object.keys(want), got.map((v) => v.name))) return `${kind}: got [${got.map((v) => v.name).join(' ')}], want [${Object.keys(want).join(' ')}]`;
  for (const [name, w] of Object.entries(want)) {
    const g = got.find((v) => v.name === name)!;
    const type = decodeType(w.type);
    if (type && JSON.stringify(type) !== JSON.stringify(g.type)) return `${kind} ${name}: type ${JSON.stringify(g.type)}, want ${JSON.stringify(type)}`;
    const last = w.values?.[w.values.length - 1];
    if (last?.value !== undefined) {
      const value: cty.Value = unmarkDeep(g.value)[0];
      if (!vectorEquals(value, decodeValue(last.value))) return `${kind} ${name}: value differs`;
    }
    if ((w.sensitive ?? false) !== g.sensitive) return `${kind} ${name}: sensitive ${g.sensitive}`;
  }
  return undefined;
}

function checkConfig(c: ParseCase, d: TemplateDescription): string | undefined {
  const cfg = c.expect.config;
  if (!cfg) return undefined;
  const problem = checkVariables('input variables', cfg.input_variables, d.variables) ?? checkVariables('locals', cfg.local_variables, d.locals);
  if (problem) return problem;
  if (cfg.sources && !sameSet(cfg.sources, d.sources)) return `sources: got [${d.sources.join(' ')}]`;
  if (cfg.datasources && !sameSet(cfg.datasources, d.datasources)) return `data sources: got [${d.datasources.join(' ')}]`;
  if (cfg.builds) {
    if (cfg.builds.length !== d.builds.length) return `builds: got ${d.builds.length}, want ${cfg.builds.length}`;
    for (const [i, w] of cfg.builds.entries()) {
      const g = d.builds[i]!;
      if ((w.name ?? '') !== g.name) return `build ${i}: name ${JSON.stringify(g.name)}`;
      if (!sameList(w.sources ?? [], g.sourceRefs)) return `build ${i}: sources [${g.sourceRefs.join(' ')}]`;
      if (!sameList(w.provisioners ?? [], g.provisioners.map((p) => p.type))) return `build ${i}: provisioners`;
      const pps = g.postProcessors.map((chain) => chain.map((p) => p.type).join(','));
      if (!sameList((w.post_processors ?? []).map((chain) => chain.join(',')), pps)) return `build ${i}: post-processors [${pps.join(' | ')}]`;
    }
  }
  return undefined;
}

function checkCoreBuilds(want: readonly ExpectedCoreBuild[], got: readonly BuildSpec[], sensitive: readonly string[]): string | undefined {
  if (want.length !== got.length) return `core builds: got [${got.map((b) => b.name).join(' ')}]`;
  for (const [i, w] of want.entries()) {
    const g = got[i]!;
    if (!(g.name === w.type || g.name.endsWith(`.${w.type}`)) || w.builder_type !== g.builder.type) return `core build ${i}: ${g.name} (${g.builder.type})`;
    if (!sameList(w.provisioners, g.provisioners.map((p) => p.type))) return `core build ${g.name}: provisioners [${g.provisioners.map((p) => p.type).join(' ')}]`;
    const pps = g.postProcessors.map((chain) => chain.map((p) => p.type).join(','));
    if (!sameList(w.post_processors.map((chain) => chain.join(',')), pps)) return `core build ${g.name}: post-processors [${pps.join(' | ')}]`;
    if (!sameSet(w.sensitive_vars, sensitive)) return `core build ${g.name}: sensitive vars [${sensitive.join(' ')}]`;
  }
  return undefined;
}

/**
 * What core's prepare does with each component: decode it against its schema and run
 * its checks (the builder first: its generated-data keys are what the others see).
 * Unlike core, every component is prepared even when the builder fails, to compare all
 * of a case's errors.
 */
async function prepareDiagnostics(builds: readonly BuildSpec[], registry: ComponentRegistry): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const signal = new AbortController().signal;
  const prepare = async (kind: ComponentKind, spec: ComponentSpec, build?: BuildData): Promise<readonly string[]> => {
    const def = await registry.load(kind, spec.type);
    if (!def) return [];
    const r = await decodeAndPrepare(def, spec, testPackerConfig(), signal, build);
    out.push(...r.diagnostics);
    return r.ok ? r.generatedData : [];
  };
  for (const b of builds) {
    const build: BuildData = { keys: await prepare('builder', b.builder) };
    for (const p of [...b.provisioners, ...(b.errorCleanupProvisioner ? [b.errorCleanupProvisioner] : [])]) await prepare('provisioner', p, build);
    for (const chain of b.postProcessors) for (const p of chain) await prepare('post-processor', p, build);
  }
  return out;
}

async function runCase(c: ParseCase, root: string, registry: ComponentRegistry): Promise<string | undefined> {
  const result: LoadResult = await loadHcl2Template(
    path.join(root, c.fixture),
    {
      vars: Object.entries(c.vars ?? {}),
      varFiles: (c.var_files ?? []).map((f) => path.join(root, f)),
      env: {},
      cwd: path.join(root, 'hcl2template'),
      packerVersion: TEST_PACKER_VERSION,
      // TestParser_no_init runs Packer's Parse only (testParse_only_Parse).
      syntaxOnly: c.id.includes(':TestParser_no_init#'),
    },
    registry,
  );
  const diags = result.diagnostics;
  const e = c.expect;
  if (e.parse_has_errors !== hasErrors(diags)) return `errors: got ${hasErrors(diags)} (${summary(diags)}), want ${e.parse_has_errors}`;
  if (e.parse_has_errors) return undefined;
  if (e.parse_diagnostics !== diags.length > 0) return `diagnostics: got [${summary(diags)}], want ${e.parse_diagnostics}`;
  if (!result.description) return 'no description';
  const configProblem = checkConfig(c, result.description);
  if (configProblem) return configProblem;
  if (!result.model) return c.id.includes(':TestParser_no_init#') ? undefined : 'no model';
  const prepared = await prepareDiagnostics(result.model.builds, registry);
  if (e.get_builds_diagnostics !== prepared.length > 0) return `prepare diagnostics: got [${summary(prepared)}], want ${e.get_builds_diagnostics}`;
  return e.core_builds ? checkCoreBuilds(e.core_builds, result.model.builds, result.model.sensitiveVariables) : undefined;
}

export const packerTemplatesSuite: Suite = {
  name: 'packer-templates',
  async run(): Promise<SuiteResult> {
    const root = sharedPath('conformance', 'packer-templates');
    const index = JSON.parse(readFileSync(path.join(root, 'index.json'), 'utf8')) as { parse_cases: ParseCase[] };
    const registry = mockRegistry();
    const failures: string[] = [];
    for (const c of index.parse_cases) {
      const problem = await runCase(c, root, registry);
      if (problem !== undefined) failures.push(`${c.id} (${c.fixture}): ${problem}`);
    }
    return { passed: index.parse_cases.length - failures.length, failed: failures.length, skipped: 0, failures };
  },
};
