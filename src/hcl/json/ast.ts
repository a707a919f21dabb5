/**
 * The JSON syntax tree (json/ast.go): values with their source ranges. Object
 * properties keep their order and duplicates; what a duplicate means is decided by
 * the body and expression code, not the parser.
 */
import type { Range } from '../pos.js';

export interface JSONProperty {
  readonly name: string;
  readonly value: JSONNode;
  readonly nameRange: Range;
}

export type JSONNode =
  | { readonly kind: 'object'; readonly attrs: readonly JSONProperty[]; readonly srcRange: Range; readonly openRange: Range; readonly closeRange: Range }
  | { readonly kind: 'array'; readonly values: readonly JSONNode[]; readonly srcRange: Range; readonly openRange: Range }
  | { readonly kind: 'string'; readonly value: string; readonly srcRange: Range }
  /** The number as its source text (already validated as a JSON number). */
  | { readonly kind: 'number'; readonly text: string; readonly srcRange: Range }
  | { readonly kind: 'bool'; readonly value: boolean; readonly srcRange: Range }
  | { readonly kind: 'null'; readonly srcRange: Range }
  /** Where the parser found no valid value; a diagnostic was reported. */
  | { readonly kind: 'invalid'; readonly srcRange: Range };

export type JSONObject = Extract<JSONNode, { kind: 'object' }>;

/** The part of a node to underline when it is a diagnostic's subject (its opening bracket for containers). */
export function startRange(n: JSONNode): Range {
  return n.kind === 'object' || n.kind === 'array' ? n.openRange : n.srcRange;
}

/** The range of a property, from its name to the end of its value. */
export function propertyRange(p: JSONProperty): Range {
  return { filename: p.nameRange.filename, start: p.nameRange.start, end: p.value.srcRange.end };
}
