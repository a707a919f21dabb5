/**
 * cty/convert's type preference order for unification: a topological sort by
 * "can be converted to", so that e.g. string is preferred over number and bool, and a
 * list over a tuple.
 */
import type { Type } from '../type.js';

/** Indexes of `types`, most preferred first. */
export function sortTypes(types: readonly Type[]): number[] {
  const n = types.length;
  const edges: number[][] = types.map(() => []);
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) {
      const c = compareTypes(types[i]!, types[j]!);
      if (c < 0) edges[i]!.push(j);
      else if (c > 0) edges[j]!.push(i);
    }
  }
  const inDegree = new Array<number>(n).fill(0);
  for (const outs of edges) for (const j of outs) inDegree[j]!++;
  const queue: number[] = [];
  inDegree.forEach((d, i) => {
    if (d === 0) queue.push(i);
  });
  for (let q = 0; q < queue.length; q++) {
    for (const j of edges[queue[q]!]!) {
      inDegree[j]!--;
      if (inDegree[j] === 0) queue.push(j);
    }
  }
  return queue;
}

/** Negative when `a` is preferred (more general) than `b`, positive for the reverse, 0 when unrelated. */
export function compareTypes(a0: Type, b0: Type): number {
  let a = a0;
  let b = b0;
  if (a.kind === 'dynamic' || b.kind === 'dynamic') {
    if (a.kind !== 'dynamic') return -1;
    if (b.kind !== 'dynamic') return 1;
    return 0;
  }
  const prim = (t: Type) => t.kind === 'string' || t.kind === 'number' || t.kind === 'bool';
  if (prim(a) && prim(b) && (a.kind === 'string' || b.kind === 'string')) {
    if (a.kind !== 'string') return 1;
    if (b.kind !== 'string') return -1;
    return 0;
  }
  if ((a.kind === 'list' || a.kind === 'set' || a.kind === 'map') && a.kind === b.kind) {
    return compareTypes(a.element, (b as { element: Type }).element);
  }
  let swap = 1;
  if (
    (a.kind === 'tuple' && b.kind === 'list') ||
    (a.kind === 'object' && b.kind === 'map') ||
    (a.kind === 'set' && b.kind === 'tuple') ||
    (a.kind === 'set' && b.kind === 'list')
  ) {
    [a, b] = [b, a];
    swap = -1;
  }
  if (b.kind === 'set' && (a.kind === 'tuple' || a.kind === 'list')) return -1 * swap;
  if (a.kind === 'list' && b.kind === 'tuple') return -1 * swap;
  if (a.kind === 'map' && b.kind === 'object') return -1 * swap;
  if (a.kind === 'object' && b.kind === 'object') {
    if (a.attributes.size !== b.attributes.size) return 0;
    let aSuper = false;
    let bSuper = false;
    for (const [k, at] of a.attributes) {
      const bt = b.attributes.get(k);
      if (bt === undefined) return 0;
      const c = compareTypes(at, bt);
      if (c < 0) aSuper = true;
      else if (c > 0) bSuper = true;
    }
    return superResult(aSuper, bSuper, swap);
  }
  if (a.kind === 'tuple' && b.kind === 'tuple') {
    if (a.elements.length !== b.elements.length) return 0;
    let aSuper = false;
    let bSuper = false;
    a.elements.forEach((et, i) => {
      const c = compareTypes(et, (b as Type & { kind: 'tuple' }).elements[i]!);
      if (c < 0) aSuper = true;
      else if (c > 0) bSuper = true;
    });
    return superResult(aSuper, bSuper, swap);
  }
  return 0;
}

function superResult(aSuper: boolean, bSuper: boolean, swap: number): number {
  if (aSuper && bSuper) return 0;
  if (aSuper) return -1 * swap;
  if (bSuper) return swap;
  return 0;
}
