/**
 * Config structure (hclsyntax's ParseBody and friends): attributes, blocks with
 * labels, one-line blocks, with HCL's diagnostics and newline-based recovery.
 */
import type { Diagnostic } from '../diagnostic.js';
import { errorDiag, hasErrors } from '../diagnostic.js';
import { formatRange } from '../pos.js';
import type { Range } from '../pos.js';
import type { Attribute, Block, Body } from './ast.js';
import type { ExpressionParser, Parsed } from './expression-parser.js';
import { MAX_NESTING, exact } from './expression-parser.js';
import { AttributeMap, AttributeNode, BlockNode, BodyNode } from './ast-nodes.js';
import { between, endOf } from './range.js';
import { decodeStringLiteralToken } from './string-literal.js';
import type { TokenType } from './token.js';
import { TokenRange } from './token-range.js';
import { tokenTypeCode } from './token-stream.js';

const ARG_OR_BLOCK = 'Argument or block definition required';
const CQUOTE = tokenTypeCode('CQuote');
const QUOTEDLIT = tokenTypeCode('QuotedLit');

/** The `blocks` of every body without blocks (most of them). */
const NO_BLOCKS: readonly Block[] = Object.freeze([]);

/** Parses body items until `end` (`EOF` for a file, `CBrace` for a block). */
export function parseBody(p: ExpressionParser, end: TokenType): Parsed<Body> {
  const attributes = new AttributeMap();
  const blocks: Block[] = [];
  const diags: Diagnostic[] = [];
  const startIdx = p.prevIndex();
  let endIdx: number;
  for (;;) {
    const next = p.peekType();
    if (next === end) {
      endIdx = p.readIndex();
      break;
    }
    if (next === 'Newline') {
      p.skip();
      continue;
    }
    if (next === 'Ident') {
      const item = parseBodyItem(p);
      diags.push(...item.diags);
      const node = item.node;
      if (node?.kind === 'block') blocks.push(node);
      else if (node?.kind === 'attribute') {
        const existing = attributes.get(node.name);
        if (existing) {
          diags.push(errorDiag('Attribute redefined', `The argument ${JSON.stringify(node.name)} was already set at ${formatRange(existing.nameRange)}. Each argument may be set only once.`, node.nameRange));
        } else attributes.add(node);
      }
      continue;
    }
    const bad = p.read();
    const startRange = p.stream().range(startIdx);
    if (!p.recovery) {
      if (bad.type === 'OQuote') {
        diags.push(errorDiag('Invalid argument name', 'Argument names must not be quoted.', bad.range));
      } else if (bad.type === 'EOF') {
        if (end === 'CBrace') {
          diags.push(errorDiag('Unclosed configuration block', 'There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.', startRange));
        } else {
          diags.push(errorDiag('Unclosed configuration body', 'Found end of file before the end of this configuration body.', startRange));
        }
      } else {
        diags.push(errorDiag(ARG_OR_BLOCK, 'An argument or block definition is required here.', bad.range));
      }
    }
    endIdx = p.prevIndex();
    p.recover(end);
    break;
  }
  return { node: new BodyNode(attributes, blocks.length === 0 ? NO_BLOCKS : exact(blocks), p.stream(), startIdx * 2, endIdx * 2 + 1), diags };
}

function parseBodyItem(p: ExpressionParser): Parsed<Attribute | Block | undefined> {
  const ident = p.readIndex();
  switch (p.peekType()) {
    case 'Equal':
      return finishAttribute(p, ident, false);
    case 'OQuote':
    case 'OBrace':
    case 'Ident':
      return finishBlock(p, ident);
    default:
      p.recoverAfterBodyItem();
      return { node: undefined, diags: [errorDiag(ARG_OR_BLOCK, 'An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value.', p.stream().range(ident))] };
  }
}

/** The body of `name { arg = value }`: exactly one attribute on the block's line. */
function parseSingleAttrBody(p: ExpressionParser): Parsed<Body | undefined> {
  const ident = p.read();
  if (ident.type !== 'Ident') {
    p.recoverAfterBodyItem();
    return { node: undefined, diags: [errorDiag(ARG_OR_BLOCK, 'An argument or block definition is required here.', ident.range)] };
  }
  const next = p.peek();
  switch (next.type) {
    case 'Equal': {
      const a = finishAttribute(p, p.prevIndex(), true);
      const attr = a.node;
      return {
        node: { kind: 'body', attributes: new Map([[ident.text, attr]]), blocks: [], srcRange: attr.srcRange, endRange: endOf(attr.srcRange) },
        diags: a.diags,
      };
    }
    case 'OQuote':
    case 'OBrace':
    case 'Ident':
      p.recoverAfterBodyItem();
      return {
        node: undefined,
        diags: [errorDiag('Argument definition required', `A single-line block definition can contain only a single argument. If you meant to define argument ${JSON.stringify(ident.text)}, use an equals sign to assign it a value. To define a nested block, place it on a line of its own within its parent block.`, between(ident.range, next.range))],
      };
    default:
      p.recoverAfterBodyItem();
      return { node: undefined, diags: [errorDiag(ARG_OR_BLOCK, 'An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value.', ident.range)] };
  }
}

