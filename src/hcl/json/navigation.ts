/**
 * HCL's ContextString for JSON files (json/navigation.go): the path of nested objects
 * and arrays around a byte offset, e.g. `source.docker.ubuntu` or `build[0]`, for the
 * `in ...` part of a rendered diagnostic.
 */
import type { JSONNode } from './ast.js';

function contains(n: JSONNode, offset: number): boolean {
  return offset >= n.srcRange.start.byte && offset < n.srcRange.end.byte;
}

function isContainer(n: JSONNode): boolean {
  return n.kind === 'object' || n.kind === 'array';
}

/** The context string for `offset` in the file whose root value is `root`; '' when none. */
export function jsonContextString(root: JSONNode, offset: number): string {
  const steps: string[] = [];
  let n: JSONNode | undefined = root;
  while (n !== undefined) {
    let next: JSONNode | undefined;
    if (n.kind === 'object') {
      const prop: { name: string; value: JSONNode } | undefined = n.attrs.find((p) => isContainer(p.value) && contains(p.value, offset));
      if (prop) {
        steps.push(`.${prop.name}`);
        next = prop.value;
      }
    } else if (n.kind === 'array') {
      const i = n.values.findIndex((el) => isContainer(el) && contains(el, offset));
      if (i >= 0) {
        steps.push(`[${i}]`);
        next = n.values[i];
      }
    }
    n = next;
  }
  const s = steps.join('');
  return s.startsWith('.') ? s.slice(1) : s;
}
