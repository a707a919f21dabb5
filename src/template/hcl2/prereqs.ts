/**
 * Evaluating locals and data sources (evaluateBuildPrereqs): by default as a
 * dependency graph over the `local.<n>` and `data.<t>.<n>` references of their
 * expressions and bodies, dependencies first, stopping at the first error; with
 * `-use-sequential-evaluation`, Packer's older order: every data source (recursing
 * into data dependencies), then every local (recursing into local dependencies).
 */
import type { Body } from '../../hcl/body.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../../hcl/diagnostic.js';
import type { Range } from '../../hcl/pos.js';
import { NativeBody } from '../../hcl/syntax/body-native.js';
import type * as ast from '../../hcl/syntax/ast.js';
import { toExpression } from '../../hcl/syntax/eval.js';
import type { Traversal } from '../../hcl/traversal.js';
import { traversalRange } from '../../hcl/traversal.js';
import type { ComponentRegistry } from '../../sdk/component.js';
import type { DatasourceOptions } from './datasource-run.js';
import { evaluateDatasource } from './datasource-run.js';
import type { TemplateScope } from './scope.js';
import type { DataDefinition, LocalDefinition } from './types.js';

type Node = { readonly kind: 'data'; readonly def: DataDefinition } | { readonly kind: 'local'; readonly def: LocalDefinition };

interface Dependency {
  readonly key: string;
  readonly range: Range;
}

function keyOf(n: Node): string {
  return n.kind === 'data' ? `data.${n.def.type}.${n.def.name}` : `local.${n.def.name}`;
}

/** Every traversal in a body, nested blocks included (GetVarsByType). */
export function bodyTraversals(body: Body): Traversal[] {
  if (body instanceof NativeBody) return nativeTraversals(body.node);
  const { attributes } = body.justAttributes();
  return [...attributes.values()].flatMap((a) => a.expr.variables());
}

function nativeTraversals(node: ast.Body): Traversal[] {
  const out: Traversal[] = [];
  for (const attr of node.attributes.values()) out.push(...toExpression(attr.expr).variables());
  for (const block of node.blocks) out.push(...nativeTraversals(block.body));
  return out;
}

/** The `data.t.n` and `local.n` references among `traversals`. */
function dependencies(traversals: readonly Traversal[], roots: readonly string[]): Dependency[] {
  const out: Dependency[] = [];
  for (const t of traversals) {
    const [root, a, b] = t;
    if (root?.kind !== 'root' || !roots.includes(root.name)) continue;
    const range = traversalRange(t) ?? root.srcRange;
    if (root.name === 'local' && a?.kind === 'attr') out.push({ key: `local.${a.name}`, range });
    if (root.name === 'data' && a?.kind === 'attr' && b?.kind === 'attr') out.push({ key: `data.${a.name}.${b.name}`, range });
  }
  return out;
}

function nodeDependencies(n: Node, roots: readonly string[]): Dependency[] {
  return n.kind === 'data' ? dependencies(bodyTraversals(n.def.block.body), roots) : dependencies(n.def.expr.variables(), roots);
}

async function evaluateNode(n: Node, scope: TemplateScope, registry: ComponentRegistry, opts: DatasourceOptions): Promise<Diagnostic[]> {
  if (n.kind === 'data') return evaluateDatasource(n.def, scope, registry, opts);
  const r = n.def.expr.value(scope.context('local'));
  if (!hasErrors(r.diagnostics)) scope.locals.set(n.def.name, { name: n.def.name, value: r.value, sensitive: n.def.sensitive });
  return r.diagnostics;
}

const GRAPH_SUMMARY = 'failed to prepare execution graph';
const graphError = (message: string, range: Range): Diagnostic =>
  errorDiag(GRAPH_SUMMARY, `An error occurred while building the graph for datasources/locals: ${message}`, range);

