/**
 * Executes a parsed Go template over JS data with Go's semantics: `missingkey=default`
 * (a missing map key prints `<no value>`), Go's truth, `range` over slices, maps in
 * sorted key order and ints, variables, short-circuit `and`/`or`, and Go's execution
 * error texts (`template: root:1:2: executing "root" at <user `x`>: error calling user: …`).
 */
import type { CommandNode, ListNode, Node, NumberNode, PipeNode, BranchNode } from './ast.js';
import { nodeString } from './ast.js';
import { FuncError, type ParamType, type TemplateFunc } from './func.js';
import { formatValue } from './go-fmt.js';
import { fromData, goTypeName, isMap, isTrue, type GoValue } from './value.js';

/** Result of executing a template: the output, or Go's execution error message. */
export type ExecResult = { kind: 'ok'; value: string } | { kind: 'error'; message: string };

class ExecError extends Error {}
class LoopControl {
  constructor(readonly kind: 'break' | 'continue') {}
}

const MISSING = Symbol('missing');
type Final = GoValue | typeof MISSING;

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

class State {
  private vars: { name: string; value: GoValue }[];
  private node: Node | undefined;
  out = '';

  constructor(
    private readonly text: string,
    private readonly name: string,
    private readonly funcs: (name: string) => TemplateFunc | undefined,
    data: GoValue,
  ) {
    this.vars = [{ name: '$', value: data }];
  }

  private at(node: Node): void {
    this.node = node;
  }

  errorf(msg: string): never {
    if (this.node === undefined) throw new ExecError(`template: ${this.name}: ${msg}`);
    const before = this.text.slice(0, this.node.pos);
    const nl = before.lastIndexOf('\n');
    const line = before.split('\n').length;
    const col = nl < 0 ? byteLength(before) : byteLength(before.slice(nl + 1));
    const context = nodeString(this.node);
    throw new ExecError(`template: ${this.name}:${line}:${col}: executing "${this.name}" at <${context}>: ${msg}`);
  }

  walk(dot: GoValue, node: Node): void {
    this.at(node);
    switch (node.kind) {
      case 'text':
        this.out += node.text;
        return;
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) {
          this.at(node);
          this.out += v === undefined ? '<no value>' : formatValue(v);
        }
        return;
      }
      case 'if':
      case 'with':
        this.walkIfOrWith(node.kind, dot, node);
        return;
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'break':
      case 'continue':
        throw new LoopControl(node.kind);
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(kind: 'if' | 'with', dot: GoValue, n: BranchNode): void {
    const mark = this.vars.length;
    try {
      const val = this.evalPipeline(dot, n.pipe);
      if (isTrue(val)) this.walk(kind === 'with' ? val : dot, n.list);
      else if (n.elseList !== undefined) this.walk(dot, n.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: GoValue, r: BranchNode): void {
    this.at(r.pipe);
    const outer = this.vars.length;
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.vars.length;
      const one = (key: GoValue, elem: GoValue): boolean => {
        if (r.pipe.decl.length > 0) this.setTopVar(1, elem);
        if (r.pipe.decl.length > 1) this.setTopVar(2, key);
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (!(e instanceof LoopControl)) throw e;
          if (e.kind === 'break') return false;
        } finally {
          this.vars.length = mark;
        }
        return true;
      };
      let ran = false;
      if (Array.isArray(val)) {
        for (let i = 0; i < val.length; i++) {
          ran = true;
          if (!one(BigInt(i), fromData(val[i]))) break;
        }
      } else if (isMap(val)) {
        const m = val as Record<string, unknown>;
        for (const k of Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
          ran = true;
          if (!one(k, fromData(m[k]))) break;
        }
      } else if (typeof val === 'bigint') {
        for (let i = 0n; i < val; i++) {
          ran = true;
          if (!one(i, i)) break;
        }
      } else if (val !== undefined && val !== null) {
        this.errorf(`range can't iterate over ${formatValue(val)}`);
      }
      if (!ran && r.elseList !== undefined) this.walk(dot, r.elseList);
    } finally {
      this.vars.length = outer;
    }
  }

  private setTopVar(n: number, v: GoValue): void {
    const slot = this.vars[this.vars.length - n];
    if (slot !== undefined) slot.value = v;
  }

