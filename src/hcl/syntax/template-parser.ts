/**
 * Templates (hclsyntax's parser_template.go): quoted strings, heredocs and bare
 * templates are first raised to a flat list of literal / interpolation / directive
 * parts (with `~` trimming and flush-heredoc indentation applied), then folded into
 * expressions: `%{if}` becomes a conditional, `%{for}` a template-join.
 */
import type { Diagnostic } from '../diagnostic.js';
import { errorDiag } from '../diagnostic.js';
import type { Range } from '../pos.js';
import { formatRange } from '../pos.js';
import { nameSuggestion } from '../suggest.js';
import type { Expression, ForExpr } from './ast.js';
import type { ExpressionParser } from './expression-parser.js';
import { MAX_NESTING, isKeyword, literal } from './expression-parser.js';
import { between, endOf } from './range.js';
import { decodeStringLiteralToken } from './string-literal.js';
import type { TokenType } from './token.js';

type Part =
  | { kind: 'lit'; val: string; range: Range }
  | { kind: 'interp'; expr: Expression; range: Range }
  | { kind: 'if'; cond: Expression; range: Range }
  | { kind: 'for'; keyVar: string | undefined; valVar: string; coll: Expression; range: Range }
  | { kind: 'end-ctrl'; which: 'endif' | 'else' | 'endfor'; range: Range }
  | { kind: 'end'; range: Range };

/** Go's unicode.IsSpace. */
const SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const LEADING_SPACE = new RegExp(`^${SPACE}+`);
const TRAILING_SPACE = new RegExp(`${SPACE}+$`);

export interface TemplateInner {
  readonly parts: Expression[];
  /** True when the template is exactly one interpolation (`"${x}"`). */
  readonly passthru: boolean;
  readonly srcRange: Range;
  readonly diags: Diagnostic[];
}

/** Parses template parts up to the `end` token (consumed) and folds them into expressions. */
export function parseTemplateInner(p: ExpressionParser, end: TokenType, flushHeredoc: boolean): TemplateInner {
  const { parts, srcRange, diags } = parseTemplateParts(p, end);
  if (flushHeredoc) flushHeredocParts(parts);
  const melded = meldLiterals(parts);
  let exprs: Expression[];
  if (melded.some(isDirective)) {
    const tp = new PartsParser(melded, p);
    exprs = tp.parseRoot();
    diags.push(...tp.diags);
  } else {
    // Without directives folding is a map (the only `end` is the last part).
    exprs = [];
    for (const part of melded) {
      if (part.kind === 'lit') exprs.push(literal({ kind: 'string', value: part.val }, part.range));
      else if (part.kind === 'interp') exprs.push(part.expr);
    }
  }
  const passthru = melded.length === 2 && melded[0]?.kind === 'interp';
  return { parts: exprs, passthru, srcRange, diags };
}

function parseTemplateParts(p: ExpressionParser, end: TokenType): { parts: Part[]; srcRange: Range; diags: Diagnostic[] } {
  const parts: Part[] = [];
  const diags: Diagnostic[] = [];
  const startRange = p.nextRange();
  let ltrimNext = false;
  let nextCanTrimPrev = false;
  let endRange: Range;
  for (;;) {
    const next = p.read();
    if (next.type === end) {
      endRange = next.range;
      break;
    }
    const ltrim = ltrimNext;
    ltrimNext = false;
    const canTrimPrev = nextCanTrimPrev;
    nextCanTrimPrev = false;
    if (next.type === 'StringLit' || next.type === 'QuotedLit') {
      const s = decodeStringLiteralToken(next);
      diags.push(...s.diagnostics);
      parts.push({ kind: 'lit', val: ltrim ? s.value.replace(LEADING_SPACE, '') : s.value, range: next.range });
      nextCanTrimPrev = true;
      continue;
    }
    if (next.type === 'TemplateInterp' || next.type === 'TemplateControl') {
      const prev = parts[parts.length - 1];
      if (canTrimPrev && next.text.length === 3 && next.text[2] === '~' && prev?.kind === 'lit') {
        prev.val = prev.val.replace(TRAILING_SPACE, '');
      }
      if (p.depth >= MAX_NESTING) {
        diags.push(...p.nestingDiag(next.range));
        endRange = p.recover(end).range;
        break;
      }
      p.depth++;
      p.pushIncludeNewlines(false);
      const r = next.type === 'TemplateInterp'
        ? parseInterpolation(p, next.range, startRange, end, parts, diags)
        : parseDirective(p, next.range, startRange, parts, diags);
      p.popIncludeNewlines();
      p.depth--;
      if (r === 'ltrim') ltrimNext = true;
      continue;
    }
    if (!p.recovery) {
      diags.push(errorDiag('Unterminated template string', 'No closing marker was found for the string.', next.range, between(startRange, next.range)));
    }
    endRange = p.recover(end).range;
    break;
  }
  if (parts.length === 0) {
    // `""` means an empty string.
    parts.push({ kind: 'lit', val: '', range: endOf(startRange) });
  }
  parts.push({ kind: 'end', range: endRange });
  return { parts, srcRange: between(startRange, endRange), diags };
}

