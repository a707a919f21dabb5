/**
 * The expression grammar (hclsyntax's parser.go): operators by precedence,
 * conditionals, terms, traversals, splats, calls, collection constructors and `for`.
 * Error handling mirrors HCL's: the same diagnostics, the same recovery points,
 * and a usable tree whatever the input.
 */
import type { Diagnostic } from '../diagnostic.js';
import { errorDiag, hasErrors } from '../diagnostic.js';
import type { Range } from '../pos.js';
import type {
  AnonSymbolExpr, BinaryOperator, Expression, ForExpr, LiteralValue, ObjectConsItem, ObjectConsKeyExpr, Traverser,
} from './ast.js';
import {
  DYNAMIC, FALSE, FunctionCallNode, LiteralNode, NULL, ObjectConsKeyNode, StringNode, TRUE, TemplateNode, TemplateWrapNode, UNKNOWN_NUMBER,
  collectionCons, functionCall, literal, templateExpr,
} from './expr-nodes.js';
import { Peeker, oppositeBracket } from './peeker.js';
import { AttrStep, NameNode, RelativeTraversalNode, ScopeTraversalNode, step, traversalNode } from './traversal-nodes.js';
import { between as rangeBetween, zeroRange } from './range.js';
import { parseTemplateInner } from './template-parser.js';
import { TokenRange } from './token-range.js';
import type { Token, TokenType } from './token.js';
import { tokenTypeCode } from './token-stream.js';

const CQUOTE = tokenTypeCode('CQuote');
const QUOTEDLIT = tokenTypeCode('QuotedLit');
const TEMPLATE_INTERP = tokenTypeCode('TemplateInterp');
const TEMPLATE_SEQ_END = tokenTypeCode('TemplateSeqEnd');

/** HCL's binary operator table, lowest precedence first. */
export const BINARY_PRECEDENCE: readonly (readonly BinaryOperator[])[] = [
  ['||'], ['&&'], ['==', '!='], ['>', '>=', '<', '<='], ['+', '-'], ['*', '/', '%'],
];

const OPERATOR_TOKENS: Readonly<Partial<Record<TokenType, BinaryOperator>>> = {
  Or: '||', And: '&&', EqualOp: '==', NotEqual: '!=', GreaterThan: '>', GreaterThanEq: '>=',
  LessThan: '<', LessThanEq: '<=', Plus: '+', Minus: '-', Star: '*', Slash: '/', Percent: '%',
};

const OPERATOR_LEVEL: Readonly<Record<BinaryOperator, number>> = {
  '||': 0, '&&': 1, '==': 2, '!=': 2, '>': 3, '>=': 3, '<': 3, '<=': 3, '+': 4, '-': 4, '*': 5, '/': 5, '%': 5,
};

/**
 * How deeply expressions, blocks and template directives may nest. The parser is
 * recursive; this keeps pathological input (thousands of `(`) to a diagnostic
 * instead of a stack overflow.
 */
export const MAX_NESTING = 256;