  private varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v?.name === name) return v.value;
    }
    return this.errorf(`undefined variable: ${name}`);
  }

  evalPipeline(dot: GoValue, pipe: PipeNode): GoValue {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      if (value === null) value = undefined; // an interface{} holding nil unwraps to no value
    }
    const result = value === MISSING ? undefined : value;
    for (const v of pipe.decl) {
      const name = v.ident[0] ?? '';
      if (pipe.isAssign) {
        const slot = [...this.vars].reverse().find((s) => s.name === name);
        if (slot === undefined) this.errorf(`undefined variable: ${name}`);
        slot.value = result;
      } else {
        this.vars.push({ name, value: result });
      }
    }
    return result;
  }

  private notAFunction(args: Node[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0] as Node)}`);
  }

  private evalCommand(dot: GoValue, cmd: CommandNode, final: Final): GoValue {
    const first = cmd.args[0] as Node;
    switch (first.kind) {
      case 'field':
        this.at(first);
        return this.evalFieldChain(dot, first, first.ident, cmd.args, final);
      case 'chain': {
        this.at(first);
        const recv = this.evalArg(dot, 'any', first.node);
        return this.evalFieldChain(recv, first, first.field, cmd.args, final);
      }
      case 'identifier':
        return this.evalFunction(dot, first.name, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable': {
        this.at(first);
        const value = this.varValue(first.ident[0] ?? '');
        if (first.ident.length === 1) {
          this.notAFunction(cmd.args, final);
          return value;
        }
        return this.evalFieldChain(value, first, first.ident.slice(1), cmd.args, final);
      }
      default:
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.kind) {
      case 'bool': return first.value;
      case 'dot': return dot;
      case 'nil': return this.errorf('nil is not a command');
      case 'number': return this.idealConstant(first);
      case 'string': return first.text;
      default: return this.errorf(`can't evaluate command ${JSON.stringify(nodeString(first))}`);
    }
  }

  private idealConstant(n: NumberNode): GoValue {
    this.at(n);
    const isHexInt = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.float !== undefined && !isHexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return n.float;
    if (n.int !== undefined) {
      if (n.int > 2n ** 63n - 1n || n.int < -(2n ** 63n)) this.errorf(`${n.text} overflows int`);
      return n.int;
    }
    return this.errorf(`${n.text} overflows int`);
  }

  /** Walks `.A.B.C` from `receiver`; only the last step sees the arguments. */
  private evalFieldChain(receiver: GoValue, node: Node, ident: readonly string[], args: Node[], final: Final): GoValue {
    let recv = receiver;
    ident.forEach((name, i) => {
      const last = i === ident.length - 1;
      recv = this.evalField(name, node, last ? args : [], last ? final : MISSING, recv);
    });
    return recv;
  }

  private evalField(name: string, node: Node, args: Node[], final: Final, receiver: GoValue): GoValue {
    if (receiver === undefined) return undefined;
    this.at(node);
    if (receiver === null) return this.errorf(`nil pointer evaluating interface {}.${name}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (isMap(receiver)) {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      const m = receiver as Record<string, unknown>;
      return Object.hasOwn(m, name) ? fromData(m[name]) : undefined;
    }
    return this.errorf(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
  }

  private evalFunction(dot: GoValue, name: string, ident: Node, cmd: Node, args: Node[], final: Final): GoValue {
    this.at(ident);
    const fn = this.funcs(name);
    if (fn === undefined) return this.errorf(`${JSON.stringify(name)} is not a defined function`);
    const argNodes = args.slice(1);
    const numIn = argNodes.length + (final === MISSING ? 0 : 1);
    if (fn.variadic !== undefined) {
      if (numIn < fn.params.length) {
        this.errorf(`wrong number of args for ${name}: want at least ${fn.params.length} got ${argNodes.length}`);
      }
    } else if (numIn !== fn.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }
    const typeAt = (i: number): ParamType => fn.params[i] ?? fn.variadic ?? 'any';
    if (name === 'and' || name === 'or') {
      // Go evaluates these lazily, stopping at the first decisive argument.
      let v: GoValue;
      for (const [i, a] of argNodes.entries()) {
        v = this.evalArg(dot, typeAt(i), a);
        if (isTrue(v) === (name === 'or')) return v;
      }
      return final === MISSING ? v : final;
    }
    const argv = argNodes.map((a, i) => this.evalArg(dot, typeAt(i), a));
    if (final !== MISSING) argv.push(this.validateType(final, typeAt(numIn - 1)));
    try {
      return fn.call(argv);
    } catch (e) {
      if (!(e instanceof FuncError)) throw e;
      this.at(cmd);
      return this.errorf(`error calling ${name}: ${e.message}`);
    }
  }

  private validateType(v: GoValue, typ: ParamType): GoValue {
    if (typ === 'any') return v === undefined ? null : v;
    if (v === undefined) return this.errorf(`invalid value; expected ${typ}`);
    const ok = typ === 'string' ? typeof v === 'string' : typeof v === 'bigint';
    if (!ok) this.errorf(`wrong type for value; expected ${typ}; got ${goTypeName(v)}`);
    return v;
  }

  private evalArg(dot: GoValue, typ: ParamType, n: Node): GoValue {
    this.at(n);
    switch (n.kind) {
      case 'dot': return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'any') return null;
        return this.errorf(`cannot assign nil to ${typ}`);
      case 'field': return this.validateType(this.evalFieldChain(dot, n, n.ident, [n], MISSING), typ);
      case 'variable': {
        const value = this.varValue(n.ident[0] ?? '');
        const v = n.ident.length === 1 ? value : this.evalFieldChain(value, n, n.ident.slice(1), [], MISSING);
        return this.validateType(v, typ);
      }
      case 'pipe': return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier': return this.validateType(this.evalFunction(dot, n.name, n, n, [n], MISSING), typ);
      case 'chain': {
        const recv = this.evalArg(dot, 'any', n.node);
        this.at(n);
        return this.validateType(this.evalFieldChain(recv, n, n.field, [], MISSING), typ);
      }
      default:
    }
    switch (typ) {
      case 'string':
        if (n.kind === 'string') return n.text;
        return this.errorf(`expected string; found ${nodeString(n)}`);
      case 'int':
        if (n.kind === 'number' && n.int !== undefined) return n.int;
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'any':
        switch (n.kind) {
          case 'bool': return n.value;
          case 'number': return this.idealConstant(n);
          case 'string': return n.text;
          default: return this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
        }
    }
  }
}

/**
 * Executes `root` (parsed from `text`) over `data`. Errors are returned as values with
 * Go's message; partial output is discarded, as Packer does.
 */
export function execute(
  root: ListNode,
  text: string,
  funcs: (name: string) => TemplateFunc | undefined,
  data: unknown,
  name = 'root',
): ExecResult {
  const state = new State(text, name, funcs, fromData(data));
  try {
    state.walk(fromData(data), root);
    return { kind: 'ok', value: state.out };
  } catch (e) {
    if (e instanceof ExecError) return { kind: 'error', message: e.message };
    throw e;
  }
}
