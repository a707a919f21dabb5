/**
 * The top-level schema of an HCL2 template file (hcl2template's configSchema) and
 * the `source` blocks, which are kept undecoded until a build uses them.
 */
import type { Block, BodySchema } from '../../hcl/body.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag } from '../../hcl/diagnostic.js';
import { formatRange } from '../../hcl/pos.js';
import type { SourceDefinition } from './types.js';

export const CONFIG_SCHEMA: BodySchema = {
  blocks: [
    { type: 'packer' },
    { type: 'source', labelNames: ['type', 'name'] },
    { type: 'variables' },
    { type: 'variable', labelNames: ['name'] },
    { type: 'locals' },
    { type: 'local', labelNames: ['name'] },
    { type: 'data', labelNames: ['type', 'name'] },
    { type: 'build' },
    { type: 'hcp_packer_registry' },
    { type: 'communicator', labelNames: ['type', 'name'] },
  ],
};

/** Registers a top-level `source` block in `into` (keyed `type.name`). */
export function decodeSourceBlock(block: Block, into: Map<string, SourceDefinition>): Diagnostic[] {
  const [type = '', name = ''] = block.labels;
  const key = `${type}.${name}`;
  const existing = into.get(key);
  if (existing) {
    return [
      errorDiag(
        'Duplicate source block',
        `This source block has the same builder type and name as a previous block declared at ${formatRange(existing.block.defRange)}. Each source must have a unique name per builder type.`,
        block.defRange,
      ),
    ];
  }
  into.set(key, { type, name, block });
  return [];
}