/** After `${`: the expression and its closing `}`. Returns 'ltrim' when closed by `~}`. */
function parseInterpolation(p: ExpressionParser, openRange: Range, startRange: Range, end: TokenType, parts: Part[], diags: Diagnostic[]): 'ltrim' | undefined {
  const e = p.parseExpression();
  diags.push(...e.diags);
  const close = p.peek();
  let ret: 'ltrim' | undefined;
  if (close.type !== 'TemplateSeqEnd') {
    if (!p.recovery) {
      if (close.type === 'EOF') {
        diags.push(errorDiag('Unclosed template interpolation sequence', 'There is no closing brace for this interpolation sequence before the end of the file. This might be caused by incorrect nesting inside the given expression.', startRange));
      } else if (close.type === 'Colon') {
        diags.push(errorDiag('Extra characters after interpolation expression', 'Template interpolation doesn\'t expect a colon at this location. Did you intend this to be a literal sequence to be processed as part of another language? If so, you can escape it by starting with "$${" instead of just "${".', close.range, between(startRange, close.range)));
      } else if ((close.type === 'CQuote' || close.type === 'OQuote') && end === 'CQuote') {
        diags.push(errorDiag('Unclosed template interpolation sequence', 'There is no closing brace for this interpolation sequence before the end of the quoted template. This might be caused by incorrect nesting inside the given expression.', startRange));
      } else {
        diags.push(errorDiag('Extra characters after interpolation expression', 'Expected a closing brace to end the interpolation expression, but found extra characters.\n\nThis can happen when you include interpolation syntax for another language, such as shell scripting, but forget to escape the interpolation start token. If this is an embedded sequence for another language, escape it by starting with "$${" instead of just "${".', close.range, between(startRange, close.range)));
      }
    }
    p.recover('TemplateSeqEnd');
  } else {
    p.skip();
    if (close.text === '~}') ret = 'ltrim';
  }
  parts.push({ kind: 'interp', expr: e.node, range: between(openRange, close.range) });
  return ret;
}

/** After `%{`: a directive keyword, its operands and the closing `}`. */
function parseDirective(p: ExpressionParser, openRange: Range, startRange: Range, parts: Part[], diags: Diagnostic[]): 'ltrim' | undefined {
  const kw = p.peek();
  if (kw.type !== 'Ident') {
    if (!p.recovery) {
      diags.push(errorDiag('Invalid template directive', 'A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence.', kw.range, between(openRange, kw.range)));
    }
    p.recover('TemplateSeqEnd');
    return undefined;
  }
  p.skip();
  switch (kw.text) {
    case 'if': {
      const c = p.parseExpression();
      diags.push(...c.diags);
      parts.push({ kind: 'if', cond: c.node, range: between(openRange, p.nextRange()) });
      break;
    }
    case 'else':
    case 'endif':
    case 'endfor':
      parts.push({ kind: 'end-ctrl', which: kw.text, range: between(openRange, p.nextRange()) });
      break;
    case 'for': {
      const f = parseForHeader(p, diags);
      if (!f) {
        p.recover('TemplateSeqEnd');
        return undefined;
      }
      parts.push({ kind: 'for', ...f, range: between(openRange, p.nextRange()) });
      break;
    }
    default: {
      if (!p.recovery) {
        const suggestion = nameSuggestion(kw.text, ['if', 'for', 'else', 'endif', 'endfor']);
        const hint = suggestion ? ` Did you mean ${JSON.stringify(suggestion)}?` : '';
        diags.push(errorDiag('Invalid template control keyword', `${JSON.stringify(kw.text)} is not a valid template control keyword.${hint}`, kw.range, between(openRange, kw.range)));
      }
      p.recover('TemplateSeqEnd');
      return undefined;
    }
  }
  const close = p.peek();
  if (close.type !== 'TemplateSeqEnd') {
    if (!p.recovery) {
      diags.push(errorDiag(`Extra characters in ${kw.text} marker`, 'Expected a closing brace to end the sequence, but found extra characters.', close.range, between(startRange, close.range)));
    }
    p.recover('TemplateSeqEnd');
    return undefined;
  }
  p.skip();
  return close.text === '~}' ? 'ltrim' : undefined;
}

