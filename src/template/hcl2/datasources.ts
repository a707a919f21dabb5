/**
 * `data "<type>" "<name>"` blocks (decodeDataBlock, startDatasource): declared
 * once per type and name, decoded with the data source's schema in the data-source
 * context, then executed — or, when not asked to (validate's default), given an
 * unknown value of the data source's output type.
 */
import type { Block } from '../../hcl/body.js';
import * as cty from '../../hcl/cty/index.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../../hcl/diagnostic.js';
import { formatRange } from '../../hcl/pos.js';
import { isValidIdentifier } from '../../hcl/syntax/parse.js';
import type { ComponentRegistry } from '../../sdk/component.js';
import { prepareComponent } from '../../sdk/prepare-component.js';
import { unknownComponent } from '../unknown-component.js';
import { componentSpec } from './component-spec.js';
import type { TemplateScope } from './scope.js';
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

export interface DatasourceOptions {
  /** Run `execute`; otherwise the value is unknown (of the output type). */
  readonly execute: boolean;
  readonly signal?: AbortSignal;
}

/** Decodes (and maybe executes) one data source and records its value in `scope`. */
export async function evaluateDatasource(def: DataDefinition, scope: TemplateScope, registry: ComponentRegistry, opts: DatasourceOptions): Promise<Diagnostic[]> {
  const { block } = def;
  if (!registry.has('datasource', def.type)) {
    return [unknownComponent('datasource', def.type, registry, { subject: block.labelRanges[0] ?? block.defRange })];
  }
  const definition = await registry.load('datasource', def.type);
  if (definition?.kind !== 'datasource') return [errorDiag(`failed to start datasource plugin "${def.type}.${def.name}"`, '', block.defRange)];
  const spec = componentSpec({
    type: def.type,
    range: block.defRange,
    // Packer reads data blocks before expanding `dynamic` blocks, so none are expanded here.
    body: block.body,
    context: () => ({ ctx: scope.context('local'), diagnostics: [] }),
    interpolation: {},
    label: `data "${def.type}" "${def.name}"`,
  });
  const decoded = spec.decode(definition.schema);
  const diagnostics = [...decoded.diagnostics];
  if (hasErrors(diagnostics)) return diagnostics;
  const signal = opts.signal ?? new AbortController().signal;
  const prepared = await prepareComponent(definition, decoded, { signal });
  diagnostics.push(...prepared.diagnostics);
  if (!prepared.ok) return diagnostics;
  let value: cty.Value;
  if (!opts.execute) value = cty.unknownVal(definition.outputType);
  else {
    const r = await definition.execute(prepared.value, signal);
    if (r.kind === 'error') return [...diagnostics, errorDiag(r.error.message, '', block.defRange)];
    value = r.value;
  }
  const byName = scope.data.get(def.type) ?? new Map<string, cty.Value>();
  byName.set(def.name, value);
  scope.data.set(def.type, byName);
  return diagnostics;
}