/** After the name (token `ident`, just read) of `name = value`. */
function finishAttribute(p: ExpressionParser, ident: number, singleLine: boolean): Parsed<Attribute> {
  const stream = p.stream();
  const eq = p.readIndex();
  const expr = p.parseExpression();
  const diags = expr.diags;
  // The attribute ends with the last token read before resyncing or the newline.
  const endIdx = p.prevIndex();
  if (p.recovery && hasErrors(diags)) {
    // Recovery inside expressions leaves us somewhere odd: resync at the next item.
    p.recoverAfterBodyItem();
  } else if (!singleLine) {
    const endType = p.peekType();
    if (endType !== 'Newline' && endType !== 'EOF') {
      if (!p.recovery) {
        const end = p.peek();
        const comma = end.type === 'Comma';
        const summary = comma ? 'Unexpected comma after argument' : 'Missing newline after argument';
        const detail = (comma ? 'Argument definitions must be separated by newlines, not commas. ' : '') + 'An argument definition must end with a newline.';
        diags.push(errorDiag(summary, detail, end.range, between(stream.range(ident), end.range)));
      }
      p.recoverAfterBodyItem();
    } else p.skip();
  }
  return { node: new AttributeNode(stream.text(ident), expr.node, stream, ident * 2, eq * 2, endIdx * 2 + 1), diags };
}

function parseQuotedLabel(p: ExpressionParser): { label: string; range: Range; diags: Diagnostic[] } {
  // Most labels are plain text ("name" without escapes): read without token objects.
  const stream = p.stream();
  const codes = stream.codes;
  const i = p.peekIndex();
  const empty = codes[i + 1] === CQUOTE;
  if (empty || (codes[i + 1] === QUOTEDLIT && codes[i + 2] === CQUOTE)) {
    const text = empty ? '' : stream.text(i + 1);
    if (text.indexOf('\\') < 0 && text.indexOf('{') < 0) {
      p.skip();
      if (!empty) p.skip();
      const close = p.readIndex();
      return { label: text, range: new TokenRange(stream, i * 2, close * 2 + 1), diags: [] };
    }
  }
  const r = parseQuotedStringLiteral(p);
  return { label: r.value, range: r.range, diags: r.diags };
}

/** A quoted string that may not contain template sequences (block labels, traversal keys). */
export function parseQuotedStringLiteral(p: ExpressionParser): { value: string; range: Range; diags: Diagnostic[] } {
  const oQuote = p.read();
  if (oQuote.type !== 'OQuote') {
    return { value: '', range: oQuote.range, diags: [errorDiag('Invalid string literal', 'A quoted string is required here.', oQuote.range)] };
  }
  const diags: Diagnostic[] = [];
  let out = '';
  let endRange: Range;
  for (;;) {
    const tok = p.read();
    if (tok.type === 'CQuote') {
      endRange = tok.range;
      break;
    }
    if (tok.type === 'QuotedLit') {
      const s = decodeStringLiteralToken(tok);
      diags.push(...s.diagnostics);
      out += s.value;
      continue;
    }
    if (tok.type === 'TemplateControl' || tok.type === 'TemplateInterp') {
      const which = tok.type === 'TemplateControl' ? '%' : '$';
      diags.push(errorDiag('Invalid string literal', `Template sequences are not allowed in this string. To include a literal "${which}", double it (as "${which}${which}") to escape it.`, tok.range, between(oQuote.range, tok.range)));
      out += `${which}{ ... }`;
      p.recover('TemplateSeqEnd');
      continue;
    }
    if (tok.type === 'EOF') {
      diags.push(errorDiag('Unterminated string literal', 'Unable to find the closing quote mark before the end of the file.', tok.range, between(oQuote.range, tok.range)));
      endRange = tok.range;
      break;
    }
    diags.push(errorDiag('Invalid string literal', 'This item is not valid in a string literal.', tok.range, between(oQuote.range, tok.range)));
    p.recover('CQuote');
    endRange = tok.range;
    break;
  }
  return { value: out, range: between(oQuote.range, endRange), diags };
}

/** After the type name (token `ident`, just read) of a block. */
function finishBlock(p: ExpressionParser, ident: number): Parsed<Block> {
  if (p.depth >= MAX_NESTING) {
    const diags = p.nestingDiag(p.stream().range(ident));
    p.recoverAfterBodyItem();
    return { node: brokenBlock(p, ident, [], []), diags };
  }
  p.depth++;
  try {
    return finishBlockInner(p, ident);
  } finally {
    p.depth--;
  }
}

