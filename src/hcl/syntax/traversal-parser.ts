/**
 * Standalone traversals (`ParseTraversalAbs` / `ParseTraversalPartial`): a variable
 * name followed by attribute and literal index steps only.
 */
import type { Diagnostic } from '../diagnostic.js';
import { errorDiag, hasErrors } from '../diagnostic.js';
import type { Traverser } from './ast.js';
import { parseQuotedStringLiteral } from './body-parser.js';
import type { ExpressionParser } from './expression-parser.js';
import { between } from './range.js';

export function parseTraversal(p: ExpressionParser, allowSplats: boolean): { traversal: Traverser[]; diags: Diagnostic[] } {
  const ret: Traverser[] = [];
  const diags: Diagnostic[] = [];
  const varTok = p.read();
  if (varTok.type !== 'Ident') {
    diags.push(errorDiag('Variable name required', 'Must begin with a variable name.', varTok.range));
    return { traversal: ret, diags };
  }
  ret.push({ kind: 'root', name: varTok.text, srcRange: varTok.range });
  for (;;) {
    const next = p.peek();
    if (next.type === 'EOF') return { traversal: ret, diags };
    if (next.type === 'Dot') {
      const dot = p.read();
      const nameTok = p.read();
      if (nameTok.type !== 'Ident') {
        const detail = nameTok.type === 'Star' ? 'Splat expressions (.*) may not be used here.' : 'Dot must be followed by attribute name.';
        diags.push(errorDiag('Attribute name required', detail, nameTok.range, between(varTok.range, nameTok.range)));
        return { traversal: ret, diags };
      }
      ret.push({ kind: 'attr', name: nameTok.text, srcRange: between(dot.range, nameTok.range) });
      continue;
    }
    if (next.type !== 'OBrack') {
      diags.push(errorDiag('Invalid character', 'Expected an attribute access or an index operator.', next.range, between(varTok.range, next.range)));
      return { traversal: ret, diags };
    }
    const open = p.read();
    const keyTok = p.peek();
    if (keyTok.type === 'NumberLit' || keyTok.type === 'OQuote' || (keyTok.type === 'Star' && allowSplats)) {
      let step: Traverser;
      if (keyTok.type === 'NumberLit') {
        p.skip();
        const num = p.numberLiteral(keyTok);
        diags.push(...num.diags);
        step = { kind: 'index', key: num.node, srcRange: open.range };
      } else if (keyTok.type === 'OQuote') {
        const s = parseQuotedStringLiteral(p);
        diags.push(...s.diags);
        step = { kind: 'index', key: { kind: 'string', value: s.value }, srcRange: open.range };
      } else {
        p.skip();
        step = { kind: 'splat', srcRange: open.range };
      }
      const close = p.read();
      if (close.type !== 'CBrack') {
        diags.push(errorDiag('Unclosed index brackets', 'Index key must be followed by a closing bracket.', close.range, between(open.range, close.range)));
      }
      ret.push({ ...step, srcRange: between(open.range, close.range) });
      if (hasErrors(diags)) return { traversal: ret, diags };
      continue;
    }
    if (keyTok.type === 'Star') {
      diags.push(errorDiag('Attribute name required', 'Splat expressions ([*]) may not be used here.', keyTok.range, between(varTok.range, keyTok.range)));
    } else {
      diags.push(errorDiag('Index value required', 'Index brackets must contain either a literal number or a literal string.', keyTok.range, between(varTok.range, keyTok.range)));
    }
    return { traversal: ret, diags };
  }
}
