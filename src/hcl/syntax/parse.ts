/**
 * The native-syntax parsing entry points (hclsyntax's public.go). None of them
 * throws: every user mistake becomes a diagnostic and a usable (partial) tree.
 */
import type { Diagnostic } from '../diagnostic.js';
import { errorDiag } from '../diagnostic.js';
import type { Pos } from '../pos.js';
import { INITIAL_POS } from '../pos.js';
import type { Body, Expression, Traverser } from './ast.js';
import { parseBody } from './body-parser.js';
import { ExpressionParser, templateNode } from './expression-parser.js';
import type { LexResult } from './lex.js';
import { lexConfig, lexExpression, lexTemplate } from './lex.js';
import { parseTemplateInner } from './template-parser.js';
import { parseTraversal } from './traversal-parser.js';

export interface ParseResult<T> {
  readonly value: T;
  readonly diagnostics: Diagnostic[];
}

/** Parses a whole config file into its root body. */
export function parseConfig(src: string, filename = '', start: Pos = INITIAL_POS): ParseResult<Body> {
  const lexed = lexConfig(src, filename, start);
  const p = new ExpressionParser(lexed.stream);
  const body = parseBody(p, 'EOF');
  return { value: body.node, diagnostics: [...lexed.diagnostics, ...body.diags] };
}

/**
 * Parses a config file from the result of `lexConfig` (the same result as `parseConfig`
 * on that source), for tools such as the formatter that need the tokens as well and
 * should not scan the file twice.
 */
export function parseConfigTokens(lexed: LexResult): ParseResult<Body> {
  const p = new ExpressionParser(lexed.stream);
  const body = parseBody(p, 'EOF');
  return { value: body.node, diagnostics: [...lexed.diagnostics, ...body.diags] };
}

/** Parses a standalone expression; newlines are insignificant, as inside parentheses. */
export function parseExpression(src: string, filename = '', start: Pos = INITIAL_POS): ParseResult<Expression> {
  const lexed = lexExpression(src, filename, start);
  const p = new ExpressionParser(lexed.stream);
  p.pushIncludeNewlines(false);
  const expr = p.parseExpression();
  const diags = [...lexed.diagnostics, ...expr.diags];
  const next = p.peek();
  if (next.type !== 'EOF' && !p.recovery) {
    diags.push(errorDiag('Extra characters after expression', 'An expression was successfully parsed, but extra characters were found after it.', next.range));
  }
  p.popIncludeNewlines();
  return { value: expr.node, diagnostics: diags };
}

/** Parses a bare template: the contents of a template file, without quotes. */
export function parseTemplate(src: string, filename = '', start: Pos = INITIAL_POS): ParseResult<Expression> {
  const lexed = lexTemplate(src, filename, start);
  const p = new ExpressionParser(lexed.stream);
  const inner = parseTemplateInner(p, 'EOF', false);
  return { value: templateNode(inner.parts, inner.passthru, inner.srcRange), diagnostics: [...lexed.diagnostics, ...inner.diags] };
}

/** Parses an absolute traversal such as `var.foo[0]["bar"]` (no splats). */
export function parseTraversalAbs(src: string, filename = '', start: Pos = INITIAL_POS): ParseResult<Traverser[]> {
  return traversal(src, filename, start, false);
}

/** Like `parseTraversalAbs`, but `[*]` is allowed and becomes a `splat` step. */
export function parseTraversalPartial(src: string, filename = '', start: Pos = INITIAL_POS): ParseResult<Traverser[]> {
  return traversal(src, filename, start, true);
}

function traversal(src: string, filename: string, start: Pos, allowSplats: boolean): ParseResult<Traverser[]> {
  const lexed = lexExpression(src, filename, start);
  const p = new ExpressionParser(lexed.stream);
  p.pushIncludeNewlines(false);
  const r = parseTraversal(p, allowSplats);
  p.popIncludeNewlines();
  return { value: r.traversal, diagnostics: [...lexed.diagnostics, ...r.diags] };
}

const NON_ASCII = /[\u0080-\uffff]/;
const ASCII_IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** True when `s` could be used as a variable or attribute name in a traversal. */
export function isValidIdentifier(s: string): boolean {
  // ASCII names (nearly all) answered without scanning: the scanner's own ASCII rule.
  if (!NON_ASCII.test(s)) return ASCII_IDENT.test(s);
  const toks = lexExpression(s).stream;
  return toks.length === 2 && toks.type(0) === 'Ident' && toks.text(0) === s;
}