function brokenBlock(p: ExpressionParser, ident: number, labels: string[], labelRanges: Range[]): Block {
  const r = p.stream().range(ident);
  return {
    kind: 'block', type: p.stream().text(ident), labels, labelRanges,
    body: { kind: 'body', attributes: new Map(), blocks: [], srcRange: r, endRange: r },
    srcRange: r, typeRange: r, openBraceRange: r, closeBraceRange: r,
  };
}

function finishBlockInner(p: ExpressionParser, ident: number): Parsed<Block> {
  const stream = p.stream();
  const diags: Diagnostic[] = [];
  const labels: string[] = [];
  const labelRanges: Range[] = [];
  let oBrace: number;
  for (;;) {
    const type = p.peekType();
    if (type === 'OBrace') {
      oBrace = p.readIndex();
      break;
    }
    if (type === 'OQuote') {
      const l = parseQuotedLabel(p);
      if (l.diags.length > 0) diags.push(...l.diags);
      labels.push(l.label);
      labelRanges.push(l.range);
      continue;
    }
    if (type === 'Ident') {
      const i = p.readIndex();
      labels.push(stream.text(i));
      labelRanges.push(stream.range(i));
      continue;
    }
    const tok = p.peek();
    const context = between(stream.range(ident), tok.range);
    if (tok.type === 'Equal') {
      diags.push(errorDiag('Invalid block definition', 'The equals sign "=" indicates an argument definition, and must not be used when defining a block.', tok.range, context));
    } else if (tok.type === 'Newline') {
      diags.push(errorDiag('Invalid block definition', 'A block definition must have block content delimited by "{" and "}", starting on the same line as the block header.', tok.range, context));
    } else if (!p.recovery) {
      diags.push(errorDiag('Invalid block definition', 'Either a quoted string block label or an opening brace ("{") is expected here.', tok.range, context));
    }
    p.recoverAfterBodyItem();
    return { node: brokenBlock(p, ident, labels, labelRanges), diags };
  }
  let body: Body | undefined;
  const bodyDiags: Diagnostic[] = [];
  const first = p.peekType();
  if (first === 'Newline' || first === 'EOF' || first === 'CBrace') {
    const b = parseBody(p, 'CBrace');
    body = b.node;
    bodyDiags.push(...b.diags);
  } else {
    const b = parseSingleAttrBody(p);
    body = b.node;
    bodyDiags.push(...b.diags);
    diags.push(...closeSingleLineBlock(p, stream.range(ident), stream.range(oBrace)));
  }
  if (bodyDiags.length > 0) diags.push(...bodyDiags);
  const cBrace = p.prevIndex();
  const eol = p.peekType();
  if (eol === 'Newline' || eol === 'EOF') p.skip();
  else {
    if (!p.recovery) {
      const r = p.peek().range;
      diags.push(errorDiag('Missing newline after block definition', 'A block definition must end with a newline.', r, between(stream.range(ident), r)));
    }
    p.recoverAfterBodyItem();
  }
  // Never a missing body: callers analyse partial results.
  body ??= { kind: 'body', attributes: new Map(), blocks: [], srcRange: between(stream.range(oBrace), stream.range(cBrace)), endRange: stream.range(cBrace) };
  return {
    node: new BlockNode(stream.text(ident), exact(labels), exact(labelRanges), body, stream, ident * 2, oBrace * 2, cBrace * 2, cBrace * 2 + 1),
    diags,
  };
}

function closeSingleLineBlock(p: ExpressionParser, identRange: Range, oBraceRange: Range): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const next = p.peek();
  switch (next.type) {
    case 'CBrace':
      p.skip();
      return diags;
    case 'Comma':
      diags.push(errorDiag('Invalid single-argument block definition', 'Single-line block syntax can include only one argument definition. To define multiple arguments, use the multi-line block syntax with one argument definition per line.', next.range));
      break;
    case 'Newline':
      diags.push(errorDiag('Invalid single-argument block definition', "An argument definition on the same line as its containing block creates a single-line block definition, which must also be closed on the same line. Place the block's closing brace immediately after the argument definition.", next.range));
      break;
    default:
      if (!p.recovery) {
        if (next.type === 'EOF') {
          diags.push(errorDiag('Unclosed configuration block', 'There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.', oBraceRange, between(identRange, oBraceRange)));
        } else {
          diags.push(errorDiag('Invalid single-argument block definition', 'A single-line block definition must end with a closing brace immediately after its single argument definition.', next.range));
        }
      }
  }
  p.recover('CBrace');
  return diags;
}
