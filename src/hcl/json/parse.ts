/**
 * The JSON-syntax entry points (json/public.go). Neither throws: every problem is a
 * diagnostic, and the result is always usable.
 */
import type { Body } from '../body.js';
import type { Diagnostic } from '../diagnostic.js';
import type { SourceFile } from '../diagnostic-text.js';
import type { Expression } from '../expression.js';
import type { Pos, Range } from '../pos.js';
import { INITIAL_POS } from '../pos.js';
import { startRange } from './ast.js';
import type { JSONNode } from './ast.js';
import { JSONBody } from './body.js';
import { jsonExpression } from './expression.js';
import { jsonContextString } from './navigation.js';
import { parseJSONValue } from './parser.js';

/** A parsed JSON configuration file. */
export interface JSONFile {
  readonly body: Body;
  /** The source and its context strings, for the diagnostic renderer. */
  readonly file: SourceFile;
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses a JSON configuration file. The root must be an object or an array of
 * objects ("Root value must be object" otherwise, with an empty body in its place).
 */
export function parseJSONFile(src: string, filename = '', start: Pos = INITIAL_POS): JSONFile {
  const parsed = parseJSONValue(src, filename, start);
  let root: JSONNode = parsed.node;
  const diagnostics = parsed.diagnostics;
  if (root.kind !== 'object' && root.kind !== 'array') {
    diagnostics.push({
      severity: 'error',
      summary: 'Root value must be object',
      detail: 'The root value in a JSON-based configuration must be either a JSON object or a JSON array of objects.',
      subject: startRange(root),
    });
    const fake: Range = { filename, start: INITIAL_POS, end: INITIAL_POS };
    root = { kind: 'object', attrs: [], srcRange: fake, openRange: fake, closeRange: fake };
  }
  const finalRoot = root;
  const file: SourceFile = { bytes: Buffer.from(src, 'utf8'), contextString: (offset) => jsonContextString(finalRoot, offset) };
  return { body: new JSONBody(root), file, diagnostics };
}

/** Parses a standalone JSON value as an expression (json.ParseExpression). */
export function parseJSONExpression(src: string, filename = '', start: Pos = INITIAL_POS): { expression: Expression; diagnostics: Diagnostic[] } {
  const r = parseJSONValue(src, filename, start);
  return { expression: jsonExpression(r.node), diagnostics: r.diagnostics };
}