/** Evaluates locals and data sources in dependency order (Packer's DAG mode). */
export async function evaluatePrereqsGraph(
  data: readonly DataDefinition[],
  locals: readonly LocalDefinition[],
  scope: TemplateScope,
  registry: ComponentRegistry,
  opts: DatasourceOptions,
): Promise<Diagnostic[]> {
  const nodes = new Map<string, Node>();
  for (const def of data) nodes.set(`data.${def.type}.${def.name}`, { kind: 'data', def });
  for (const def of locals) if (!nodes.has(`local.${def.name}`)) nodes.set(`local.${def.name}`, { kind: 'local', def });
  const edges = new Map<string, Dependency[]>();
  const diagnostics: Diagnostic[] = [];
  for (const [key, n] of nodes) {
    const deps = nodeDependencies(n, ['data', 'local']);
    for (const d of deps) {
      if (!nodes.has(d.key)) diagnostics.push(graphError(`could not get dependency "${d.key}" for "${key}", "${d.key}" missing in template`, d.range));
    }
    edges.set(
      key,
      deps.filter((d) => nodes.has(d.key)),
    );
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (key: string, path: string[]): void => {
    state.set(key, 'visiting');
    for (const d of edges.get(key) ?? []) {
      const s = state.get(d.key);
      if (s === 'visiting') {
        const at = path.indexOf(d.key);
        const cycle = at < 0 ? [key] : [...path.slice(at), key];
        diagnostics.push(graphError(`Cycle: ${cycle.join(', ')}`, d.range));
      } else if (s === undefined) visit(d.key, [...path, key]);
    }
    state.set(key, 'done');
    order.push(key);
  };
  for (const key of nodes.keys()) if (!state.has(key)) visit(key, []);
  if (hasErrors(diagnostics)) return diagnostics;
  for (const key of order) {
    const d = await evaluateNode(nodes.get(key)!, scope, registry, opts);
    diagnostics.push(...d);
    if (hasErrors(d)) return diagnostics;
  }
  return diagnostics;
}

/** Packer's sequential mode: data sources first, then locals, each recursing into its own kind. */
export async function evaluatePrereqsSequential(
  data: readonly DataDefinition[],
  locals: readonly LocalDefinition[],
  scope: TemplateScope,
  registry: ComponentRegistry,
  opts: DatasourceOptions,
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const done = new Set<string>();
  const byKey = new Map<string, Node>();
  for (const def of data) byKey.set(`data.${def.type}.${def.name}`, { kind: 'data', def });
  for (const def of locals) if (!byKey.has(`local.${def.name}`)) byKey.set(`local.${def.name}`, { kind: 'local', def });
  const run = async (n: Node, depth: number): Promise<Diagnostic[]> => {
    const key = keyOf(n);
    if (done.has(key)) return [];
    const limit = n.kind === 'data' ? depth > 10 : depth >= 10;
    if (limit) {
      const range = n.kind === 'data' ? n.def.block.defRange : n.def.range;
      return n.kind === 'data'
        ? [errorDiag('Max datasource recursion depth exceeded.', 'An error occured while recursively evaluating data sources. Either your data source depends on more than ten other data sources, or your data sources have a cyclic dependency. Please simplify your config to continue. ', range)]
        : [errorDiag('Max local recursion depth exceeded.', 'An error occured while recursively evaluating locals.Your local variables likely have a cyclic dependency. Please simplify your config to continue. ', range)];
    }
    const out: Diagnostic[] = [];
    for (const d of nodeDependencies(n, [n.kind])) {
      const dep = byKey.get(d.key);
      if (!dep) {
        if (n.kind === 'local') return [...out, errorDiag('failed to get local variable', `While evaluating "${key}", its dependency "${d.key}" was not found, is it defined?`, d.range)];
        continue;
      }
      const r = await run(dep, depth + 1);
      out.push(...r);
      if (hasErrors(r)) return out;
    }
    done.add(key);
    out.push(...(await evaluateNode(n, scope, registry, opts)));
    return out;
  };
  for (const def of data) {
    const r = await run({ kind: 'data', def }, 0);
    for (const d of r) if (!diagnostics.some((x) => x.summary === d.summary)) diagnostics.push(d);
  }
  for (const def of locals) diagnostics.push(...(await run({ kind: 'local', def }, 0)));
  return diagnostics;
}
