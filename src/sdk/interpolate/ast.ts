/**
 * The parse tree of a Go `text/template`, with Go's `String()` forms (used in execution
 * error contexts such as `executing "root" at <user `x`>`).
 */

/** A node of the parse tree; `pos` is a UTF-16 offset into the template text. */
export type Node =
  | ListNode | TextNode | ActionNode | PipeNode | CommandNode | IdentifierNode
  | VariableNode | DotNode | NilNode | FieldNode | ChainNode | BoolNode | NumberNode
  | StringNode | IfNode | RangeNode | WithNode | BreakNode | ContinueNode;

export interface ListNode { readonly kind: 'list'; readonly pos: number; readonly nodes: Node[] }
export interface TextNode { readonly kind: 'text'; readonly pos: number; readonly text: string }
export interface ActionNode { readonly kind: 'action'; readonly pos: number; readonly pipe: PipeNode }
export interface PipeNode {
  readonly kind: 'pipe';
  readonly pos: number;
  isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}
export interface CommandNode { readonly kind: 'command'; readonly pos: number; readonly args: Node[] }
export interface IdentifierNode { readonly kind: 'identifier'; readonly pos: number; readonly name: string }
export interface VariableNode { readonly kind: 'variable'; readonly pos: number; readonly ident: string[] }
export interface DotNode { readonly kind: 'dot'; readonly pos: number }
export interface NilNode { readonly kind: 'nil'; readonly pos: number }
export interface FieldNode { readonly kind: 'field'; readonly pos: number; readonly ident: string[] }
export interface ChainNode { readonly kind: 'chain'; readonly pos: number; readonly node: Node; readonly field: string[] }
export interface BoolNode { readonly kind: 'bool'; readonly pos: number; readonly value: boolean }
/** A number literal; `int` is set when it is an integer constant, `float` when it can be one. */
export interface NumberNode {
  readonly kind: 'number';
  readonly pos: number;
  readonly text: string;
  readonly int: bigint | undefined;
  readonly float: number | undefined;
}
export interface StringNode { readonly kind: 'string'; readonly pos: number; readonly quoted: string; readonly text: string }
export interface BranchNode {
  readonly pos: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | undefined;
}
export interface IfNode extends BranchNode { readonly kind: 'if' }
export interface RangeNode extends BranchNode { readonly kind: 'range' }
export interface WithNode extends BranchNode { readonly kind: 'with' }
export interface BreakNode { readonly kind: 'break'; readonly pos: number }
export interface ContinueNode { readonly kind: 'continue'; readonly pos: number }

/** Go's `Node.String()` for every node kind. */
export function nodeString(n: Node): string {
  switch (n.kind) {
    case 'list': return n.nodes.map(nodeString).join('');
    case 'text': return n.text;
    case 'action': return `{{${nodeString(n.pipe)}}}`;
    case 'pipe': {
      const decl = n.decl.length > 0 ? `${n.decl.map(nodeString).join(', ')} ${n.isAssign ? '=' : ':='} ` : '';
      return decl + n.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return n.args.map((a) => (a.kind === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'identifier': return n.name;
    case 'variable': return n.ident.join('.');
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'field': return n.ident.map((i) => `.${i}`).join('');
    case 'chain': {
      const head = n.node.kind === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return head + n.field.map((f) => `.${f}`).join('');
    }
    case 'bool': return n.value ? 'true' : 'false';
    case 'number': return n.text;
    case 'string': return n.quoted;
    case 'if':
    case 'range':
    case 'with': {
      const els = n.elseList === undefined ? '' : `{{else}}${nodeString(n.elseList)}`;
      return `{{${n.kind} ${nodeString(n.pipe)}}}${nodeString(n.list)}${els}{{end}}`;
    }
    case 'break': return '{{break}}';
    case 'continue': return '{{continue}}';
  }
}
