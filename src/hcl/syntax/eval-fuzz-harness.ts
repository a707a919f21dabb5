/**
 * Robustness of evaluation, for the eval-fuzz tests: every attribute expression of the
 * given files is evaluated without a context, with an empty one and with variables
 * shaped to make its traversals succeed; then seeded random mutations of each
 * expression's text are parsed and evaluated too. A failure means an exception escaped,
 * or the evaluator's internal-failure diagnostic appeared. Test code only: the
 * own-input test (eval-fuzz.test.ts) and the corpus one (eval-fuzz.conformance.test.ts)
 * share it.
 */
import assert from 'node:assert/strict';
import * as cty from '../cty/index.js';
import { EvalContext } from '../eval-context.js';
import type { Expression } from '../expression.js';
import { CTY_STDLIB } from '../functions/stdlib.js';
import { canFunc, tryFunc } from '../functions/try-can.js';
import type { Traversal } from '../traversal.js';
import { getType } from '../typeexpr/get-type.js';
import type * as ast from './ast.js';
import { toExpression } from './eval.js';
import { parseConfig, parseExpression } from './parse.js';

import type { Sample } from './fuzz-harness.js';
import { rng } from './fuzz-harness.js';

function collect(body: ast.Body, out: ast.Expression[]): void {
  for (const a of body.attributes.values()) out.push(a.expr);
  for (const b of body.blocks) collect(b.body, out);
}

/** A value on which `steps` (after the root) all succeed, ending in a marked string. */
function shapedFor(t: Traversal, i = 1): cty.Value {
  const step = t[i];
  if (step === undefined) return cty.mark(cty.stringVal('x'), 'sensitive');
  const inner = shapedFor(t, i + 1);
  if (step.kind === 'attr') return cty.objectVal({ [step.name]: inner });
  if (step.kind === 'index' && step.key.type.kind === 'string' && step.key.isKnown()) return cty.mapVal({ [step.key.asString()]: inner });
  if (step.kind === 'index' && step.key.type.kind === 'number' && step.key.isKnown()) {
    const n = Math.min(cty.toSafeInteger(step.key.asNumber()) ?? 0, 50);
    return cty.tupleVal(Array.from({ length: Math.max(n, 0) + 1 }, () => inner));
  }
  return inner;
}

const functions = new Map([...CTY_STDLIB].map(([id, f]) => [id.replace(/^.*stdlib\.(\w+)Func$/, '$1').toLowerCase(), f]));
functions.set('try', tryFunc);
functions.set('can', canFunc);

function contexts(e: Expression): Array<EvalContext | undefined> {
  const shaped = new Map<string, cty.Value>();
  const unknowns = new Map<string, cty.Value>();
  const nulls = new Map<string, cty.Value>();
  for (const t of e.variables()) {
    const root = t[0];
    if (root?.kind !== 'root') continue;
    shaped.set(root.name, shapedFor(t));
    unknowns.set(root.name, cty.dynamicVal);
    nulls.set(root.name, cty.nullVal(cty.stringType));
  }
  return [
    undefined,
    new EvalContext(),
    new EvalContext({ variables: shaped, functions }),
    new EvalContext({ variables: unknowns, functions }),
    new EvalContext({ variables: nulls, functions }),
  ];
}

function check(e: Expression, where: string): void {
  for (const c of contexts(e)) {
    let r;
    try {
      r = e.value(c);
    } catch (err) {
      assert.fail(`${where}: evaluation threw ${err instanceof Error ? err.stack : String(err)}`);
    }
    const internal = r.diagnostics.find((d) => d.summary === 'Failed to evaluate expression');
    assert.equal(internal, undefined, `${where}: ${internal?.detail}`);
  }
  getType(e, true, true);
  getType(e, false);
}

const NOISE = ['[', ']', '{', '}', '(', ')', '"', '${', '%{', '*', '.', '...', '?', ':', '=>', 'for', 'null', '0', '-', '!', ',', '\n', 'x'];

function mutate(src: string, next: () => number): string {
  const at = Math.floor(next() * (src.length + 1));
  switch (Math.floor(next() * 3)) {
    case 0:
      return src.slice(0, at);
    case 1:
      return src.slice(0, at) + NOISE[Math.floor(next() * NOISE.length)]! + src.slice(at);
    default:
      return src.slice(0, at) + src.slice(at + 1);
  }
}

/** Evaluates every expression of `samples` and three mutations of each; returns how many expressions there were. */
export function evaluateSamples(samples: readonly Sample[]): number {
  const next = rng(20240611);
  let count = 0;
  for (const { name, text } of samples) {
    const bytes = Buffer.from(text, 'utf8');
    const parsed = parseConfig(text, name);
    const exprs: ast.Expression[] = [];
    collect(parsed.value, exprs);
    for (const node of exprs) {
      const where = `${name}:${node.srcRange.start.line}`;
      check(toExpression(node), where);
      const source = bytes.subarray(node.srcRange.start.byte, node.srcRange.end.byte).toString('utf8');
      for (let i = 0; i < 3; i++) {
        const m = mutate(source, next);
        check(toExpression(parseExpression(m, 'fuzz.hcl').value), `${where} mutated to ${JSON.stringify(m)}`);
      }
      count++;
    }
  }
  return count;
}