function parseForHeader(p: ExpressionParser, diags: Diagnostic[]): { keyVar: string | undefined; valVar: string; coll: Expression } | undefined {
  const fail = (detail: string): undefined => {
    if (!p.recovery) diags.push(errorDiag("Invalid 'for' directive", detail, p.peek().range));
    return undefined;
  };
  if (p.peekType() !== 'Ident') return fail("For directive requires variable name after 'for'.");
  let valVar = p.read().text;
  let keyVar: string | undefined;
  if (p.peekType() === 'Comma') {
    keyVar = valVar;
    p.skip();
    if (p.peekType() !== 'Ident') return fail('For directive requires value variable name after comma.');
    valVar = p.read().text;
  }
  if (!isKeyword(p.peek(), 'in')) return fail("For directive requires 'in' keyword after names.");
  p.skip();
  const coll = p.parseExpression();
  diags.push(...coll.diags);
  return { keyVar, valVar, coll: coll.node };
}

/** Flush heredocs (`<<-`): remove the smallest common indentation from every line. */
function flushHeredocParts(parts: Part[]): void {
  let minSpaces = Number.MAX_SAFE_INTEGER;
  let newline = true;
  const adjust: Extract<Part, { kind: 'lit' }>[] = [];
  for (const part of parts) {
    if (newline) {
      newline = false;
      let spaces = 0;
      if (part.kind === 'lit') {
        const trimmed = part.val.replace(LEADING_SPACE, '');
        if (trimmed.length === 0 && part.val.endsWith('\n')) {
          spaces = Number.MAX_SAFE_INTEGER; // a blank line does not count
        } else {
          spaces = [...part.val.slice(0, part.val.length - trimmed.length)].length;
          adjust.push(part);
        }
      } else if (part.kind === 'end') break;
      if (spaces < minSpaces) minSpaces = spaces;
    }
    if (part.kind === 'lit' && part.val.endsWith('\n')) newline = true;
  }
  for (const lit of adjust) {
    const cps = [...lit.val];
    const removed = cps.slice(0, minSpaces).join('');
    lit.val = lit.val.slice(removed.length);
    const bytes = Buffer.byteLength(removed, 'utf8');
    const start = lit.range.start;
    lit.range = { filename: lit.range.filename, start: { line: start.line, column: start.column + minSpaces, byte: start.byte + bytes }, end: lit.range.end };
  }
}

function isDirective(part: Part): boolean {
  return part.kind === 'if' || part.kind === 'for' || part.kind === 'end-ctrl';
}

/** Adjacent literal parts joined into one (the parts given are not used again). */
function meldLiterals(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const part of parts) {
    const prev = out[out.length - 1];
    if (part.kind === 'lit' && prev?.kind === 'lit') {
      out[out.length - 1] = { kind: 'lit', val: prev.val + part.val, range: between(prev.range, part.range) };
    } else out.push(part);
  }
  return out;
}

/** Folds the flat parts into expressions, matching directive pairs. */
class PartsParser {
  private pos = 0;
  readonly diags: Diagnostic[] = [];

  constructor(
    private readonly parts: readonly Part[],
    private readonly p: ExpressionParser,
  ) {}

  private peek(): Part {
    return this.parts[this.pos] ?? { kind: 'end', range: this.parts[this.parts.length - 1]?.range ?? endOfNothing() };
  }

  private read(): Part {
    const part = this.peek();
    if (part.kind !== 'end') this.pos++;
    return part;
  }

  parseRoot(): Expression[] {
    const exprs: Expression[] = [];
    while (this.peek().kind !== 'end') exprs.push(this.parseExpr());
    return exprs;
  }

  private parseExpr(): Expression {
    const part = this.read();
    switch (part.kind) {
      case 'lit':
        return literal({ kind: 'string', value: part.val }, part.range);
      case 'interp':
        return part.expr;
      case 'if':
      case 'for': {
        if (this.p.depth >= MAX_NESTING) {
          this.diags.push(...this.p.nestingDiag(part.range));
          this.skipDirective();
          return literal({ kind: 'dynamic' }, part.range);
        }
        this.p.depth++;
        try {
          return part.kind === 'if' ? this.parseIf(part) : this.parseFor(part);
        } finally {
          this.p.depth--;
        }
      }
      case 'end':
        this.diags.push(errorDiag('Unexpected end of template', 'The control directives within this template are unbalanced.', part.range));
        return literal({ kind: 'dynamic' }, part.range);
      case 'end-ctrl':
        this.diags.push(errorDiag(`Unexpected ${part.which} directive`, 'The control directives within this template are unbalanced.', part.range));
        return literal({ kind: 'dynamic' }, part.range);
    }
  }

