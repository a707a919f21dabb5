/**
 * Robustness: evaluation never throws on parsed input. Every attribute expression of
 * the real-world corpus (../shared/corpus/templates) is evaluated without a context,
 * with an empty one and with variables shaped to make its traversals succeed; then
 * seeded random mutations of each expression's text are parsed and evaluated too.
 * A failure here means an exception escaped, or the evaluator's internal-failure
 * diagnostic appeared.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sharedPath } from '../../../test/support/shared.js';
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

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files(full, out);
    else if (name.endsWith('.hcl')) out.push(full);
  }
  return out;
}

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

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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

describe('evaluation robustness over the corpus', () => {
  const dir = sharedPath('corpus', 'templates');
  const all = files(dir);

  it('finds the corpus', () => {
    assert.ok(all.length > 10, `only ${all.length} files under ${dir}`);
  });

  it('evaluates every corpus expression, and mutations of it, without throwing', () => {
    const next = rng(20240611);
    let count = 0;
    for (const file of all) {
      const bytes = readFileSync(file);
      const parsed = parseConfig(bytes.toString('utf8'), file);
      const exprs: ast.Expression[] = [];
      collect(parsed.value, exprs);
      for (const node of exprs) {
        const where = `${path.relative(dir, file)}:${node.srcRange.start.line}`;
        check(toExpression(node), where);
        const text = bytes.subarray(node.srcRange.start.byte, node.srcRange.end.byte).toString('utf8');
        for (let i = 0; i < 3; i++) {
          const m = mutate(text, next);
          check(toExpression(parseExpression(m, 'fuzz.hcl').value), `${where} mutated to ${JSON.stringify(m)}`);
        }
        count++;
      }
    }
    assert.ok(count > 500, `only ${count} expressions found`);
  });
});
