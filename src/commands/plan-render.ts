/**
 * `kiln plan`'s two outputs: the JSON document (`-json`, schema
 * `docs/schema/plan.schema.json`, `format_version` "1") and the human text. Both come
 * from the same `PlanDocument`; sensitive inputs appear as `(sensitive)` in either.
 */
import type { Diagnostic } from '../hcl/diagnostic.js';
import type { Fingerprint } from '../core/fingerprint/fingerprint.js';
import type { Requirement } from '../external/registry.js';
import { KILN_VERSION, PACKER_COMPAT_VERSION } from '../support/version.js';
import type { ComponentOrigin, PlannedBuild, PlannedComponent } from './plan-builds.js';

/** The version of the `-json` document's shape; bumped on any incompatible change. */
export const PLAN_FORMAT_VERSION = '1';

export interface PlanPlugin {
  readonly name: string;
  readonly source: string | null;
  readonly version: string | null;
  readonly installed: boolean;
  /** `builder amazon-ebs`, `provisioner ansible`. */
  readonly components: string[];
  /** What to do when it is not installed. */
  readonly hint?: string;
}

export interface PlanStep {
  readonly type: string;
  readonly name?: string;
  readonly origin: ComponentOrigin['kind'];
  readonly key: string;
  readonly inputs: { readonly path: string; readonly value: string }[];
  readonly files: { readonly path: string; readonly digest: string }[];
  readonly volatile: readonly string[];
  readonly barrier?: string;
}

export interface PlanBuildDoc {
  readonly name: string;
  readonly source: string;
  readonly fingerprint: string;
  readonly builder: PlanStep;
  readonly provisioners: PlanStep[];
  readonly post_processors: PlanStep[][];
  readonly plugins: PlanPlugin[];
  readonly volatile: readonly string[];
  readonly barrier?: string;
}

export interface PlanDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly filename?: string;
  readonly line?: number;
  readonly column?: number;
}

export interface PlanDocument {
  readonly format_version: string;
  readonly kiln_version: string;
  readonly packer_version: string;
  readonly template: string;
  readonly valid: boolean;
  readonly builds: PlanBuildDoc[];
  readonly datasources: { readonly name: string; readonly evaluated: boolean }[];
  readonly plugins: PlanPlugin[];
  readonly diagnostics: PlanDiagnostic[];
}

function step(c: PlannedComponent, f: Fingerprint): PlanStep {
  return {
    type: c.type,
    ...(c.name !== undefined ? { name: c.name } : {}),
    origin: c.origin.kind,
    key: f.key,
    inputs: f.inputs.filter((i) => !i.file).map((i) => ({ path: i.path, value: i.sensitive ? '(sensitive)' : i.value })),
    files: f.inputs.filter((i) => i.file).map((i) => ({ path: i.path, digest: i.value })),
    volatile: f.volatile,
    ...(f.barrier !== undefined ? { barrier: f.barrier } : {}),
  };
}

/** The plugins the components of `build` need (none for built-ins). */
function pluginsOf(components: readonly PlannedComponent[]): PlanPlugin[] {
  const byName = new Map<string, PlanPlugin>();
  for (const c of components) {
    if (c.origin.kind === 'builtin') continue;
    const req: Requirement | undefined = c.origin.plugin;
    const name = req?.name ?? c.type.split('-')[0] ?? c.type;
    const installed = c.origin.kind === 'plugin';
    const entry = byName.get(name) ?? {
      name,
      source: req?.source ?? null,
      version: req?.version || null,
      installed,
      components: [],
      ...(installed ? {} : { hint: req ? 'run `kiln init`' : 'no required_plugins entry names it: add one, then run `kiln init`' }),
    };
    entry.components.push(`${c.kind} ${c.type}`);
    byName.set(name, entry);
  }
  return [...byName.values()];
}

