/**
 * Worker for scripts/fuzz-hcl.ts: runs each input through every native and JSON entry
 * point, then evaluates what parsed, and reports after each input, so the parent can
 * tell a hang (no report within the watchdog) from a throw (an error report).
 */
import { parentPort } from 'node:worker_threads';
import type { Body } from '../src/hcl/body.js';
import { EvalContext } from '../src/hcl/eval-context.js';
import type { Expression } from '../src/hcl/expression.js';
import { parseJSONExpression, parseJSONFile } from '../src/hcl/json/parse.js';
import { parseNativeFile } from '../src/hcl/syntax/body-file.js';
import { toExpression } from '../src/hcl/syntax/eval.js';
import { lexConfig, lexTemplate } from '../src/hcl/syntax/lex.js';
import { parseConfig, parseExpression, parseTemplate, parseTraversalAbs, parseTraversalPartial } from '../src/hcl/syntax/parse.js';
import { packerFunctions } from '../src/template/functions/table.js';
import * as cty from '../src/hcl/cty/index.js';

/** Functions without side effects outside the process (no files read from the input's names, no network). */
const UNSAFE = new Set(['file', 'fileexists', 'fileset', 'templatefile', 'filebase64', 'aws_secretsmanager', 'aws_secretsmanager_raw', 'vault', 'consul_key', 'bcrypt']);
const functions = new Map([...packerFunctions({ baseDir: '/nonexistent', env: {} })].filter(([name]) => !UNSAFE.has(name)));
const ctx = new EvalContext({
  variables: {
    var: cty.objectVal({ a: cty.stringVal('x'), n: cty.numberIntVal(3), l: cty.tupleVal([cty.stringVal('p'), cty.stringVal('q')]) }),
    local: cty.dynamicVal,
    path: cty.objectVal({ root: cty.stringVal('/r') }),
  },
  functions,
});

function evaluate(expr: Expression): void {
  expr.value(ctx);
  expr.value(undefined);
  expr.variables();
}

function evaluateBody(body: Body): void {
  const attrs = body.justAttributes();
  for (const attr of attrs.attributes.values()) evaluate(attr.expr);
  body.content({ attributes: [{ name: 'a' }], blocks: [{ type: 'source', labelNames: ['type', 'name'] }, { type: 'variable', labelNames: ['name'] }] });
  body.partialContent({ blocks: [{ type: 'build' }, { type: 'locals' }] });
}

export function fuzzOne(input: string): void {
  lexConfig(input);
  lexTemplate(input);
  parseConfig(input, 'fuzz.hcl');
  parseTraversalAbs(input);
  parseTraversalPartial(input);
  evaluate(toExpression(parseExpression(input, 'fuzz.hcl').value));
  evaluate(toExpression(parseTemplate(input, 'fuzz.hcl').value));
  evaluateBody(parseNativeFile(input, 'fuzz.pkr.hcl').body);
  evaluateBody(parseJSONFile(input, 'fuzz.pkr.json').body);
  evaluate(parseJSONExpression(input, 'fuzz.json').expression);
}

parentPort?.on('message', (msg: { inputs: readonly string[] }) => {
  for (const [i, input] of msg.inputs.entries()) {
    try {
      fuzzOne(input);
      parentPort?.postMessage({ i, error: undefined });
    } catch (e) {
      parentPort?.postMessage({ i, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  }
});
