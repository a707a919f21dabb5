/**
 * A parser for Go's `text/template`, following `text/template/parse` closely enough
 * that the error messages match: `template: root:1: unexpected "}" in operand`,
 * `function "x" not defined`, `missing value for command`, `unexpected EOF`, ...
 *
 * Not supported: `define`, `template` and `block` (Packer templates never use them; they
 * are reported as errors) and complex-number literals.
 */
import type {
  ActionNode, BranchNode, CommandNode, ListNode, Node, NumberNode, PipeNode, VariableNode,
} from './ast.js';
import { nodeString } from './ast.js';
import { lex, tokenString, type Token, type TokenKind } from './lexer.js';
import { unquoteChar, unquoteGo } from './unquote.js';

/** A parsed template, or Go's parse error message. */
export type ParseResult = { kind: 'ok'; root: ListNode; text: string } | { kind: 'error'; message: string };

class ParseError extends Error {}

type Terminator = { kind: 'end' | 'else'; pos: number; line: number };

class Parser {
  private i = 0;
  private furthest = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly name: string,
    private readonly hasFunction: (name: string) => boolean,
  ) {}

  private errorf(msg: string): never {
    const line = this.tokens[Math.min(this.furthest, this.tokens.length - 1)]?.line ?? 1;
    throw new ParseError(`template: ${this.name}:${line}: ${msg}`);
  }

  private next(): Token {
    const t = this.tokens[Math.min(this.i, this.tokens.length - 1)];
    if (t === undefined) throw new Error('internal error: empty token list');
    this.furthest = Math.max(this.furthest, Math.min(this.i, this.tokens.length - 1));
    this.i++;
    return t;
  }

  private backup(): void {
    this.i--;
  }

  private peek(): Token {
    const t = this.next();
    this.backup();
    return t;
  }

  private nextNonSpace(): Token {
    for (;;) {
      const t = this.next();
      if (t.kind !== 'space') return t;
    }
  }

  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  private expect(kind: TokenKind, context: string): Token {
    const t = this.nextNonSpace();
    if (t.kind !== kind) this.unexpected(t, context);
    return t;
  }

  private unexpected(t: Token, context: string): never {
    if (t.kind === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(t.val + extra);
    }
    return this.errorf(`unexpected ${tokenString(t)} in ${context}`);
  }

  parse(): ListNode {
    const root: ListNode = { kind: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().kind !== 'eof') {
      const n = this.textOrAction();
      if ('kind' in n && (n.kind === 'end' || n.kind === 'else')) this.errorf(`unexpected {{${n.kind}}}`);
      root.nodes.push(n as Node);
    }
    return root;
  }

  private itemList(): { list: ListNode; end: Terminator } {
    const list: ListNode = { kind: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().kind !== 'eof') {
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else') return { list, end: n as Terminator };
      list.nodes.push(n as Node);
    }
    return this.errorf('unexpected EOF');
  }

  private textOrAction(): Node | Terminator {
    const t = this.nextNonSpace();
    if (t.kind === 'text') return { kind: 'text', pos: t.pos, text: t.val };
    if (t.kind === 'leftDelim') {
      this.actionLine = t.line;
      try {
        return this.action();
      } finally {
        this.actionLine = 0;
      }
    }
    return this.unexpected(t, 'input');
  }

  private action(): Node | Terminator {
    const t = this.nextNonSpace();
    switch (t.kind) {
      case 'block':
      case 'define':
      case 'template':
        return this.errorf(`{{${t.kind}}} is not supported`);
      case 'else': return this.elseControl();
      case 'end': return { kind: 'end', pos: this.expect('rightDelim', 'end').pos, line: t.line };
      case 'if': return { kind: 'if', ...this.parseControl('if') };
      case 'range': return { kind: 'range', ...this.parseControl('range') };
      case 'with': return { kind: 'with', ...this.parseControl('with') };
      case 'break':
      case 'continue': {
        const tok = this.nextNonSpace();
        if (tok.kind !== 'rightDelim') this.unexpected(tok, `{{${t.kind}}}`);
        if (this.rangeDepth === 0) this.errorf(`{{${t.kind}}} outside {{range}}`);
        return { kind: t.kind, pos: t.pos };
      }
      default:
    }
    this.backup();
    const pos = this.peek().pos;
    const action: ActionNode = { kind: 'action', pos, pipe: this.pipeline('command', 'rightDelim') };
    return action;
  }

  private elseControl(): Terminator {
    const peek = this.peekNonSpace();
    if (peek.kind === 'if' || peek.kind === 'with') return { kind: 'else', pos: peek.pos, line: peek.line };
    const t = this.expect('rightDelim', 'else');
    return { kind: 'else', pos: t.pos, line: t.line };
  }

  private parseControl(context: 'if' | 'range' | 'with'): BranchNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(context, 'rightDelim');
    if (context === 'range') this.rangeDepth++;
    const { list, end } = this.itemList();
    if (context === 'range') this.rangeDepth--;
    let elseList: ListNode | undefined;
    if (end.kind === 'else') {
      const chained = this.peek().kind;
      if ((context === 'if' || context === 'with') && chained === context) {
        this.next();
        elseList = { kind: 'list', pos: end.pos, nodes: [{ kind: context, ...this.parseControl(context) }] };
      } else {
        const r = this.itemList();
        if (r.end.kind !== 'end') this.errorf(`expected end; found {{${r.end.kind}}}`);
        elseList = r.list;
      }
    }
    this.vars.length = mark;
    return { pos: pipe.pos, pipe, list, elseList };
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { kind: 'pipe', pos: first.pos, isAssign: false, decl: [], cmds: [] };
    this.declarations(pipe, context);
    for (;;) {
      const t = this.nextNonSpace();
      switch (t.kind) {
        case end:
          this.checkPipeline(pipe, context);
          if (end === 'rightParen') this.backup();
          return pipe;
        case 'bool': case 'charConstant': case 'complex': case 'dot': case 'field':
        case 'identifier': case 'number': case 'nil': case 'rawString': case 'string':
        case 'variable': case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private declarations(pipe: PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace();
      if (v.kind !== 'variable') return;
      const save = this.i;
      this.nextNonSpace();
      const next = this.peekNonSpace();
      const isComma = next.kind === 'char' && next.val === ',';
      if (next.kind === 'assign' || next.kind === 'declare' || isComma) {
        this.nextNonSpace();
        pipe.isAssign = next.kind === 'assign';
        pipe.decl.push({ kind: 'variable', pos: v.pos, ident: v.val.split('.') });
        this.vars.push(v.val);
        if (!isComma) return;
        if (context === 'range' && pipe.decl.length < 2) {
          const k = this.peekNonSpace().kind;
          if (k === 'variable' || k === 'rightDelim' || k === 'rightParen') continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      // Not a declaration: un-read the variable.
      this.i = save;
      return;
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const k = c.args[0]?.kind;
      if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== undefined) cmd.args.push(operand);
      const t = this.next();
      if (t.kind === 'space') continue;
      if (t.kind === 'rightDelim' || t.kind === 'rightParen') this.backup();
      else if (t.kind !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Node | undefined {
    const node = this.term();
    if (node === undefined) return undefined;
    if (this.peek().kind !== 'field') return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().kind === 'field') fields.push(this.next().val.slice(1));
    switch (node.kind) {
      case 'field': return { kind: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable': return { kind: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        return this.errorf(`unexpected . after term ${JSON.stringify(nodeString(node))}`);
      default: return { kind: 'chain', pos, node, field: fields };
    }
  }

  private term(): Node | undefined {
    const t = this.nextNonSpace();
    switch (t.kind) {
      case 'error': return this.errorf(t.val);
      case 'identifier':
        if (!this.hasFunction(t.val)) this.errorf(`function ${JSON.stringify(t.val)} not defined`);
        return { kind: 'identifier', pos: t.pos, name: t.val };
      case 'dot': return { kind: 'dot', pos: t.pos };
      case 'nil': return { kind: 'nil', pos: t.pos };
      case 'variable': return this.useVar(t);
      case 'field': return { kind: 'field', pos: t.pos, ident: [t.val.slice(1)] };
      case 'bool': return { kind: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'charConstant': case 'complex': case 'number': return this.number(t);
      case 'leftParen': {
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        const close = this.next();
        if (close.kind !== 'rightParen') this.errorf(`unclosed right paren: unexpected ${tokenString(close)}`);
        return pipe;
      }
      case 'string': case 'rawString': {
        const s = unquoteGo(t.val);
        if (s === undefined) this.errorf('invalid syntax');
        return { kind: 'string', pos: t.pos, quoted: t.val, text: s };
      }
      default:
        this.backup();
        return undefined;
    }
  }

  private useVar(t: Token): VariableNode {
    const ident = t.val.split('.');
    if (!this.vars.includes(ident[0] ?? '')) this.errorf(`undefined variable ${JSON.stringify(ident[0])}`);
    return { kind: 'variable', pos: t.pos, ident };
  }

  private number(t: Token): NumberNode {
    if (t.kind === 'complex') this.errorf(`complex numbers are not supported: ${JSON.stringify(t.val)}`);
    if (t.kind === 'charConstant') {
      const cp = unquoteChar(t.val);
      if (cp === undefined) this.errorf(`malformed character constant: ${t.val}`);
      return { kind: 'number', pos: t.pos, text: t.val, int: BigInt(cp), float: cp };
    }
    const parsed = parseGoNumber(t.val);
    if (parsed === undefined) this.errorf(`illegal number syntax: ${JSON.stringify(t.val)}`);
    if (parsed === 'overflow') this.errorf(`integer overflow: ${JSON.stringify(t.val)}`);
    return { kind: 'number', pos: t.pos, text: t.val, ...parsed };
  }
}

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Integer and float readings of a Go number literal, as `parse.NumberNode` does. */
function parseGoNumber(text: string): { int: bigint | undefined; float: number | undefined } | 'overflow' | undefined {
  const neg = text.startsWith('-');
  const body = text.replace(/^[+-]/, '');
  const clean = body.includes('_') ? validUnderscores(body) : body;
  if (clean === undefined) return undefined;
  const intMatch = /^(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(clean);
  if (intMatch !== null) {
    const v = /^0[0-7]+$/.test(clean) ? BigInt(`0o${clean.slice(1)}`) : BigInt(clean);
    const signed = neg ? -v : v;
    if (signed < INT64_MIN || signed > UINT64_MAX) return 'overflow';
    if (signed > 2n ** 63n - 1n) return { int: undefined, float: Number(signed) };
    return { int: signed, float: Number(signed) };
  }
  if (/^0[xX]/.test(clean)) return undefined; // hex floats are rare; not supported
  if (!/^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(clean)) return undefined;
  const f = Number(clean) * (neg ? -1 : 1);
  if (!Number.isFinite(f)) return undefined;
  const int = Number.isInteger(f) && Math.abs(f) < 2 ** 63 ? BigInt(f) : undefined;
  return { int, float: f };
}

function validUnderscores(s: string): string | undefined {
  if (/__|^_|_$|_\.|\._/.test(s)) return undefined;
  return s.replace(/_/g, '');
}

/**
 * Parses `text` as Go's `template.New(name).Funcs(funcs).Parse(text)` does; functions
 * are checked at parse time, as in Go.
 */
export function parseTemplate(text: string, hasFunction: (name: string) => boolean, name = 'root'): ParseResult {
  try {
    const root = new Parser(lex(text), name, hasFunction).parse();
    return { kind: 'ok', root, text };
  } catch (e) {
    if (e instanceof ParseError) return { kind: 'error', message: e.message };
    throw e;
  }
}