/** The JSON document of a plan. */
export function planDocument(
  template: string,
  builds: readonly PlannedBuild[],
  datasources: readonly string[],
  evaluated: boolean,
  diagnostics: readonly Diagnostic[],
): PlanDocument {
  const docs = builds.map((b): PlanBuildDoc => {
    const f = b.fingerprint;
    return {
      name: b.name,
      source: b.source,
      fingerprint: f.key,
      builder: step(b.builder, f.base),
      provisioners: b.provisioners.map((p, i) => step(p, f.steps[i] ?? f.base)),
      post_processors: b.postProcessors.map((c, ci) => c.map((p, i) => step(p, f.postProcessors[ci]?.[i] ?? f.base))),
      plugins: pluginsOf([b.builder, ...b.provisioners, ...b.postProcessors.flat()]),
      volatile: f.volatile,
      ...(f.barrier !== undefined ? { barrier: f.barrier } : {}),
    };
  });
  const all = new Map<string, PlanPlugin>();
  for (const d of docs) {
    for (const p of d.plugins) {
      const seen = all.get(p.name);
      if (!seen) {
        all.set(p.name, { ...p, components: [...p.components] });
        continue;
      }
      for (const c of p.components) if (!seen.components.includes(c)) seen.components.push(c);
    }
  }
  return {
    format_version: PLAN_FORMAT_VERSION,
    kiln_version: KILN_VERSION,
    packer_version: PACKER_COMPAT_VERSION,
    template,
    valid: !diagnostics.some((d) => d.severity === 'error'),
    builds: docs,
    datasources: datasources.map((name) => ({ name, evaluated })),
    plugins: [...all.values()],
    diagnostics: diagnostics.map((d) => ({
      severity: d.severity,
      summary: d.summary,
      ...(d.detail ? { detail: d.detail } : {}),
      ...(d.subject ? { filename: d.subject.filename, line: d.subject.start.line, column: d.subject.start.column } : {}),
    })),
  };
}

const short = (key: string): string => key.slice(0, 12);

/** A step's one-line description: its files and what they hash to. */
function describe(s: PlanStep): string {
  const files = s.files.map((f) => `${f.path} ${f.digest.replace(/^(sha256|tree|glob):([0-9a-f]{12})[0-9a-f]*$/, '$1:$2')}`);
  return files.join(', ');
}

/** The human text of a plan. */
export function planText(doc: PlanDocument): string {
  const lines: string[] = [];
  const n = doc.builds.length;
  lines.push(`${n} build${n === 1 ? '' : 's'} would run:`);
  for (const b of doc.builds) {
    lines.push('', `Build '${b.name}'`);
    lines.push(`  source:       ${b.source} (${b.builder.type}${b.builder.origin === 'missing' ? ', plugin not installed' : ''})`);
    lines.push(`  fingerprint:  ${b.fingerprint}`);
    const base = describe(b.builder);
    if (base) lines.push(`  inputs:       ${base}`);
    if (b.provisioners.length === 0) lines.push('  provisioners: none');
    else lines.push('  provisioners:');
    b.provisioners.forEach((p, i) => {
      const label = `${i + 1}. ${p.type}${p.name ? ` (${p.name})` : ''}`;
      const more = describe(p);
      lines.push(`    ${label.padEnd(24)} ${short(p.key)}${more ? `  ${more}` : ''}${p.origin === 'missing' ? '  (plugin not installed)' : ''}`);
    });
    const pps = b.post_processors.filter((c) => c.length > 0);
    lines.push(`  post-processors: ${pps.length === 0 ? 'none' : pps.map((c) => c.map((p) => p.type).join(' -> ')).join('; ')}`);
    for (const p of b.plugins) {
      const what = `${p.name}${p.source ? ` (${p.source}${p.version ? ` ${p.version}` : ''})` : ''}`;
      lines.push(`  plugin:       ${what}: ${p.installed ? 'installed' : `not installed; ${p.hint ?? 'run `kiln init`'}`}`);
    }
    if (b.barrier) lines.push(`  step cache:   stops here: ${b.barrier}`);
    for (const v of b.volatile) lines.push(`  warning:      a new value every run, so the step cache misses: ${v}`);
  }
  const pending = doc.datasources.filter((d) => !d.evaluated);
  if (pending.length > 0) {
    lines.push('', `Data sources not run (their results are unknown; -evaluate-datasources runs them): ${pending.map((d) => d.name).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
