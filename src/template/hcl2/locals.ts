/**
 * `locals { ... }` and `local "name" { expression = ..., sensitive = ... }` blocks
 * (parseLocalVariableBlocks, decodeLocalBlock), and the duplicate check across both
 * forms and all files.
 */
import type { Block, Body } from '../../hcl/body.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag } from '../../hcl/diagnostic.js';
import { formatRange } from '../../hcl/pos.js';
import { isValidIdentifier } from '../../hcl/syntax/parse.js';
import { decodeBool } from './decode-value.js';
import type { LocalDefinition } from './types.js';
import { BAD_IDENTIFIER_DETAIL } from './variables.js';

const LOCAL_SCHEMA = { attributes: [{ name: 'expression' }, { name: 'sensitive' }] };

/** The locals of a `local "name"` block; undefined when it has no `expression`. */
export function decodeLocalBlock(block: Block): { local?: LocalDefinition; diagnostics: Diagnostic[] } {
  const name = block.labels[0] ?? '';
  const { content, diagnostics } = block.body.content(LOCAL_SCHEMA);
  if (!isValidIdentifier(name)) diagnostics.push(errorDiag('Invalid local name', BAD_IDENTIFIER_DETAIL, block.labelRanges[0]));
  let sensitive = false;
  const sens = content.attributes.get('sensitive');
  if (sens) {
    const r = decodeBool(sens.expr, undefined);
    diagnostics.push(...r.diagnostics);
    sensitive = r.value ?? false;
  }
  const expr = content.attributes.get('expression');
  if (!expr) {
    diagnostics.push(errorDiag('Missing required argument', 'The argument "expression" is required, but no definition was found.', block.defRange));
    return { diagnostics };
  }
  return { local: { name, expr: expr.expr, sensitive, range: expr.expr.range }, diagnostics };
}

/** The attributes of a `locals` block. */
export function decodeLocalsBlock(body: Body): { locals: LocalDefinition[]; diagnostics: Diagnostic[] } {
  const { attributes, diagnostics } = body.justAttributes();
  const locals = [...attributes.values()].map((a) => ({ name: a.name, expr: a.expr, sensitive: false, range: a.expr.range }));
  return { locals, diagnostics };
}

/** "Duplicate local definition" for every local defined again. */
export function checkDuplicateLocals(locals: readonly LocalDefinition[]): Diagnostic[] {
  const seen = new Map<string, LocalDefinition>();
  const diagnostics: Diagnostic[] = [];
  for (const l of locals) {
    const first = seen.get(l.name);
    if (first) {
      diagnostics.push(
        errorDiag('Duplicate local definition', `Local variable "${l.name}" is defined twice in your templates. Other definition found at "${formatRange(first.range)}"`, l.range),
      );
      continue;
    }
    seen.set(l.name, l);
  }
  return diagnostics;
}
