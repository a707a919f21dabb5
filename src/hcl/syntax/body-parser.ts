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
import { attributeNode, blockNode, bodyNode } from './ast-nodes.js';
import { between, endOf } from './range.js';
import { decodeStringLiteralToken } from './string-literal.js';
import type { Token, TokenType } from './token.js';

const ARG_OR_BLOCK = 'Argument or block definition required';

/** Parses body items until `end` (`EOF` for a file, `CBrace` for a block). */
export function parseBody(p: ExpressionParser, end: TokenType): Parsed<Body> {
  const attributes = new Map<string, Attribute>();
  const blocks: Block[] = [];
  const diags: Diagnostic[] = [];
  const startRange = p.prevRange();
  let endRange: Range;
  for (;;) {
    const next = p.peekType();
    if (next === end) {
      endRange = p.nextRange();
      p.skip();
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
        } else attributes.set(node.name, node);
      }
      continue;
    }
    const bad = p.read();
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
    endRange = p.prevRange();
    p.recover(end);
    break;
  }
  return { node: bodyNode(attributes, blocks, startRange, endRange), diags };
}

function parseBodyItem(p: ExpressionParser): Parsed<Attribute | Block | undefined> {
  const ident = p.read();
  const next = p.peek();
  switch (next.type) {
    case 'Equal':
      return finishAttribute(p, ident, false);
    case 'OQuote':
    case 'OBrace':
    case 'Ident':
      return finishBlock(p, ident);
    default:
      p.recoverAfterBodyItem();
      return { node: undefined, diags: [errorDiag(ARG_OR_BLOCK, 'An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value.', ident.range)] };
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
      const a = finishAttribute(p, ident, true);
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

function finishAttribute(p: ExpressionParser, ident: Token, singleLine: boolean): Parsed<Attribute> {
  const eq = p.read();
  const expr = p.parseExpression();
  const diags = expr.diags;
  let endRange: Range;
  if (p.recovery && hasErrors(diags)) {
    // Recovery inside expressions leaves us somewhere odd: resync at the next item.
    endRange = p.prevRange();
    p.recoverAfterBodyItem();
  } else {
    endRange = p.prevRange();
    if (!singleLine) {
      const end = p.peek();
      if (end.type !== 'Newline' && end.type !== 'EOF') {
        if (!p.recovery) {
          const comma = end.type === 'Comma';
          const summary = comma ? 'Unexpected comma after argument' : 'Missing newline after argument';
          const detail = (comma ? 'Argument definitions must be separated by newlines, not commas. ' : '') + 'An argument definition must end with a newline.';
          diags.push(errorDiag(summary, detail, end.range, between(ident.range, end.range)));
        }
        endRange = p.prevRange();
        p.recoverAfterBodyItem();
      } else {
        endRange = p.prevRange();
        p.skip();
      }
    }
  }
  return {
    node: attributeNode(ident.text, expr.node, ident.range, eq.range, endRange),
    diags,
  };
}

function parseQuotedLabel(p: ExpressionParser): { label: string; range: Range; diags: Diagnostic[] } {
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

function finishBlock(p: ExpressionParser, ident: Token): Parsed<Block> {
  if (p.depth >= MAX_NESTING) {
    const diags = p.nestingDiag(ident.range);
    p.recoverAfterBodyItem();
    return { node: brokenBlock(ident, [], []), diags };
  }
  p.depth++;
  try {
    return finishBlockInner(p, ident);
  } finally {
    p.depth--;
  }
}

function brokenBlock(ident: Token, labels: string[], labelRanges: Range[]): Block {
  const r = ident.range;
  return {
    kind: 'block', type: ident.text, labels, labelRanges,
    body: { kind: 'body', attributes: new Map(), blocks: [], srcRange: r, endRange: r },
    srcRange: r, typeRange: r, openBraceRange: r, closeBraceRange: r,
  };
}

function finishBlockInner(p: ExpressionParser, ident: Token): Parsed<Block> {
  const diags: Diagnostic[] = [];
  const labels: string[] = [];
  const labelRanges: Range[] = [];
  let oBrace: Token;
  for (;;) {
    const tok = p.peek();
    if (tok.type === 'OBrace') {
      oBrace = p.read();
      break;
    }
    if (tok.type === 'OQuote') {
      const l = parseQuotedLabel(p);
      diags.push(...l.diags);
      labels.push(l.label);
      labelRanges.push(l.range);
      continue;
    }
    if (tok.type === 'Ident') {
      p.skip();
      labels.push(tok.text);
      labelRanges.push(tok.range);
      continue;
    }
    const context = between(ident.range, tok.range);
    if (tok.type === 'Equal') {
      diags.push(errorDiag('Invalid block definition', 'The equals sign "=" indicates an argument definition, and must not be used when defining a block.', tok.range, context));
    } else if (tok.type === 'Newline') {
      diags.push(errorDiag('Invalid block definition', 'A block definition must have block content delimited by "{" and "}", starting on the same line as the block header.', tok.range, context));
    } else if (!p.recovery) {
      diags.push(errorDiag('Invalid block definition', 'Either a quoted string block label or an opening brace ("{") is expected here.', tok.range, context));
    }
    p.recoverAfterBodyItem();
    return { node: brokenBlock(ident, labels, labelRanges), diags };
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
    diags.push(...closeSingleLineBlock(p, ident, oBrace));
  }
  diags.push(...bodyDiags);
  const cBraceRange = p.prevRange();
  const eol = p.peek();
  if (eol.type === 'Newline' || eol.type === 'EOF') p.skip();
  else {
    if (!p.recovery) {
      diags.push(errorDiag('Missing newline after block definition', 'A block definition must end with a newline.', eol.range, between(ident.range, eol.range)));
    }
    p.recoverAfterBodyItem();
  }
  // Never a missing body: callers analyse partial results.
  body ??= { kind: 'body', attributes: new Map(), blocks: [], srcRange: between(oBrace.range, cBraceRange), endRange: cBraceRange };
  return {
    node: blockNode(ident.text, exact(labels), exact(labelRanges), body, ident.range, oBrace.range, cBraceRange),
    diags,
  };
}

function closeSingleLineBlock(p: ExpressionParser, ident: Token, oBrace: Token): Diagnostic[] {
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
          diags.push(errorDiag('Unclosed configuration block', 'There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.', oBrace.range, between(ident.range, oBrace.range)));
        } else {
          diags.push(errorDiag('Invalid single-argument block definition', 'A single-line block definition must end with a closing brace immediately after its single argument definition.', next.range));
        }
      }
  }
  p.recover('CBrace');
  return diags;
}
