/**
 * `data "<type>" "<name>"` blocks as declared (decodeDataBlock): once per type and
 * name, with valid identifiers. Running them is datasource-run.ts's part.
 */
import type { Block } from '../../hcl/body.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../../hcl/diagnostic.js';
import { formatRange } from '../../hcl/pos.js';
import { isValidIdentifier } from '../../hcl/syntax/parse.js';
import type { DataDefinition } from './types.js';
import { BAD_IDENTIFIER_DETAIL } from './variables.js';

/** Registers a `data` block in `into` (keyed `type.name`). */
export function decodeDataBlock(block: Block, into: Map<string, DataDefinition>): Diagnostic[] {
  const [type = '', name = ''] = block.labels;
  const diagnostics: Diagnostic[] = [];
  if (!isValidIdentifier(type)) diagnostics.push(errorDiag('Invalid data source name', BAD_IDENTIFIER_DETAIL, block.labelRanges[0]));
  if (!isValidIdentifier(name)) diagnostics.push(errorDiag('Invalid data resource name', BAD_IDENTIFIER_DETAIL, block.labelRanges[1]));
  if (hasErrors(diagnostics)) return diagnostics;
  const key = `${type}.${name}`;
  const existing = into.get(key);
  if (existing) {
    diagnostics.push(
      errorDiag(
        'Duplicate data block',
        `This data block has the same data type and name as a previous block declared at ${formatRange(existing.block.defRange)}. Each data must have a unique name per builder type.`,
        block.defRange,
      ),
    );
    return diagnostics;
  }
  into.set(key, { type, name, block });
  return diagnostics;
}
