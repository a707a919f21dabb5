/**
 * {@link NativeExpression}: a native-syntax AST node seen through the
 * syntax-independent {@link Expression} interface, with the static-analysis
 * capabilities HCL's hclsyntax nodes have (AsTraversal, ExprList, ExprMap, ExprCall,
 * UnwrapExpression) and `variables()` as hclsyntax.Variables walks it.
 */
import type { EvalContext } from '../eval-context.js';
import type { Expression, KeyValuePair, StaticCall } from '../expression.js';
import { absTraversalForExpr, exprAsKeyword, keywordOf } from '../expression.js';
import type { Range } from '../pos.js';
import type { Traversal, ValueResult } from '../traversal.js';
import type * as ast from './ast.js';
import { evaluate, toExpression } from './eval.js';
import { toTraversal } from './eval-traversal.js';
import { NameNode } from './traversal-nodes.js';
import { between } from './range.js';

export class NativeExpression implements Expression {
  // A declared field set in the constructor: a class field costs V8 an initializer call per object.
  declare readonly node: ast.Expression;

  constructor(node: ast.Expression) {
    this.node = node;
  }

  get range(): Range {
    return this.node.srcRange;
  }
  get startRange(): Range {
    return this.node.startRange;
  }

  value(ctx: EvalContext | undefined): ValueResult {
    return evaluate(this.node, ctx);
  }

  variables(): Traversal[] {
    return nodeVariables(this.node);
  }

  asTraversal(): Traversal | undefined {
    const n = this.node;
    switch (n.kind) {
      case 'scope-traversal':
        return toTraversal(n.traversal);
      case 'relative-traversal': {
        const src = absTraversalForExpr(toExpression(n.source));
        return src.value === undefined ? undefined : [...src.value, ...toTraversal(n.traversal)];
      }
      case 'literal': {
        // Traversal syntax has no keywords: `null`, `true` and `false` read as names there.
        const v = n.value;
        const name = v.kind === 'null' ? 'null' : v.kind === 'bool' ? String(v.value) : undefined;
        return name === undefined ? undefined : [{ kind: 'root', name, srcRange: n.srcRange }];
      }
      case 'object-cons-key': {
        if (n.forceNonLiteral) return undefined;
        return absTraversalForExpr(toExpression(n.wrapped)).value;
      }
      default:
        return undefined;
    }
  }

  asKeyword(): string | undefined {
    // A lone name is the parser's NameNode; anything else answers as a traversal would.
    const n = this.node;
    return n instanceof NameNode ? n.name : keywordOf(this.asTraversal());
  }

  exprList(): readonly Expression[] | undefined {
    return this.node.kind === 'tuple-cons' ? this.node.exprs.map(toExpression) : undefined;
  }

  exprMap(): readonly KeyValuePair[] | undefined {
    if (this.node.kind !== 'object-cons') return undefined;
    return this.node.items.map((it) => ({ key: toExpression(it.key), value: toExpression(it.value) }));
  }

  exprCall(): StaticCall | undefined {
    const n = this.node;
    if (n.kind !== 'function-call') return undefined;
    return { name: n.name, nameRange: n.nameRange, args: n.args.map(toExpression), argsRange: between(n.openParenRange, n.closeParenRange) };
  }

  unwrapExpression(): Expression | undefined {
    return this.node.kind === 'object-cons-key' ? toExpression(this.node.wrapped) : undefined;
  }
}

/** The literal name an object key stands for (`{a = 1}` → `a`), or undefined. */
export function objectKeyLiteralName(key: ast.ObjectConsKeyExpr): string | undefined {
  const w = key.wrapped;
  // The common shapes answered from the AST: wrapping every key to ask was a large share of evaluation.
  switch (w.kind) {
    case 'scope-traversal': {
      const root = w.traversal.length === 1 ? w.traversal[0] : undefined;
      return root?.kind === 'root' ? root.name : undefined;
    }
    case 'template':
    case 'template-wrap':
    case 'function-call':
    case 'object-cons':
    case 'tuple-cons':
      return undefined;
    default:
      return exprAsKeyword(toExpression(w));
  }
}

/**
 * The absolute traversals `node` reads (hclsyntax.Variables): every scope traversal,
 * except those rooted at a `for` expression's own iterator names inside its body.
 * Iterative, so deep trees cannot overflow the stack.
 */
export function nodeVariables(root: ast.Expression): Traversal[] {
  const out: Traversal[] = [];
  const stack: Array<{ node: ast.Expression; locals: ReadonlySet<string> }> = [{ node: root, locals: new Set() }];
  while (stack.length > 0) {
    const { node, locals } = stack.pop()!;
    const kids = (nodes: ReadonlyArray<ast.Expression | undefined>, scope = locals): void => {
      for (let i = nodes.length - 1; i >= 0; i--) {
        const k = nodes[i];
        if (k !== undefined) stack.push({ node: k, locals: scope });
      }
    };
    switch (node.kind) {
      case 'scope-traversal': {
        const first = node.traversal[0];
        if (first?.kind === 'root' && !locals.has(first.name)) out.push(toTraversal(node.traversal));
        break;
      }
      case 'literal':
      case 'anon-symbol':
      case 'syntax-error':
        break;
      case 'template':
        kids(node.parts);
        break;
      case 'template-wrap':
        kids([node.wrapped]);
        break;
      case 'template-join':
        kids([node.tuple]);
        break;
      case 'relative-traversal':
        kids([node.source]);
        break;
      case 'function-call':
        kids(node.args);
        break;
      case 'conditional':
        kids([node.condition, node.trueResult, node.falseResult]);
        break;
      case 'binary-op':
        kids([node.lhs, node.rhs]);
        break;
      case 'unary-op':
        kids([node.operand]);
        break;
      case 'object-cons':
        kids(node.items.flatMap((it) => [it.key, it.value]));
        break;
      case 'object-cons-key':
        if (objectKeyLiteralName(node) === undefined) kids([node.wrapped]);
        break;
      case 'tuple-cons':
        kids(node.exprs);
        break;
      case 'for': {
        const scope = new Set(locals);
        if (node.keyVar !== undefined) scope.add(node.keyVar);
        scope.add(node.valVar);
        kids([node.keyExpr, node.valExpr, node.condExpr], scope);
        kids([node.collExpr]); // pushed last so it is walked first
        break;
      }
      case 'splat':
        kids([node.source, node.each]);
        break;
      case 'index':
        kids([node.collection, node.key]);
        break;
      case 'parentheses':
        kids([node.expression]);
        break;
    }
  }
  return out;
}
