/**
 * Bounds that keep `yamldecode` of hostile input cheap. go-cty-yaml has neither: Go's
 * stacks grow, and its decoder shares the value of an anchor between its aliases as
 * ours does. Sharing makes decoding a "billion laughs" document cheap, but every later
 * walk over the value (`jsonencode`, conversion, equality, rendering) pays for the
 * expanded tree, so the expansion is what we bound.
 */
import type { CST } from 'yaml';

/**
 * The deepest nesting of collections accepted. eemeli/yaml's composer recurses once or
 * more per level and exhausts Node's stack near 800 levels (fewer when the call starts
 * deep inside an evaluation), so the limit is checked on the parser's tokens first,
 * without recursion. Real documents stay far below it.
 */
export const MAX_YAML_DEPTH = 200;

/** Aliases may add this many nodes to the expanded tree whatever the document's size. */
export const ALIAS_NODE_FLOOR = 100_000;
/** ... or this many times the nodes written out, when that is larger. */
export const ALIAS_NODE_RATIO = 10;

/** The error for a document over {@link MAX_YAML_DEPTH}. */
export const TOO_DEEP = `document nests collections more than ${MAX_YAML_DEPTH} levels deep`;
/** go-yaml's error for alias expansion over budget. */
export const EXCESSIVE_ALIASING = 'document contains excessive aliasing';

/** The deepest collection nesting among the parser's tokens (0: no collection). */
export function cstDepth(tokens: readonly CST.Token[]): number {
  let max = 0;
  const stack: Array<[CST.Token, number]> = tokens.map((t) => [t, 0]);
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [tok, depth] = top;
    switch (tok.type) {
      case 'document':
        if (tok.value !== undefined) stack.push([tok.value, depth]);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        if (depth + 1 > max) max = depth + 1;
        for (const item of tok.items as readonly CST.CollectionItem[]) {
          if (item.key) stack.push([item.key, depth + 1]);
          if (item.value) stack.push([item.value, depth + 1]);
        }
        break;
      default:
        break;
    }
  }
  return max;
}

/**
 * Counts the nodes of the decoded tree as if aliases were expanded: each node written
 * counts one, each alias the expanded size of its anchor.
 */
export class AliasBudget {
  private written = 0;
  private expanded = 0;
  private readonly sizes = new Map<string, number>();

  /** Marks the start of an anchored node; pass the result to {@link endAnchor}. */
  startAnchor(): number {
    return this.written + this.expanded;
  }
  endAnchor(anchor: string, start: number): void {
    this.sizes.set(anchor, this.written + this.expanded - start);
  }
  node(): void {
    this.written++;
  }
  /** Counts one use of `anchor`. */
  alias(anchor: string): void {
    this.expanded += this.sizes.get(anchor) ?? 1;
  }
  /** Whether aliases expanded past the budget (checked once the whole document is read). */
  exceeded(): boolean {
    return this.expanded > Math.max(ALIAS_NODE_FLOOR, ALIAS_NODE_RATIO * this.written);
  }
}