  /** Skips past the end of the directive just read, counting nested directives. */
  private skipDirective(): void {
    let nest = 1;
    while (nest > 0) {
      const part = this.read();
      if (part.kind === 'end') return;
      if (part.kind === 'if' || part.kind === 'for') nest++;
      else if (part.kind === 'end-ctrl' && part.which !== 'else') nest--;
    }
  }

  private parseIf(open: Extract<Part, { kind: 'if' }>): Expression {
    const ifExprs: Expression[] = [];
    const elseExprs: Expression[] = [];
    let current = ifExprs;
    let endifRange: Range;
    for (;;) {
      const next = this.peek();
      if (next.kind === 'end') {
        this.diags.push(errorDiag('Unexpected end of template', `The if directive at ${formatRange(open.range)} is missing its corresponding endif directive.`, next.range));
        return literal({ kind: 'dynamic' }, next.range);
      }
      if (next.kind === 'end-ctrl') {
        this.read();
        if (next.which === 'else') {
          if (current === ifExprs) {
            current = elseExprs;
            continue;
          }
          this.diags.push(errorDiag('Unexpected else directive', `Already in the else clause for the if started at ${formatRange(open.range)}.`, next.range));
        } else if (next.which === 'endif') {
          endifRange = next.range;
          break;
        } else {
          this.diags.push(errorDiag(`Unexpected ${next.which} directive`, `Expecting an endif directive for the if started at ${formatRange(open.range)}.`, next.range));
        }
        return literal({ kind: 'dynamic' }, next.range);
      }
      current.push(this.parseExpr());
    }
    if (ifExprs.length === 0) ifExprs.push(literal({ kind: 'string', value: '' }, endOf(open.range)));
    if (elseExprs.length === 0) {
      elseExprs.push(literal({ kind: 'string', value: '' }, { filename: endifRange.filename, start: endifRange.start, end: endifRange.start }));
    }
    return {
      kind: 'conditional', condition: open.cond, trueResult: templateOf(ifExprs), falseResult: templateOf(elseExprs),
      srcRange: between(open.range, endifRange), startRange: open.cond.startRange,
    };
  }

  private parseFor(open: Extract<Part, { kind: 'for' }>): Expression {
    const content: Expression[] = [];
    let endforRange: Range;
    for (;;) {
      const next = this.peek();
      if (next.kind === 'end') {
        this.diags.push(errorDiag('Unexpected end of template', `The for directive at ${formatRange(open.range)} is missing its corresponding endfor directive.`, next.range));
        return literal({ kind: 'dynamic' }, next.range);
      }
      if (next.kind === 'end-ctrl') {
        this.read();
        if (next.which === 'endfor') {
          endforRange = next.range;
          break;
        }
        if (next.which === 'else') {
          this.diags.push(errorDiag('Unexpected else directive', 'An else clause is not expected for a for directive.', next.range));
        } else {
          this.diags.push(errorDiag(`Unexpected ${next.which} directive`, `Expecting an endfor directive corresponding to the for directive at ${formatRange(open.range)}.`, next.range));
        }
        return literal({ kind: 'dynamic' }, next.range);
      }
      content.push(this.parseExpr());
    }
    if (content.length === 0) content.push(literal({ kind: 'string', value: '' }, endOf(open.range)));
    const srcRange = between(open.range, endforRange);
    const tuple: ForExpr = {
      kind: 'for', keyVar: open.keyVar, valVar: open.valVar, collExpr: open.coll, keyExpr: undefined,
      valExpr: templateOf(content), condExpr: undefined, group: false,
      srcRange, startRange: open.range, openRange: open.range, closeRange: endforRange,
    };
    return { kind: 'template-join', tuple, srcRange, startRange: open.range };
  }
}

function templateOf(parts: Expression[]): Expression {
  const first = parts[0] as Expression;
  const last = parts[parts.length - 1] as Expression;
  return { kind: 'template', parts, srcRange: between(first.srcRange, last.srcRange), startRange: first.startRange };
}

function endOfNothing(): Range {
  return { filename: '', start: { line: 1, column: 1, byte: 0 }, end: { line: 1, column: 1, byte: 0 } };
}
