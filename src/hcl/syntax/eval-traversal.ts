/**
 * From the AST's cty-free literals and traversal steps to cty values and
 * {@link Traversal}s (the parser keeps number literals as text; they become
 * arbitrary-precision cty numbers here).
 */
import * as cty from '../cty/index.js';
import type { Traversal, Traverser } from '../traversal.js';
import type * as ast from './ast.js';

/** The cty value of a literal: numbers parsed from their exact text, strings NFC-normalised. */
export function literalValue(lit: ast.LiteralValue): cty.Value {
  switch (lit.kind) {
    case 'number':
      return cty.parseNumberVal(lit.text) ?? cty.unknownVal(cty.numberType);
    case 'string':
      return cty.stringVal(lit.value);
    case 'bool':
      return cty.boolVal(lit.value);
    case 'null':
      return cty.nullVal(cty.dynamicType);
    case 'dynamic':
      return cty.dynamicVal;
    case 'unknown-number':
      return cty.unknownVal(cty.numberType);
  }
}

const cache = new WeakMap<ast.Traversal, Traversal>();

/**
 * The AST traversal as an hcl {@link Traversal}. Root, attribute and splat steps are the
 * same objects in both, so a traversal without index steps (nearly all: `var.x`,
 * `string`) is returned as is; one with index steps is converted once (cached per AST array).
 */
export function toTraversal(t: ast.Traversal): Traversal {
  if (!t.some(isIndex)) return t as Traversal;
  let out = cache.get(t);
  if (out === undefined) {
    out = t.map(toTraverser);
    cache.set(t, out);
  }
  return out;
}

function isIndex(s: ast.Traverser): boolean {
  return s.kind === 'index';
}

function toTraverser(s: ast.Traverser): Traverser {
  switch (s.kind) {
    case 'root':
    case 'attr':
    case 'splat':
      return s;
    case 'index':
      return { kind: 'index', key: literalValue(s.key), srcRange: s.srcRange };
  }
}
