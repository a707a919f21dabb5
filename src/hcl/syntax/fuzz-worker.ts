/**
 * Worker for fuzz-harness.ts: parses each input it is sent every way the syntax package
 * can, and with the JSON syntax (file, attributes and their values, expression), and
 * reports back after each one, so the test can tell a hang (no report)
 * from a throw (an error report).
 */
import { parentPort } from 'node:worker_threads';
import { parseJSONExpression, parseJSONFile } from '../json/parse.js';
import { lexConfig, lexTemplate } from './lex.js';
import { parseConfig, parseExpression, parseTemplate, parseTraversalAbs, parseTraversalPartial } from './parse.js';

parentPort?.on('message', (msg: { index: number; input: string }) => {
  try {
    lexConfig(msg.input);
    lexTemplate(msg.input);
    parseConfig(msg.input, 'fuzz.hcl');
    parseExpression(msg.input, 'fuzz.hcl');
    parseTemplate(msg.input, 'fuzz.hcl');
    parseTraversalAbs(msg.input);
    parseTraversalPartial(msg.input);
    for (const attr of parseJSONFile(msg.input, 'fuzz.json').body.justAttributes().attributes.values()) attr.expr.value(undefined);
    parseJSONExpression(msg.input, 'fuzz.json').expression.value(undefined);
    parentPort?.postMessage({ index: msg.index, error: undefined });
  } catch (e) {
    parentPort?.postMessage({ index: msg.index, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