const VALID_NUMBER = /^[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?$/;

/**
 * Whether a text token of a quoted string stands for itself: no backslash escape, and
 * no `${` or `%{` (so no `$${` / `%%{` template escape either).
 */
function isPlainText(text: string): boolean {
  return text.indexOf('\\') < 0 && text.indexOf('${') < 0 && text.indexOf('%{') < 0;
}

/** Result of a parse step: the node and the diagnostics found on the way. */
export interface Parsed<T> {
  readonly node: T;
  readonly diags: Diagnostic[];
}

export { literal };

export function isKeyword(tok: Token, kw: string): boolean {
  return tok.type === 'Ident' && tok.text === kw;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * `a` in an array of its exact length, for arrays the tree keeps. An array grown by
 * `push` from empty has room for 17 elements: for the argument lists, labels and
 * traversals of a 5 MB file that slack was ~17 MB of the ~100 MB the tree holds,
 * copied by every garbage collection that moves it.
 */
export function exact<T>(a: readonly T[]): T[] {
  return a.slice();
}

/**
 * Appends a static step: extends `ret` in place when it is already a traversal the
 * parser just built (nothing else holds it yet), as HCL does, so long chains stay linear.
 */
function traversalExpr(ret: Expression, next: Traverser, rng: Range): Expression {
  if (ret instanceof NameNode && rng instanceof TokenRange) return ret.extended(next, rng.endSlot());
  if (ret.kind === 'scope-traversal' || ret.kind === 'relative-traversal') {
    (ret.traversal as Traverser[]).push(next);
    // A compact node's range and a step's are token ranges of the parser's one stream.
    if ((ret instanceof ScopeTraversalNode || ret instanceof RelativeTraversalNode) && rng instanceof TokenRange) {
      ret.extendTo(rng.endSlot());
      return ret;
    }
    const m = ret as Mutable<typeof ret>;
    m.srcRange = rangeBetween(ret.srcRange, rng);
    m.startRange = m.srcRange;
    return ret;
  }
  return traversalNode(ret, [next], rangeBetween(ret.srcRange, rng));
}

export class ExpressionParser extends Peeker {
  /** Current nesting depth (see MAX_NESTING). */
  depth = 0;
  /**
   * A stack that quoted templates and tuples collect their items on (from its length
   * at their start) before copying them out at their exact length. A fresh `[]` gets a
   * 16-slot store on its first push, which was most of what a list cost; this stack's
   * store is reused (its unused bottom entry keeps V8 from taking it back when popped).
   */
  private readonly items: (Expression | undefined)[] = [undefined];
  private toldDepth = false;

  /** A diagnostic for input nested deeper than MAX_NESTING, reported once per parse. */
  nestingDiag(range: Range): Diagnostic[] {
    this.setRecovery();
    if (this.toldDepth) return [];
    this.toldDepth = true;
    return [errorDiag('Nesting too deep', `This configuration nests expressions, blocks or template directives more than ${MAX_NESTING} levels deep, which is not supported.`, range)];
  }

  parseExpression(): Parsed<Expression> {
    // Depth is counted without a closure or try/finally: this runs for every expression.
    if (this.depth >= MAX_NESTING) return this.tooDeep();
    this.depth++;
    const start = this.peekIndex();
    let term = this.parseTermInner(start, this.peekType());
    // Most expressions are a lone term or a traversal (`var.a`): only an operator or `?`
    // after them goes the long way (the same tree and diagnostics, without a call and a
    // result object per level; the conditional level finds the steps already read).
    let next = this.peekType();
    if (next === 'Dot' || next === 'OBrack') {
      term = this.parseExpressionTraversals(term.node, term.diags);
      next = this.peekType();
    }
    const r = next === 'Question' || OPERATOR_TOKENS[next] !== undefined
      ? this.parseConditional(this.tokens.range(start), term)
      : term;
    this.depth--;
    return r;
  }

  /** The placeholder and (once) the diagnostic for input nested deeper than MAX_NESTING. */
  private tooDeep(): Parsed<Expression> {
    const at = this.peek().range;
    const diags = this.nestingDiag(at);
    return { node: literal(DYNAMIC, at), diags };
  }

  numberLiteral(tok: Token): Parsed<LiteralValue> {
    if (VALID_NUMBER.test(tok.text)) return { node: { kind: 'number', text: tok.text }, diags: [] };
    return {
      node: UNKNOWN_NUMBER,
      diags: [errorDiag('Invalid number literal', 'Failed to recognize the value of this number literal.', tok.range)],
    };
  }

  /** The conditional level, given the expression's first term (parsed) and its first token's range. */
  private parseConditional(startRange: Range, term: Parsed<Expression>): Parsed<Expression> {
    const cond = this.parseBinaryOps(0, term);
    const diags = cond.diags;
    if (this.recovery && hasErrors(cond.diags)) return cond;
    if (this.peekType() !== 'Question') return cond;
    this.skip();
    const t = this.parseExpression();
    diags.push(...t.diags);
    if (this.recovery && hasErrors(t.diags)) return { node: cond.node, diags };
    const colon = this.peek();
    if (colon.type !== 'Colon') {
      diags.push(errorDiag('Missing false expression in conditional', 'The conditional operator (...?...:...) requires a false expression, delimited by a colon.', colon.range, rangeBetween(startRange, colon.range)));
      return { node: cond.node, diags };
    }
    this.skip();
    const f = this.parseExpression();
    diags.push(...f.diags);
    if (this.recovery && hasErrors(f.diags)) return { node: cond.node, diags };
    return {
      node: {
        kind: 'conditional', condition: cond.node, trueResult: t.node, falseResult: f.node,
        srcRange: rangeBetween(startRange, f.node.srcRange), startRange: cond.node.startRange,
      },
      diags,
    };
  }

  /**
   * Binary operators by precedence climbing: left-associative within a level, the
   * same trees and recovery results as HCL's one-recursion-per-level parser, with
   * fewer frames per operand.
   */
  private parseBinaryOps(minLevel: number, term?: Parsed<Expression>): Parsed<Expression> {
    const first = this.withTraversals(term ?? this.parseExpressionTerm());
    const diags = first.diags;
    let lhs = first.node;
    if (this.recovery && hasErrors(diags)) return { node: lhs, diags };
    for (;;) {
      const op = OPERATOR_TOKENS[this.peekType()];
      if (op === undefined) break;
      const level = OPERATOR_LEVEL[op];
      if (level < minLevel) break;
      this.skip();
      const r = this.parseBinaryOps(level + 1);
      diags.push(...r.diags);
      if (this.recovery && hasErrors(r.diags)) return { node: lhs, diags };
      lhs = binary(lhs, op, r.node);
    }
    return { node: lhs, diags };
  }

  parseExpressionWithTraversals(): Parsed<Expression> {
    return this.withTraversals(this.parseExpressionTerm());
  }

  /** `term` followed by any traversal steps after it. */
  private withTraversals(term: Parsed<Expression>): Parsed<Expression> {
    const next = this.peekType();
    if (next !== 'Dot' && next !== 'OBrack') return term;
    // The term's diagnostics array is fresh and ours: the steps' diagnostics go after them.
    return this.parseExpressionTraversals(term.node, term.diags);
  }

  private parseExpressionTraversals(from: Expression, diags: Diagnostic[] = []): Parsed<Expression> {
    let ret = from;
    const base = diags.length;
    for (;;) {
      const next = this.peekType();
      if (next === 'Dot') {
        const r = this.parseDotStep(from, ret, diags, base);
        if (r === undefined) continue;
        ret = r;
      } else if (next === 'OBrack') {
        ret = this.parseBracketStep(from, ret, diags);
      } else break;
    }
    // The steps were pushed onto the traversal in place: keep it at its exact length.
    if ((ret.kind === 'scope-traversal' || ret.kind === 'relative-traversal') && !(ret instanceof NameNode)) (ret as Mutable<typeof ret>).traversal = exact(ret.traversal);
    return { node: ret, diags };
  }

  private legacyIndexDiag(numTok: Token, splat: boolean, subject: Range): Diagnostic | undefined {
    const dot = numTok.text.indexOf('.');
    if (dot < 0) return undefined;
    const first = numTok.text.slice(0, dot);
    const second = numTok.text.slice(dot + 1);
    const how = splat ? 'Use the proper index syntax with a full splat expression [*] instead' : 'Use the proper index syntax instead';
    return errorDiag('Invalid legacy index syntax', `When using the legacy index syntax, chaining two indexes together is not permitted. ${how}, like [${first}][${second}].`, subject);
  }

  /** `.name`, `.0` or `.*`; returns undefined when the caller should just loop again. */
  private parseDotStep(from: Expression, ret: Expression, diags: Diagnostic[], base: number): Expression | undefined {
    const tokens = this.tokens;
    const dotIdx = this.readIndex();
    if (this.peekType() === 'Ident') {
      // `.name`, the usual step: no token objects.
      const a = this.readIndex();
      const e = a * 2 + 1;
      const next = new AttrStep(tokens.text(a), tokens, dotIdx * 2, e);
      if (ret instanceof NameNode) return ret.extended(next, e);
      if (ret instanceof ScopeTraversalNode || ret instanceof RelativeTraversalNode) {
        (ret.traversal as Traverser[]).push(next);
        ret.extendTo(e);
        return ret;
      }
      return traversalExpr(ret, next, new TokenRange(tokens, dotIdx * 2, e));
    }
    const dot = tokens.token(dotIdx);
    const attrTok = this.peek();
    switch (attrTok.type) {
      case 'NumberLit': {
        const numTok = this.read();
        const rng = rangeBetween(dot.range, numTok.range);
        const legacy = this.legacyIndexDiag(numTok, false, numTok.range);
        if (legacy) {
          diags.push(legacy);
          return traversalExpr(ret, step('index', DYNAMIC, rng), rng);
        }
        const num = this.numberLiteral(numTok);
        diags.push(...num.diags);
        return traversalExpr(ret, step('index', num.node, rng), rng);
      }
      case 'Star':
        return this.parseAttrSplat(from, ret, dot, attrTok, diags);
      default: {
        diags.push(errorDiag('Invalid attribute name', 'An attribute name is required after a dot.', attrTok.range));
        const srcRange = rangeBetween(from.srcRange, dot.range);
        this.setRecovery();
        // Only the steps' diagnostics: `diags` starts with the term's.
        return { kind: 'syntax-error', parseDiagnostics: diags.slice(base), srcRange, startRange: srcRange };
      }
    }
  }

  private parseAttrSplat(from: Expression, ret: Expression, dot: Token, attrTok: Token, diags: Diagnostic[]): Expression | undefined {
    const marker = this.read();
    const trav: Traverser[] = [];
    const firstRange = this.nextRange();
    let lastRange = marker.range;
    while (this.peekType() === 'Dot') {
      const d = this.read();
      if (this.peekType() === 'NumberLit') {
        const numTok = this.read();
        const rng = rangeBetween(d.range, numTok.range);
        const legacy = this.legacyIndexDiag(numTok, true, attrTok.range);
        if (legacy) {
          diags.push(legacy);
          trav.push(step('index', DYNAMIC, rng));
        } else {
          const num = this.numberLiteral(numTok);
          diags.push(...num.diags);
          trav.push(step('index', num.node, rng));
        }
        lastRange = numTok.range;
        continue;
      }
      if (this.peekType() !== 'Ident') {
        if (!this.recovery) {
          if (this.peekType() === 'Star') {
            diags.push(errorDiag('Nested splat expression not allowed', 'A splat expression (*) cannot be used inside another attribute-only splat expression.', this.peek().range));
          } else {
            diags.push(errorDiag('Invalid attribute name', 'An attribute name is required after a dot.', attrTok.range));
          }
        }
        this.setRecovery();
        return undefined;
      }
      const a = this.read();
      trav.push(step('attr', a.text, rangeBetween(d.range, a.range)));
      lastRange = a.range;
    }
    const itemRange = rangeBetween(dot.range, marker.range);
    const item: AnonSymbolExpr = { kind: 'anon-symbol', srcRange: itemRange, startRange: itemRange };
    let each: Expression = item;
    if (trav.length > 0) {
      const r = rangeBetween(firstRange, lastRange);
      each = traversalNode(item, trav, r);
    }
    return {
      kind: 'splat', source: ret, each, item,
      srcRange: rangeBetween(from.srcRange, lastRange), startRange: itemRange, markerRange: itemRange,
    };
  }

  private parseBracketStep(from: Expression, ret: Expression, diags: Diagnostic[]): Expression {
    const open = this.read();
    if (this.peekType() === 'Star') {
      this.skip();
      let close = this.read();
      if (close.type !== 'CBrack' && !this.recovery) {
        diags.push(errorDiag('Missing close bracket on splat index', 'The star for a full splat operator must be immediately followed by a closing bracket ("]").', close.range));
        close = this.recover('CBrack');
      }
      const markerRange = rangeBetween(open.range, close.range);
      const item: AnonSymbolExpr = { kind: 'anon-symbol', srcRange: markerRange, startRange: markerRange };
      const each = this.parseExpressionTraversals(item);
      diags.push(...each.diags);
      return {
        kind: 'splat', source: ret, each: each.node, item,
        srcRange: rangeBetween(from.srcRange, each.node.srcRange), startRange: markerRange, markerRange,
      };
    }
    let close: Token;
    this.pushIncludeNewlines(false);
    const key = this.parseExpression();
    diags.push(...key.diags);
    if (this.recovery && hasErrors(key.diags)) {
      close = this.recover('CBrack');
    } else {
      close = this.read();
      if (close.type !== 'CBrack' && !this.recovery) {
        diags.push(errorDiag('Missing close bracket on index', 'The index operator must end with a closing bracket ("]").', close.range));
        close = this.recover('CBrack');
      }
    }
    this.popIncludeNewlines();
    const rng = rangeBetween(open.range, close.range);
    const litKey = staticKey(key.node);
    if (litKey !== undefined) return traversalExpr(ret, step('index', litKey, rng), rng);
    return {
      kind: 'index', collection: ret, key: key.node,
      srcRange: rangeBetween(from.srcRange, rng), startRange: open.range, openRange: open.range, bracketRange: rng,
    };
  }

  parseExpressionTerm(): Parsed<Expression> {
    return this.parseTermInner(this.peekIndex(), this.peekType());
  }

  /** The term starting at token `start` (not read yet), whose type as `peekType` sees it is `type`. */
  private parseTermInner(start: number, type: TokenType): Parsed<Expression> {
    const tokens = this.tokens;
    switch (type) {
      case 'OParen':
        return this.parseParentheses(tokens.range(start));
      case 'NumberLit': {
        this.skip();
        const text = tokens.text(start);
        if (VALID_NUMBER.test(text)) return { node: new LiteralNode({ kind: 'number', text }, tokens, start * 2, start * 2 + 1), diags: [] };
        const num = this.numberLiteral(tokens.token(start));
        return { node: literal(num.node, tokens.range(start)), diags: num.diags };
      }
      case 'Ident': {
        this.skip();
        const next = this.peekType();
        if (next === 'OParen') return this.finishFunctionCall(start);
        if (next === 'DoubleColon') return this.finishNamespacedCall(start);
        const name = tokens.text(start);
        switch (name) {
          case 'true': return { node: new LiteralNode(TRUE, tokens, start * 2, start * 2 + 1), diags: [] };
          case 'false': return { node: new LiteralNode(FALSE, tokens, start * 2, start * 2 + 1), diags: [] };
          case 'null': return { node: new LiteralNode(NULL, tokens, start * 2, start * 2 + 1), diags: [] };
          default: return { node: new NameNode(name, tokens, start * 2), diags: [] };
        }
      }
      case 'OQuote':
      case 'OHeredoc': {
        this.skip();
        if (type === 'OQuote') {
          const plain = this.plainString(start) ?? this.quotedTemplate(start);
          if (plain !== undefined) return { node: plain, diags: [] };
        }
        const flush = type === 'OHeredoc' && tokens.text(start).startsWith('<<-');
        const inner = parseTemplateInner(this, oppositeBracket(type), flush);
        const srcRange = new TokenRange(tokens, start * 2, this.prevIndex() * 2 + 1);
        return { node: templateNode(inner.parts, inner.passthru, srcRange), diags: inner.diags };
      }
      case 'Minus':
      case 'Bang': {
        const tok = this.read();
        // Only the operand's term and traversals: -46+5 is (-46)+5.
        let operand: Parsed<Expression>;
        if (this.depth >= MAX_NESTING) operand = this.tooDeep();
        else {
          this.depth++;
          operand = this.parseExpressionWithTraversals();
          this.depth--;
        }
        return {
          node: {
            kind: 'unary-op', op: tok.type === 'Minus' ? 'negate' : 'not', operand: operand.node,
            srcRange: rangeBetween(tok.range, operand.node.srcRange), startRange: tok.range, symbolRange: tok.range,
          },
          diags: operand.diags,
        };
      }
      case 'OBrack':
        return this.parseTupleCons();
      case 'OBrace':
        return this.parseObjectCons();
      default: {
        const diags: Diagnostic[] = [];
        const at = tokens.range(start);
        if (!this.recovery) {
          if (type === 'EOF') {
            diags.push(errorDiag('Missing expression', 'Expected the start of an expression, but found the end of the file.', at));
          } else {
            diags.push(errorDiag('Invalid expression', 'Expected the start of an expression, but found an invalid expression token.', at));
          }
        }
        this.setRecovery();
        return { node: literal(DYNAMIC, at), diags };
      }
    }
  }

  /**
   * After `"`: a string of plain text (`"abc"` without escapes or sequences, or `""`)
   * as the template node the general path builds for it, reading the text and the
   * closing quote; undefined (nothing read) for anything else. Most strings in a
   * configuration are plain, and the general path makes parts to meld and fold.
   */
  private plainString(open: number): Expression | undefined {
    const tokens = this.tokens;
    const i = this.next;
    const code = tokens.codes[i];
    if (code === CQUOTE) {
      // `""` is a template of one empty literal at the end of the closing quote.
      this.next = i + 1;
      return new StringNode('', tokens, open * 2, i * 2 + 1, i * 2 + 1);
    }
    if (code !== QUOTEDLIT || tokens.codes[i + 1] !== CQUOTE) return undefined;
    const text = tokens.text(i);
    if (!isPlainText(text)) return undefined;
    this.next = i + 2;
    return new StringNode(text, tokens, open * 2, i * 2 + 3, i * 2);
  }

  /**
   * After `"`: a quoted template of plain text and `${expr}` interpolations only (no
   * directive, escape or `~` trim marker, no two text tokens in a row) whose
   * expressions parse without a diagnostic, as the node the general path builds for
   * it: `template-wrap` for a lone `"${x}"`, otherwise a `template` of literal and
   * expression parts. Most strings with interpolations in a configuration are this
   * (`"${var.x}"`, `"${path.root}/scripts/a.sh"`, `"A=${var.a}"`), and the general path
   * makes a token object, range and part per token, then melds and folds the parts.
   * Otherwise undefined, with the parser back where it was (position, recovery and
   * nesting state), for the general path to parse it again and report.
   */
  private quotedTemplate(open: number): Expression | undefined {
    const tokens = this.tokens;
    const codes = tokens.codes;
    const first = this.next;
    if (this.recovery || this.depth >= MAX_NESTING) return undefined;
    const toldDepth = this.toldDepth;
    const items = this.items;
    const base = items.length;
    let i = first;
    let lastLit = -1;
    let code = codes[i];
    while (code !== CQUOTE) {
      if (code === QUOTEDLIT) {
        // Two text tokens in a row are melded into one literal by the general path.
        if (lastLit === i - 1) break;
        const text = tokens.text(i);
        if (!isPlainText(text)) break;
        items.push(new LiteralNode({ kind: 'string', value: text }, tokens, i * 2, i * 2 + 1));
        lastLit = i;
        code = codes[++i];
        continue;
      }
      if (code !== TEMPLATE_INTERP || (tokens.ends[i] ?? 0) - (tokens.starts[i] ?? 0) !== 2) break;
      this.next = i + 1;
      this.depth++;
      this.pushIncludeNewlines(false);
      const e = this.parseExpression();
      const close = this.peekIndex();
      this.popIncludeNewlines();
      this.depth--;
      if (e.diags.length > 0 || this.recovery || codes[close] !== TEMPLATE_SEQ_END
        || (tokens.ends[close] ?? 0) - (tokens.starts[close] ?? 0) !== 1) break;
      items.push(e.node);
      i = close + 1;
      code = codes[i];
    }
    const count = items.length - base;
    if (code !== CQUOTE || count === 0) {
      items.length = base;
      this.next = first;
      this.recovery = false;
      this.toldDepth = toldDepth;
      return undefined;
    }
    this.next = i + 1;
    const parts = items.slice(base) as Expression[];
    items.length = base;
    const only = count === 1 ? parts[0] : undefined;
    if (only !== undefined && lastLit < 0) return new TemplateWrapNode(only, tokens, open * 2, i * 2 + 1);
    return new TemplateNode(parts, tokens, open * 2, i * 2 + 1);
  }

  private parseParentheses(startRange: Range): Parsed<Expression> {
    const oParen = this.read();
    this.pushIncludeNewlines(false);
    const inner = this.parseExpression();
    const diags = inner.diags;
    if (hasErrors(diags)) {
      this.recover('CParen');
      this.popIncludeNewlines();
      return inner;
    }
    const close = this.peek();
    if (close.type !== 'CParen') {
      diags.push(errorDiag('Unbalanced parentheses', 'Expected a closing parenthesis to terminate the expression.', close.range, rangeBetween(startRange, close.range)));
      this.setRecovery();
    }
    const cParen = this.read();
    this.popIncludeNewlines();
    return {
      node: { kind: 'parentheses', expression: inner.node, srcRange: rangeBetween(oParen.range, cParen.range), startRange: inner.node.startRange },
      diags,
    };
  }

  /** After a function's name (token `name`, read), when `(` is next. */
  private finishFunctionCall(name: number): Parsed<Expression> {
    const open = this.readIndex();
    return this.callArguments(name, this.tokens.text(name), undefined, open, []);
  }

  /** After the first name (token `name`, read) of `ns::fn(...)`. */
  private finishNamespacedCall(name: number): Parsed<Expression> {
    const first = this.tokens.range(name);
    const diags: Diagnostic[] = [];
    let openTok = this.read();
    let nameStr = this.tokens.text(name);
    let lastName: Range = first;
    while (openTok.type === 'DoubleColon') {
      const nextName = this.read();
      if (nextName.type !== 'Ident') {
        const d = errorDiag('Missing function name', 'Function scope resolution symbol :: must be followed by a function name in this scope.', nextName.range, rangeBetween(first, nextName.range));
        diags.push(d);
        this.recoverOver('OParen');
        const srcRange = rangeBetween(first, nextName.range);
        return { node: { kind: 'syntax-error', parseDiagnostics: [d], srcRange, startRange: srcRange }, diags };
      }
      nameStr += '::' + nextName.text;
      lastName = nextName.range;
      openTok = this.read();
    }
    if (openTok.type !== 'OParen') {
      const d = errorDiag('Missing open parenthesis', 'Function selector must be followed by an open parenthesis to begin the function call.', openTok.range, rangeBetween(first, openTok.range));
      diags.push(d);
      this.recoverOver('OParen');
      const srcRange = rangeBetween(first, openTok.range);
      return { node: { kind: 'syntax-error', parseDiagnostics: [d], srcRange, startRange: srcRange }, diags };
    }
    return this.callArguments(name, nameStr, rangeBetween(first, lastName), this.prevIndex(), diags);
  }

  /**
   * The arguments after `(` (token `open`, read) and the call node. `name` is the first
   * name token; `nameRange` the whole name's range when it is more than that token.
   */
  private callArguments(name: number, nameStr: string, nameRange: Range | undefined, open: number, diags: Diagnostic[]): Parsed<Expression> {
    const tokens = this.tokens;
    const args: Expression[] = [];
    let expandFinal = false;
    // The closing parenthesis (or where recovery stopped); -1 when there is none.
    let close = -1;
    this.pushIncludeNewlines(false);
    for (;;) {
      if (this.peekType() === 'CParen') {
        close = this.readIndex();
        break;
      }
      const arg = this.parseExpression();
      args.push(arg.node);
      if (arg.diags.length > 0) diags.push(...arg.diags);
      if (this.recovery && hasErrors(arg.diags)) {
        if (this.recover('CParen').type === 'CParen') close = this.prevIndex();
        break;
      }
      const sepType = this.peekType();
      const sep = this.readIndex();
      if (sepType === 'CParen') {
        close = sep;
        break;
      }
      if (sepType === 'Ellipsis') {
        expandFinal = true;
        if (this.peekType() !== 'CParen') {
          if (!this.recovery) {
            diags.push(errorDiag('Missing closing parenthesis', 'An expanded function argument (with ...) must be immediately followed by closing parentheses.', tokens.range(sep), rangeBetween(tokens.range(name), tokens.range(sep))));
          }
          this.recover('CParen');
          close = this.prevIndex();
        } else close = this.readIndex();
        break;
      }
      if (sepType !== 'Comma') {
        if (sepType === 'EOF') {
          diags.push(errorDiag('Unterminated function call', 'There is no closing parenthesis for this function call before the end of the file. This may be caused by incorrect parenthesis nesting elsewhere in this file.', rangeBetween(tokens.range(name), tokens.range(open))));
        } else {
          diags.push(errorDiag('Missing argument separator', 'A comma is required to separate each function argument from the next.', tokens.range(sep), rangeBetween(tokens.range(name), tokens.range(sep))));
        }
        this.recover('CParen');
        close = this.prevIndex();
        break;
      }
      if (this.peekType() === 'CParen') {
        close = this.readIndex();
        break;
      }
    }
    this.popIncludeNewlines();
    if (nameRange === undefined && close >= 0) {
      return { node: new FunctionCallNode(nameStr, exact(args), expandFinal, tokens, name * 2, name * 2 + 1, open * 2, close * 2, close * 2 + 1), diags };
    }
    const fullName = nameRange ?? tokens.range(name);
    // Go leaves the close range zero when recovery found no parenthesis.
    const closeParenRange: Range = close >= 0 ? tokens.range(close) : zeroRange();
    const openParenRange = tokens.range(open);
    return {
      node: functionCall(nameStr, exact(args), expandFinal, fullName, openParenRange, closeParenRange, rangeBetween(fullName, closeParenRange), rangeBetween(fullName, openParenRange)),
      diags,
    };
  }

  private parseTupleCons(): Parsed<Expression> {
    // Token indexes rather than token objects: lists are common (scripts, inline, ...).
    const tokens = this.tokens;
    const openIdx = this.readIndex();
    this.pushIncludeNewlines(false);
    try {
      if (this.peekType() === 'Ident' && tokens.text(this.peekIndex()) === 'for') return this.finishFor(tokens.token(openIdx));
      const diags: Diagnostic[] = [];
      const items = this.items;
      const base = items.length;
      let close: Range;
      for (;;) {
        if (this.peekType() === 'CBrack') {
          close = tokens.range(this.readIndex());
          break;
        }
        const e = this.parseExpression();
        items.push(e.node);
        if (e.diags.length > 0) diags.push(...e.diags);
        if (this.recovery && hasErrors(e.diags)) {
          close = this.recover('CBrack').range;
          break;
        }
        const nextType = this.peekType();
        if (nextType === 'CBrack') {
          close = tokens.range(this.readIndex());
          break;
        }
        if (nextType !== 'Comma') {
          if (!this.recovery) {
            const open = tokens.range(openIdx);
            if (nextType === 'EOF') {
              diags.push(errorDiag('Unterminated tuple constructor expression', 'There is no corresponding closing bracket before the end of the file. This may be caused by incorrect bracket nesting elsewhere in this file.', open));
            } else {
              const next = this.peek();
              diags.push(errorDiag('Missing item separator', 'Expected a comma to mark the beginning of the next item.', next.range, rangeBetween(open, next.range)));
            }
          }
          close = this.recover('CBrack').range;
          break;
        }
        this.skip();
      }
      const exprs = items.slice(base) as Expression[];
      items.length = base;
      const open = tokens.range(openIdx);
      return { node: collectionCons('tuple-cons', exprs, open, close, rangeBetween(open, close)), diags };
    } finally {
      this.popIncludeNewlines();
    }
  }

  private parseObjectCons(): Parsed<Expression> {
    const open = this.read();
    this.pushIncludeNewlines(false);
    const isFor = isKeyword(this.peek(), 'for');
    this.popIncludeNewlines();
    if (isFor) return this.finishFor(open);
    this.pushIncludeNewlines(true);
    try {
      return this.parseObjectItems(open);
    } finally {
      this.popIncludeNewlines();
    }
  }

  private parseObjectItems(open: Token): Parsed<Expression> {
    const diags: Diagnostic[] = [];
    const items: ObjectConsItem[] = [];
    let close: Token;
    for (;;) {
      const next = this.peek();
      if (next.type === 'Newline') {
        this.skip();
        continue;
      }
      if (next.type === 'CBrace') {
        close = this.read();
        break;
      }
      // Parentheses make the key an expression even when it is a bare name.
      const forceNonLiteral = next.type === 'OParen';
      const k = this.parseExpression();
      diags.push(...k.diags);
      if (this.recovery && hasErrors(k.diags)) {
        close = this.recover('CBrace');
        break;
      }
      const key: ObjectConsKeyExpr = new ObjectConsKeyNode(k.node, forceNonLiteral);
      const sep = this.peek();
      if (sep.type !== 'Equal' && sep.type !== 'Colon') {
        if (!this.recovery) diags.push(this.objectSeparatorDiag(open, sep));
        close = this.recover('CBrace');
        break;
      }
      this.skip();
      const v = this.parseExpression();
      diags.push(...v.diags);
      if (this.recovery && hasErrors(v.diags)) {
        if (v.node.kind === 'syntax-error') items.push({ key, value: v.node });
        close = this.recover('CBrace');
        break;
      }
      items.push({ key, value: v.node });
      const after = this.peek();
      if (after.type === 'CBrace') {
        close = this.read();
        break;
      }
      if (after.type !== 'Comma' && after.type !== 'Newline') {
        if (!this.recovery) {
          if (after.type === 'EOF') {
            diags.push(errorDiag('Unterminated object constructor expression', 'There is no corresponding closing brace before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.', open.range));
          } else {
            diags.push(errorDiag('Missing attribute separator', 'Expected a newline or comma to mark the beginning of the next attribute.', after.range, rangeBetween(open.range, after.range)));
          }
        }
        close = this.recover('CBrace');
        break;
      }
      this.skip();
    }
    return { node: collectionCons('object-cons', exact(items), open.range, close.range, rangeBetween(open.range, close.range)), diags };
  }

  private objectSeparatorDiag(open: Token, next: Token): Diagnostic {
    const context = rangeBetween(open.range, next.range);
    switch (next.type) {
      case 'Newline':
      case 'Comma':
        return errorDiag('Missing attribute value', 'Expected an attribute value, introduced by an equals sign ("=").', next.range, context);
      case 'Ident':
        return errorDiag('Missing key/value separator', 'Expected an equals sign ("=") to mark the beginning of the attribute value. If you intended to given an attribute name containing periods or spaces, write the name in quotes to create a string literal.', next.range, context);
      case 'EOF':
        return errorDiag('Unterminated object constructor expression', 'There is no corresponding closing brace before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.', open.range);
      default:
        return errorDiag('Missing key/value separator', 'Expected an equals sign ("=") to mark the beginning of the attribute value.', next.range, context);
    }
  }

  private forFailure(open: Token, closeType: TokenType, diags: Diagnostic[], detail: string | undefined): Parsed<Expression> {
    if (detail !== undefined && !this.recovery) {
      const at = this.peek().range;
      diags.push(errorDiag("Invalid 'for' expression", detail, at, rangeBetween(open.range, at)));
    }
    const close = this.recover(closeType);
    return { node: literal(DYNAMIC, rangeBetween(open.range, close.range)), diags };
  }

  private finishFor(open: Token): Parsed<Expression> {
    this.pushIncludeNewlines(false);
    try {
      return this.finishForInner(open);
    } finally {
      this.popIncludeNewlines();
    }
  }

  private finishForInner(open: Token): Parsed<Expression> {
    this.skip(); // the `for` keyword
    const makeObj = open.type === 'OBrace';
    const closeType: TokenType = makeObj ? 'CBrace' : 'CBrack';
    const diags: Diagnostic[] = [];
    if (this.peekType() !== 'Ident') return this.forFailure(open, closeType, diags, "For expression requires variable name after 'for'.");
    let valVar = this.read().text;
    let keyVar: string | undefined;
    if (this.peekType() === 'Comma') {
      keyVar = valVar;
      this.skip();
      if (this.peekType() !== 'Ident') return this.forFailure(open, closeType, diags, 'For expression requires value variable name after comma.');
      valVar = this.read().text;
    }
    if (!isKeyword(this.peek(), 'in')) return this.forFailure(open, closeType, diags, "For expression requires the 'in' keyword after its name declarations.");
    this.skip();
    const coll = this.parseExpression();
    diags.push(...coll.diags);
    if (this.recovery && hasErrors(coll.diags)) return this.forFailure(open, closeType, diags, undefined);
    if (this.peekType() !== 'Colon') return this.forFailure(open, closeType, diags, 'For expression requires a colon after the collection expression.');
    this.skip();
    let keyExpr: Parsed<Expression> | undefined;
    let valExpr = this.parseExpression();
    if (this.peekType() === 'FatArrow') {
      this.skip();
      keyExpr = valExpr;
      valExpr = this.parseExpression();
    }
    if (keyExpr) diags.push(...keyExpr.diags);
    diags.push(...valExpr.diags);
    if (this.recovery && ((keyExpr && hasErrors(keyExpr.diags)) || hasErrors(valExpr.diags))) {
      return this.forFailure(open, closeType, diags, undefined);
    }
    let ellipsis: Token | undefined;
    if (this.peekType() === 'Ellipsis') ellipsis = this.read();
    let condExpr: Expression | undefined;
    if (isKeyword(this.peek(), 'if')) {
      this.skip();
      const c = this.parseExpression();
      diags.push(...c.diags);
      if (this.recovery && hasErrors(c.diags)) return this.forFailure(open, closeType, diags, undefined);
      condExpr = c.node;
    }
    let close: Token;
    if (this.peekType() === closeType) close = this.read();
    else {
      if (!this.recovery) {
        const at = this.peek().range;
        diags.push(errorDiag("Invalid 'for' expression", "Extra characters after the end of the 'for' expression.", at, rangeBetween(open.range, at)));
      }
      close = this.recover(closeType);
    }
    const whole = rangeBetween(open.range, close.range);
    if (!makeObj) {
      if (keyExpr) diags.push(errorDiag("Invalid 'for' expression", 'Key expression is not valid when building a tuple.', keyExpr.node.srcRange, whole));
      if (ellipsis) diags.push(errorDiag("Invalid 'for' expression", 'Grouping ellipsis (...) cannot be used when building a tuple.', ellipsis.range, whole));
    } else if (!keyExpr) {
      diags.push(errorDiag("Invalid 'for' expression", 'Key expression is required when building an object.', valExpr.node.srcRange, whole));
    }
    const node: ForExpr = {
      kind: 'for', keyVar, valVar, collExpr: coll.node, keyExpr: keyExpr?.node, valExpr: valExpr.node, condExpr,
      group: ellipsis !== undefined, srcRange: whole, startRange: open.range, openRange: open.range, closeRange: close.range,
    };
    return { node, diags };
  }
}

function binary(lhs: Expression, op: BinaryOperator, rhs: Expression): Expression {
  return { kind: 'binary-op', op, lhs, rhs, srcRange: rangeBetween(lhs.srcRange, rhs.srcRange), startRange: lhs.startRange };
}

/** The static key of `[key]` when it is a literal or a template without interpolations. */
function staticKey(e: Expression): LiteralValue | undefined {
  if (e.kind === 'literal') return e.value;
  if (e.kind === 'template' && e.parts.length === 1) {
    const only = e.parts[0];
    if (only?.kind === 'literal' && only.value.kind === 'string') return only.value;
  }
  return undefined;
}

/** A template node: `template-wrap` for a lone interpolation, otherwise `template`. */
export function templateNode(parts: Expression[], passthru: boolean, srcRange: Range): Expression {
  const first = parts[0];
  if (passthru && first) return templateExpr([first], true, srcRange);
  return templateExpr(exact(parts), false, srcRange);
}
